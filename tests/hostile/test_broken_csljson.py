"""Broken CSL-JSON: every damage is located, every item it does not touch still converts.

The matrix follows bibtexparser's parse-failure matrix: every valid item × every kind of
broken item × with/without a valid item after it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

import citekit
from citekit.errors import Severity

VALID: dict[str, dict[str, Any]] = {
    "book": {
        "id": "Knuth1984",
        "type": "book",
        "title": "The TeXbook",
        "author": [{"family": "Knuth", "given": "Donald E."}],
        "issued": {"date-parts": [[1984]]},
        "publisher": "Addison-Wesley",
    },
    "article": {
        "id": "vanGogh2020",
        "type": "article-journal",
        "title": "Über <i>Sonnenblumen</i>",
        "author": [{"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"}],
        "container-title": "Kunst & Wissen",
        "page": "12-19",
        "volume": 3,
        "issued": {"date-parts": [[2020, 5, 3]]},
        "DOI": "10.1000/xyz_1",
    },
    "minimal": {"id": "m", "type": "document"},
    "unicode": {"id": "李2021", "type": "report", "title": "研究 😀", "language": "zh"},
}
AFTER = {
    "id": "after",
    "type": "chapter",
    "title": "After the damage",
    "editor": [{"literal": "ACME Corp."}],
    "issued": {"date-parts": [[2001, 2], [2001, 3]]},
}

# kind → (text of the broken item, whether the broken item itself survives, severity, field)
SYNTAX: dict[str, str] = {
    "missing-comma": '{"id": "broken", "type": "book" "title": "T"}',
    "unterminated-string": '{"id": "broken", "type": "book", "title": "T}',
    "unbalanced-open": '{"id": "broken", "type": "book", "title": {"x": 1}',
    "extra-close": '{"id": "broken", "type": "book"}}',
    "trailing-comma": '{"id": "broken", "type": "book",}',
    "bare-word": '{"id": broken, "type": "book"}',
    "single-quotes": "{'id': 'broken', 'type': 'book'}",
    "missing-colon": '{"id" "broken", "type": "book"}',
    "control-char": '{"id": "broken", "title": "a\tb"}',
    "bad-escape": '{"id": "broken", "title": "a\\qb"}',
    "deep-nesting": '{"id": "broken", "note": ' + "[" * 5000 + "]" * 5000 + "}",
    "garbage": "@@@ not json @@@",
}
# Well-formed JSON, wrong types: the item survives, the bad field is reported with key+field.
TYPES: dict[str, tuple[str, str]] = {
    "author-string": ('{"id": "broken", "type": "book", "author": 42}', "author"),
    "author-list-of-numbers": ('{"id": "broken", "type": "book", "author": [1, 2]}', "author"),
    "issued-bad-month": (
        '{"id": "broken", "type": "book", "issued": {"date-parts": [[2020, 13, 45]]}}',
        "issued",
    ),
    "issued-not-a-date": ('{"id": "broken", "type": "book", "issued": [2020]}', "issued"),
    "issued-bad-parts": (
        '{"id": "broken", "type": "book", "issued": {"date-parts": "2020"}}',
        "issued",
    ),
    "title-object": ('{"id": "broken", "type": "book", "title": {"x": 1}}', "title"),
    "title-list": ('{"id": "broken", "type": "book", "title": ["a", "b"]}', "title"),
    "volume-bool": ('{"id": "broken", "type": "book", "volume": true}', "volume"),
    "type-number": ('{"id": "broken", "type": 5}', "type"),
    "type-unknown": ('{"id": "broken", "type": "hologram"}', "type"),
    "id-object": ('{"id": {"a": 1}, "type": "book"}', "id"),
    "duplicate-key": ('{"id": "broken", "type": "book", "title": "A", "title": "B"}', "title"),
    "categories-mixed": ('{"id": "broken", "type": "book", "categories": ["a", 1]}', None),
    "custom-list": ('{"id": "broken", "type": "book", "custom": [1]}', None),
    "deep-field": (
        '{"id": "broken", "type": "book", "note": ' + "[" * 200 + "]" * 200 + "}",
        "note",
    ),
    "lone-surrogate": ('{"id": "broken", "type": "book", "title": "a\\ud800b"}', None),
}
NOT_OBJECTS = {"number": "42", "string": '"book"', "null": "null", "list": "[1, 2]"}


def _doc(valid: dict[str, Any], broken: str, after: bool) -> tuple[str, int]:
    parts = [json.dumps(valid, ensure_ascii=False), broken]
    if after:
        parts.append(json.dumps(AFTER))
    return "[\n" + ",\n".join(parts) + "\n]\n", 3  # the broken item is on line 3


def _alone(record: dict[str, Any]) -> dict[str, Any]:
    return citekit.read_string(json.dumps([record]), format="csl-json").records[0]


def _check_survivors(library: citekit.Library, valid: dict[str, Any], after: bool) -> None:
    by_id = {r["id"]: r for r in library.records}
    assert by_id[valid["id"]] == _alone(valid)
    if after:
        assert by_id["after"] == _alone(AFTER)


@pytest.mark.parametrize("after", [False, True], ids=["last", "followed"])
@pytest.mark.parametrize("kind", sorted(SYNTAX))
@pytest.mark.parametrize("valid", sorted(VALID))
def test_syntax_damage_matrix(valid: str, kind: str, after: bool) -> None:
    text, line = _doc(VALID[valid], SYNTAX[kind], after)
    library = citekit.read_string(text, format="csl-json", source="broken.json")
    _check_survivors(library, VALID[valid], after)
    errors = [d for d in library.diagnostics if d.severity is Severity.ERROR]
    assert errors, library.diagnostics
    assert errors[0].source == "broken.json"
    if kind == "unbalanced-open":  # noticed where the next item starts; the message says where
        assert errors[0].line == line + 1
        assert f"line {line}, column 1" in errors[0].message
    else:
        assert errors[0].line == line, [str(d) for d in errors]
    assert errors[0].column is not None
    assert "broken" not in {r["id"] for r in library.records} or kind in (
        "extra-close",
        "trailing-comma",
    )


@pytest.mark.parametrize("after", [False, True], ids=["last", "followed"])
@pytest.mark.parametrize("kind", sorted(TYPES))
@pytest.mark.parametrize("valid", sorted(VALID))
def test_wrong_types_matrix(valid: str, kind: str, after: bool) -> None:
    broken, field = TYPES[kind]
    text, line = _doc(VALID[valid], broken, after)
    library = citekit.read_string(text, format="csl-json", source="types.json")
    _check_survivors(library, VALID[valid], after)
    assert len(library.records) == 2 + after  # the damaged item itself survives
    reports = [d for d in library.diagnostics if d.line == line and d.severity is not Severity.INFO]
    assert reports, [str(d) for d in library.diagnostics]
    assert all(d.source == "types.json" and d.key for d in reports)
    if field is not None:
        assert field in {d.field for d in reports}, [str(d) for d in reports]
    # whatever did not fit the schema is kept in custom, not silently dropped
    damaged = library.records[1]
    if kind not in ("issued-bad-month", "duplicate-key", "deep-field", "lone-surrogate"):
        assert damaged.get("custom") or kind in ("type-unknown", "id-object")


@pytest.mark.parametrize("kind", sorted(NOT_OBJECTS))
def test_items_that_are_not_objects(kind: str) -> None:
    text, line = _doc(VALID["book"], NOT_OBJECTS[kind], True)
    library = citekit.read_string(text, format="csl-json", source="x.json")
    assert [r["id"] for r in library.records] == ["Knuth1984", "after"]
    errors = [d for d in library.diagnostics if d.code == "csl-json.not-an-object"]
    assert errors
    assert errors[0].line == line


@pytest.mark.parametrize("cut", [1, 10, 57, 100, 150, -40, -2, -1])
def test_truncated_files_keep_complete_items(cut: int) -> None:
    records = [VALID["book"], VALID["article"], AFTER]
    text = json.dumps(records, indent=1, ensure_ascii=False)
    truncated = text[:cut]
    library = citekit.read_string(truncated, format="csl-json", source="t.json")
    complete = []
    for record in records:
        encoded = json.dumps(record, indent=1, ensure_ascii=False).replace("\n", "\n ")
        if truncated.find(encoded) >= 0:
            complete.append(record["id"])
    assert [r["id"] for r in library.records][: len(complete)] == complete
    assert any(d.severity is Severity.ERROR and d.line for d in library.diagnostics)


def test_items_wrapper_with_damage() -> None:
    text = '{"items": [\n' + json.dumps(VALID["book"]) + ',\n{"id": oops},\n'
    text += json.dumps(AFTER) + "\n]}"
    library = citekit.read_string(text, format="csl-json", source="w.json")
    assert [r["id"] for r in library.records] == ["Knuth1984", "after"]
    assert any(d.line == 3 for d in library.diagnostics if d.severity is Severity.ERROR)


@pytest.mark.parametrize(
    "text",
    ["", "   \n", "null", "42", '"x"', "true", "{}", '{"items": 5}', "[", "]", "{", "\ufeff[]"],
)
def test_degenerate_documents_do_not_crash(text: str) -> None:
    library = citekit.read_string(text, format="csl-json")
    assert library.records == [] or text == "{}"
    assert all(d.source for d in library.diagnostics)


def test_huge_integer_is_kept_as_text() -> None:
    big = "9" * 5000
    library = citekit.read_string(
        f'[{{"id": "x", "type": "book", "volume": {big}}}]', format="csl-json"
    )
    assert library.records[0]["volume"] == big


def test_nan_and_infinity_do_not_crash() -> None:
    library = citekit.read_string(
        '[{"id": "x", "type": "book", "volume": NaN, "page": Infinity}]', format="csl-json"
    )
    assert library.records[0]["id"] == "x"
    for target in ("csl-json", "bibtex", "biblatex"):
        citekit.write_string(library, format=target)


@pytest.mark.parametrize("damage", ['"family": "Doe",', '"given"', "}", "{", '"x": [', ","])
def test_pretty_printed_damage_does_not_end_the_array(damage: str) -> None:
    records = [VALID["book"], VALID["article"], AFTER, VALID["unicode"]]
    text = json.dumps(records, indent=2, ensure_ascii=False)
    target = text.index('"family": "Gogh"')  # inside a nested author object of item 2
    broken = text[:target] + damage + text[target:]
    library = citekit.read_string(broken, format="csl-json", source="p.json")
    ids = [r["id"] for r in library.records]
    assert ids[0] == "Knuth1984"
    assert ids[-2:] == ["after", "\u674e2021"], [str(d) for d in library.diagnostics]
    assert all(
        r["id"] in {"Knuth1984", "vanGogh2020", "after", "\u674e2021"} for r in library.records
    )
    assert any(d.severity is not Severity.INFO for d in library.diagnostics)


@pytest.mark.parametrize("bad_type", [[], {}, ["book"], {"book": 1}])
def test_unhashable_type_is_a_diagnostic_not_a_traceback(bad_type: Any) -> None:
    """A list or object as ``type`` is reported and kept; the next item still converts."""
    text = json.dumps([{"id": "a", "type": bad_type, "title": "T"}, VALID["book"]])
    library = citekit.read_string(text, format="csl-json", source="bad.json")
    assert [r["type"] for r in library.records] == ["document", "book"]
    assert library.records[0]["custom"]["extra-variables"]["type"] == bad_type
    found = [d for d in library.diagnostics if d.code == "csl-json.unknown-type"]
    assert found
    assert found[0].key == "a"
    assert found[0].line == 1

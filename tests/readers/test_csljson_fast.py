"""The CSL-JSON reader's orjson fast path gives the located reader's records and diagnostics."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.errors import Diagnostics
from citekit.readers import _csljson_fast, csljson

needs_orjson = pytest.mark.skipif(not _csljson_fast.available, reason="orjson is not installed")


def _read(text: str) -> tuple[Any, ...]:
    sink = Diagnostics()
    try:
        library = csljson.read_text(text, source="t.json", diagnostics=sink)
    except TypeError as exc:  # normalize_record on {"type": []} (not this module's to fix)
        return ("raised", str(exc))
    return library.records, library.locations, sink.items


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    fast = _read(text)
    with monkeypatch.context() as patch:
        patch.setattr(_csljson_fast, "available", False)
        slow = _read(text)
    return fast, slow


def _takes_fast_path(text: str) -> bool:
    start = csljson._WS.match(text).end()  # type: ignore[union-attr]
    return _csljson_fast.array_items(text, start, csljson._decode, csljson.MAX_DEPTH) is not None


ITEM = {
    "id": "a",
    "type": "book",
    "title": "T {with} [brackets]: and colons",
    "author": [{"family": "Doe", "given": "J"}, {"literal": "X"}],
    "issued": {"date-parts": [[2020, 5]]},
}
PRETTY = json.dumps([ITEM, {**ITEM, "id": "b"}, {**ITEM, "id": "c"}], indent=2)


@needs_orjson
def test_pretty_printed_array_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _takes_fast_path(PRETTY)
    fast, slow = _both(PRETTY, monkeypatch)
    assert fast == slow
    assert [(loc.line, loc.column) for loc in fast[1]] == [(2, 3), (24, 3), (46, 3)]


DUPLICATE = """[
  {
    "id": "a",
    "type": "book",
    "title": "first",
    "title": "second",
    "author": [{"family": "X", "family": "Y"}]
  },
  {
    "id": "b",
    "type": "book"
  }
]"""

NESTED_AT_ITEM_INDENT = """[
  {
    "id": "a",
    "type": "book",
    "custom": {"x":
  {
    "id": "fake"
  }}
  },
  {
    "id": "b",
    "type": "book"
  }
]"""

CASES = {
    "duplicates": DUPLICATE,
    "nested object at the items' indentation": NESTED_AT_ITEM_INDENT,
    "escaped brace": PRETTY.replace("{with}", "\\u007bwith\\u007D"),
    "escaped colon": PRETTY.replace("colons", "\\u003a"),
    "other escapes": PRETTY.replace("colons", '\\u00e9\\n\\t\\"\\\\ \\ud83d\\ude00'),
    "lone surrogate escape": PRETTY.replace("colons", "\\ud800"),
    "big integer": PRETTY.replace("2020", "18446744073709551616"),
    "big negative integer": PRETTY.replace("2020", "-9223372036854775809"),
    "64-bit integers": PRETTY.replace("2020", "18446744073709551615").replace("5]", "-9]"),
    "18-digit integers": PRETTY.replace("2020", "999999999999999999").replace("5]", "-1]"),
    "long digit run in a string": PRETTY.replace("colons", "doi/12345678901234567890123"),
    "float": PRETTY.replace("2020", "2020.5").replace("5]", "1e400]"),
    "NaN": PRETTY.replace("2020", "NaN"),
    "too deep": PRETTY.replace('"J"', "[" * 70 + "1" + "]" * 70),
    "deeper than orjson writes": PRETTY.replace('"J"', "[" * 300 + "1" + "]" * 300),
    "compact": json.dumps([ITEM, ITEM]),
    "four-space indent": json.dumps([ITEM, {**ITEM, "id": "b"}], indent=4),
    "tab indent and CRLF": json.dumps([ITEM, ITEM], indent="\t").replace("\n", "\r\n"),
    "not objects": '[\n  {\n    "id": "a"\n  },\n  5,\n  "x"\n]',
    "empty": "[]",
    "empty with space": "[ \n ]",
    "syntax error": PRETTY.replace('"b"', '"b",,'),
    "trailing junk": PRETTY + " x",
    "missing ids": '[\n  {\n    "type": "book"\n  },\n  {}\n]',
    "item on the first line": '[{"id": "a",\n  "type": "book"},\n  {"id": "b"}\n]',
}


@needs_orjson
@pytest.mark.parametrize("name", list(CASES))
def test_cases_match_the_located_reader(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(CASES[name], monkeypatch)
    assert fast == slow


@needs_orjson
def test_duplicates_and_nested_items_still_take_the_fast_path() -> None:
    """Both are settled by the counts, so the fast path need not give up on them."""
    assert _takes_fast_path(DUPLICATE)
    assert not _takes_fast_path(NESTED_AT_ITEM_INDENT)  # one candidate too many
    assert not _takes_fast_path(CASES["escaped brace"])
    assert not _takes_fast_path(CASES["big integer"])
    assert _takes_fast_path(CASES["long digit run in a string"])
    assert not _takes_fast_path(CASES["64-bit integers"])  # 19+ digits: not worth proving
    assert _takes_fast_path(CASES["18-digit integers"])


KEYS = st.sampled_from(["id", "type", "title", "author", "issued", "note", "x"]) | st.text(
    alphabet='ab{}[]:," \\\n', max_size=4
)
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.sampled_from('ab{}[]:,"\\\n\t\u2028é\U0001f600 0123456789'), max_size=8)
)
VALUES = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=3),
    max_leaves=12,
)
ITEMS = st.lists(
    st.dictionaries(KEYS, VALUES, max_size=5) | st.sampled_from([ITEM]) | VALUES, max_size=4
)


def _with_duplicate(text: str) -> str:
    """Repeat the first member of every item that has one (``{"k": v`` → ``{"k": v, "k": v``)."""
    out = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith('"') and stripped.endswith(",") and '": ' in stripped:
            out.append(line + "\n" + line)
        else:
            out.append(line)
    return "\n".join(out)


@needs_orjson
@settings(max_examples=150, deadline=None)
@given(ITEMS, st.sampled_from([2, 4, 1, "\t", None]), st.booleans())
def test_generated_arrays_match_the_located_reader(
    items: list[Any], indent: int | str | None, duplicate: bool
) -> None:
    text = json.dumps(items, indent=indent, ensure_ascii=False)
    if duplicate:
        text = _with_duplicate(text)
    fast = _read(text)
    saved = _csljson_fast.available
    _csljson_fast.available = False
    try:
        slow = _read(text)
    finally:
        _csljson_fast.available = saved
    assert fast == slow


@needs_orjson
@pytest.mark.corpus
def test_corpus_files_match_the_located_reader(
    corpora_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_files = 0
    for path in sorted(corpora_dir.rglob("*.json")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if not text.lstrip().startswith("["):
            continue
        fast_files += _takes_fast_path(text)
        fast, slow = _both(text, monkeypatch)
        assert fast == slow, path
    assert fast_files > 20

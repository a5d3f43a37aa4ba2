"""The orjson fast path of the CSL-JSON writer writes exactly the pure-Python path's bytes."""

from __future__ import annotations

import enum
import json
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.errors import Diagnostics
from citekit.model import Library
from citekit.writers import _orjson_fast
from citekit.writers.csljson import item_text, iter_write, ordered_record, write_text

needs_orjson = pytest.mark.skipif(not _orjson_fast.available, reason="orjson is not installed")


@pytest.fixture
def pure_python(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_orjson_fast, "available", False)


def _reference(record: dict[str, Any]) -> str:
    """What the writer must give for one record: json.dumps of the canonical order."""
    return json.dumps(ordered_record(record), ensure_ascii=False, indent=2).replace("\n", "\n  ")


def _both_paths(record: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    fast = item_text(record)
    with monkeypatch.context() as patch:
        patch.setattr(_orjson_fast, "available", False)
        slow = item_text(record)
    return fast, slow


class Colour(enum.IntEnum):
    RED = 1


class Text(str):
    pass


TRICKY_VALUES: list[Any] = [
    "".join(chr(c) for c in range(0x20)),
    "\x7f \u2028 \u2029 \ufeff \ud7ff \ue000 \uffff",
    'quote " backslash \\ slash / tab \t',
    "astral \U0001f600 \U0010ffff",
    "lone \ud800 surrogate",
    "\udfff",
    2**53 + 1,
    2**63,
    2**64 - 1,
    2**64,
    -(2**63) - 1,
    10**40,
    1.5,
    -0.0,
    1e16,
    1e-7,
    123456789.125,
    float("nan"),
    float("inf"),
    -float("inf"),
    None,
    True,
    False,
    [],
    {},
    [[]],
    [{}],
    (1, {"b": 2, "a": [{"d": 1, "c": 2}]}),
    {"b": {"z": 1, "a": 2}, "a": [3, {"y": None, "x": 1.0}]},
    {1: "non-string key"},
    {"k": {2: 3}},
    Colour.RED,
    Text("a str subclass"),
    OrderedDict([("b", 1), ("a", 2)]),
    [[[[[[[[[[[]]]]]]]]]]],
    "ends with digit 1.5",
    "null",
    "e-7",
]


@needs_orjson
@pytest.mark.parametrize("value", TRICKY_VALUES, ids=range(len(TRICKY_VALUES)))
@pytest.mark.parametrize("key", ["title", "custom", "categories", "version", "note", "id"])
def test_tricky_values_give_json_dumps_bytes(
    key: str, value: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = {"id": "x", "type": "book", "ZZ": [1, -2], "author": [{"given": "A", "family": "B"}]}
    record[key] = value
    fast, slow = _both_paths(record, monkeypatch)
    assert fast == slow == _reference(record)


@needs_orjson
def test_deep_nesting_beyond_orjson_limit_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    value: Any = "leaf"
    for _ in range(300):  # orjson refuses more than 255 levels
        value = [value]
    record = {"id": "x", "type": "book", "note": value}
    fast, slow = _both_paths(record, monkeypatch)
    assert fast == slow == _reference(record)


@needs_orjson
@pytest.mark.parametrize(
    "record",
    [
        {},
        {"title": "no id or type"},
        {"id": 5, "type": "book"},
        {"id": {"b": 1, "a": 2}, "type": "book"},  # nested keys of an id stay unsorted
        {"id": "x", "type": "book", "custom": {"b": 1, "a": {"d": 1, "c": 2}}},
        {"id": "x", "type": "book", "categories": ["b", "a"], "custom": {}},
        {"id": "x", "type": "book", "version": 3, "section": 2.5, "volume": 4},
        {"id": "x", "type": "book", "version": True},
        {"type": "book", "id": "x", "\x00": 1, "\U0010ffff": 2, "Z": 3, "é": 4},
    ],
)
def test_record_shapes(record: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both_paths(record, monkeypatch)
    assert fast == slow == _reference(record)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**60, max_value=2**70)
    | st.floats()
    | st.text()
    | st.text(alphabet=st.characters(max_codepoint=0x3000))
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=25,
)
KEYS = st.sampled_from(
    ["id", "type", "title", "custom", "categories", "version", "section", "author", "issued"]
) | st.text(max_size=4)
RECORDS = st.dictionaries(KEYS, JSON, max_size=8) | st.fixed_dictionaries(
    {"id": st.text(), "type": st.text()}, optional={"custom": JSON, "categories": JSON}
).flatmap(lambda head: st.dictionaries(KEYS, JSON, max_size=6).map(lambda d: {**d, **head}))


@settings(max_examples=200, deadline=None)
@given(st.lists(RECORDS, max_size=3))
def test_generated_records_both_paths(records: list[dict[str, Any]]) -> None:
    """write_text, iter_write and item_text give json.dumps's bytes with and without orjson."""
    want = json.dumps([ordered_record(r) for r in records], ensure_ascii=False, indent=2) + "\n"
    library = Library()
    library.records.extend(records)
    for enabled in {_orjson_fast.available, False}:
        saved = _orjson_fast.available
        _orjson_fast.available = enabled
        try:
            assert write_text(library, diagnostics=Diagnostics()) == want
            pieces = iter_write(((r, None) for r in records), diagnostics=Diagnostics())
            assert "".join(pieces) == want
            for record in records:
                assert item_text(record) == _reference(record)
        finally:
            _orjson_fast.available = saved


def test_item_text_is_the_iter_write_piece() -> None:
    records = [{"id": "a", "type": "book", "title": "T"}, {"id": "b", "type": "article"}]
    for indent in (2, 4, 0, None, "\t"):
        pieces = list(
            iter_write(((r, None) for r in records), diagnostics=Diagnostics(), indent=indent)
        )
        separator = (
            ", " if indent is None else ",\n" + (" " * indent if isinstance(indent, int) else "\t")
        )
        opening = "[" if indent is None else "[\n" + separator[2:]
        assert pieces[0] == opening + item_text(records[0], indent)
        assert pieces[1] == separator + item_text(records[1], indent)


def test_pure_python_path_alone(pure_python: None) -> None:
    record = {"id": "x", "type": "book", "title": "\u2028", "issued": {"date-parts": [[2020]]}}
    assert not _orjson_fast.available
    assert _orjson_fast.item_text(record) is None
    assert item_text(record) == _reference(record)


def _corpus_records(corpora_dir: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    from citekit import api

    for path in sorted(corpora_dir.rglob("*.json")):
        if path.name.endswith(".json") and "styles" not in path.parts:
            try:
                library = api.read(path, format="csl-json")
            except Exception:  # not a CSL-JSON file (e.g. a manifest)
                continue
            for record in library.records:
                yield path.name, record
    for path in sorted(corpora_dir.rglob("*.bib"))[:15]:
        for record in api.read(path).records:
            yield path.name, record


@needs_orjson
@pytest.mark.corpus
def test_corpus_records_both_paths(corpora_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    count = 0
    for name, record in _corpus_records(corpora_dir):
        fast, slow = _both_paths(record, monkeypatch)
        assert fast == slow, name
        count += 1
    assert count > 1000

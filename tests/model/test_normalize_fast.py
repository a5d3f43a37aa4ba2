"""normalize_record's shortcuts for clean names and dates equal the general normalisers."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.errors import Diagnostics
from citekit.model.normalize import (
    _plain_date,
    _plain_names,
    normalize_date,
    normalize_name,
    normalize_record,
)
from citekit.model.variables import NAME_PARTS

PART_VALUES = st.one_of(st.text(max_size=4), st.none(), st.integers(), st.booleans())
NAMES = st.lists(
    st.one_of(
        st.dictionaries(st.sampled_from([*NAME_PARTS, "other"]), PART_VALUES, max_size=4),
        st.text(max_size=3),
        st.none(),
    ),
    max_size=4,
)
NUMBERS = st.one_of(st.integers(-5, 40), st.booleans(), st.text(max_size=2), st.none())
DATES = st.one_of(
    st.fixed_dictionaries(
        {"date-parts": st.lists(st.lists(NUMBERS, max_size=4), max_size=3)},
        optional={"raw": st.text(max_size=6), "literal": st.text(max_size=3)},
    ),
    st.dictionaries(st.sampled_from(["date-parts", "season", "circa"]), NUMBERS, max_size=2),
)


@settings(max_examples=400, deadline=None)
@given(NAMES)
def test_plain_names_equal_normalize_name(values: list[Any]) -> None:
    plain = _plain_names(values)
    if plain is not None:
        assert plain == [normalize_name(v) for v in values]
        assert all(a is not b for a, b in zip(plain, values, strict=True))


@settings(max_examples=400, deadline=None)
@given(DATES)
def test_plain_date_equals_normalize_date(value: dict[str, Any]) -> None:
    plain = _plain_date(value)
    sink = Diagnostics()
    if plain is not None:
        assert plain == normalize_date(value, None, "issued")
        assert list(plain) == list(normalize_date(value, None, "issued") or {})
        assert plain["date-parts"] is not value["date-parts"]
    assert not sink.items


def test_record_with_clean_values_is_copied() -> None:
    author = [{"family": "Doe", "given": "J."}]
    record = {"id": "a", "type": "book", "author": author, "issued": {"date-parts": [[2020, 5]]},
              "edition": "2", "custom": {"bibtex": {}}}  # fmt: skip
    out = normalize_record(record, Diagnostics())
    assert out == record
    assert list(out) == ["id", "type", "custom", "author", "issued", "edition"]
    assert out is not None
    assert out["author"][0] is not author[0]


# --- owned=True: a clean record is only re-ordered; anything else takes the general path ---

VARIABLES = st.sampled_from(
    ["title", "page", "volume", "edition", "author", "editor", "issued", "accessed",
     "custom", "categories", "id", "type", "foo", "publisher-place", "URL", "genre",
     "container-author", "number", "original-date", "collection-number"]
)  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=3),
    st.integers(-2, 3000),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, width=16),
    NAMES,
    DATES,
    st.dictionaries(st.sampled_from(["bibtex", "x"]), st.text(max_size=2), max_size=2),
    st.lists(st.text(max_size=2), max_size=2),
)
IDS = st.one_of(st.text(max_size=3), st.integers(), st.none(), st.just(" "))
TYPES = st.one_of(st.sampled_from(["book", "article-journal", "document", "nope"]), st.none())


def _normalised(record: dict[str, Any], owned: bool) -> tuple[Any, list[Any]]:
    sink = Diagnostics()
    out = normalize_record(record, sink, fallback_id="fb", owned=owned, source="s", line=3)
    return out, [repr(item) for item in sink.items]


@settings(max_examples=600, deadline=None)
@given(IDS, TYPES, st.dictionaries(VARIABLES, VALUES, max_size=6), st.booleans())
def test_owned_equals_general(
    raw_id: Any, item_type: Any, rest: dict[str, Any], head: bool
) -> None:
    record = {"id": raw_id, "type": item_type, **rest} if head else {**rest, "id": raw_id}
    if item_type is None and not head:
        record.pop("type", None)
    general, general_diags = _normalised(copy.deepcopy(record), owned=False)
    owned, owned_diags = _normalised(copy.deepcopy(record), owned=True)
    assert owned == general
    assert json.dumps(owned) == json.dumps(general)  # the same key order, at every level
    assert owned_diags == general_diags


def test_owned_clean_record_reuses_values_in_canonical_order() -> None:
    author = [{"family": "Doe", "given": "J."}]
    custom = {"bibtex": {"type": "book"}}
    issued = {"date-parts": [[2020, 5], [2021]]}
    record = {"id": "a", "type": "book", "author": author, "volume": 3, "issued": issued,
              "title": "T", "custom": custom}  # fmt: skip
    out = normalize_record(record, Diagnostics(), owned=True)
    assert out == record
    assert out is not None
    assert out is not record
    assert list(out) == ["id", "type", "custom", "author", "volume", "issued", "title"]
    assert out["author"] is author
    assert out["custom"] is custom


def test_owned_unclean_values_take_the_general_path() -> None:
    cases = [("author", [{"family": None}]), ("issued", {"date-parts": [[2020, 13]]}),
             ("volume", True), ("title", 3), ("foo", "x"), ("categories", ["a"]),
             ("custom", "x"), ("issued", {"literal": "535 BCE"}), ("id", " ")]  # fmt: skip
    for variable, value in cases:
        record = {"id": "a", "type": "book", variable: value}
        general, general_diags = _normalised(copy.deepcopy(record), owned=False)
        owned, owned_diags = _normalised(copy.deepcopy(record), owned=True)
        assert (owned, owned_diags) == (general, general_diags), variable
        assert json.dumps(owned) == json.dumps(general)

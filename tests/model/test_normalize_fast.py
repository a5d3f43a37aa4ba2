"""normalize_record's shortcuts for clean names and dates equal the general normalisers."""

from __future__ import annotations

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

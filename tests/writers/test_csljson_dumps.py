"""The fast indented JSON encoder writes exactly what json.dumps writes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.writers.csljson import dumps

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(JSON, st.sampled_from([2, 1, 4, 0, None, "\t"]))
def test_dumps_equals_json_dumps(value: object, indent: int | str | None) -> None:
    assert dumps(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_non_string_keys_and_tuples_fall_back_or_match() -> None:
    for value in ({1: "a", "b": (1, 2)}, [("x", {"y": []})], {'é\n"': "\u2028"}):
        assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


RECORDS = st.lists(
    st.dictionaries(
        st.sampled_from(["id", "type", "title", "custom", "categories", "version", "author", "x"])
        | st.text(max_size=4),
        JSON | st.tuples(JSON, JSON) | st.integers() | st.floats(allow_nan=False),
        max_size=6,
    ),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(RECORDS, st.sampled_from([2, 1, 4, 0, None, "\t"]))
def test_record_writers_equal_json_dumps_of_ordered_records(
    records: list[dict[str, object]], indent: int | str | None
) -> None:
    """write_text and iter_write (one pass, no copies) equal json.dumps of ordered_record."""
    from citekit.errors import Diagnostics
    from citekit.model import Library
    from citekit.writers.csljson import iter_write, ordered_record, write_text

    want = json.dumps([ordered_record(r) for r in records], ensure_ascii=False, indent=indent)
    library = Library()
    library.records.extend(records)
    assert write_text(library, diagnostics=Diagnostics(), indent=indent) == want + "\n"
    pieces = iter_write(((r, None) for r in records), diagnostics=Diagnostics(), indent=indent)
    assert "".join(pieces) == want + "\n"

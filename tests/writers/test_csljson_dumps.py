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

"""The plain-name fast path splits names exactly like pybtex's Person."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.mapping.names import NameParser, _fast_split

WORD = st.from_regex(r"[A-Z][a-z]{0,6}(-[A-Z][a-z]{0,4})?\.?", fullmatch=True)


@pytest.mark.parametrize(
    "raw",
    ["Doe, Jane", "Doe, Jane A.", "Jane Ann Doe", "Smith-Jones, J.", "O'Neil, Pat",
     "Doe, J.-P.", "Jane Doe Jr", "Doe"],
)  # fmt: skip
def test_fast_split_matches_pybtex(raw: str) -> None:
    fast = _fast_split(raw)
    slow, problems = NameParser()._classic(raw)
    if fast is not None:
        assert fast == slow
        assert problems == ()


@pytest.mark.parametrize("raw", ["van Beethoven, Ludwig", "Doe, Jr, Jane", "{WHO}", "Dürer, A."])
def test_fast_split_steps_aside(raw: str) -> None:
    assert _fast_split(raw) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(WORD, min_size=1, max_size=3), st.lists(WORD, max_size=3), st.booleans())
def test_fast_split_equals_pybtex_on_generated_names(
    family: list[str], given_names: list[str], comma: bool
) -> None:
    raw = (
        f"{' '.join(family)}, {' '.join(given_names)}"
        if comma
        else " ".join([*given_names, *family])
    )
    fast = _fast_split(raw)
    if fast is not None:
        slow, problems = NameParser()._classic(raw)
        assert fast == slow
        assert problems == ()

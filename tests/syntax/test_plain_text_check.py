"""``plain_text``'s substring test is exactly the ``_NEEDS_WORK`` regular expression (issue 7)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.syntax import latex_to_unicode as latex

TEXT = st.text(alphabet="ab -`'!?\\{}$~\n\t", max_size=12) | st.text(max_size=30)


@settings(max_examples=1000, deadline=None)
@given(TEXT)
def test_plain_text_declines_exactly_what_the_regex_finds(value: str) -> None:
    needs_work = latex._NEEDS_WORK.search(value) is not None
    assert (latex.plain_text(value) is None) == needs_work


@pytest.mark.parametrize(
    "value", ["a\\b", "{", "}", "$x$", "a~b", "a--b", "``a", "a''", "!`", "?`"]
)
def test_each_trigger(value: str) -> None:
    assert latex.plain_text(value) is None
    assert latex.plain_text(value.replace(value.strip("ab"), "-")) is not None


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab \t\r\n\x85\u00a0\u2003", max_size=12) | st.text(max_size=20))
def test_collapse_equals_the_substitution(text: str) -> None:
    assert latex._collapse(text) == latex._SPACE.sub(" ", text).strip()

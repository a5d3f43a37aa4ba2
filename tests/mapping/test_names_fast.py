"""The plain-name fast path splits names exactly like pybtex's Person."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import raw_names

from citekit.mapping.names import NameParser, _fast_split, split_and

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
@given(raw_names(WORD))
def test_fast_split_equals_pybtex_on_generated_names(raw: str) -> None:
    fast = _fast_split(raw)
    if fast is not None:
        slow, problems = NameParser()._classic(raw)
        assert fast == slow
        assert problems == ()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" aAnNdDxX{}\\-", max_size=30))
def test_split_and_equals_pybtex_split_name_list(value: str) -> None:
    """citekit's own ``and`` splitter (pybtex stays unimported) gives pybtex's list."""
    from pybtex.bibtex.utils import split_name_list

    assert split_and(value) == split_name_list(value)


@pytest.mark.parametrize(
    "value",
    ["A and B", "{Barnes and Noble} and Smith", "x {and} y AND z", "a and {b and} c and {",
     "}a and b", "What a Strange{ }and Bizzare Name! and Peterson", ""],
)  # fmt: skip
def test_split_and_examples(value: str) -> None:
    from pybtex.bibtex.utils import split_name_list

    assert split_and(value) == split_name_list(value)


@pytest.mark.parametrize("raw", [r"M{\"u}ller, J{\"o}rg", r"J{\"o}rg M{\"u}ller-L{\"u}denscheid"])
def test_fast_split_with_braced_accents_matches_pybtex(raw: str) -> None:
    import pybtex.errors
    from pybtex.database import Person

    with pybtex.errors.capture():
        person = Person(raw)
    fast = _fast_split(raw)
    assert fast is not None
    assert fast["family"] == " ".join(person.last_names)
    assert fast.get("given", "") == " ".join(person.first_names + person.middle_names)
    assert not person.prelast_names
    assert not person.lineage_names

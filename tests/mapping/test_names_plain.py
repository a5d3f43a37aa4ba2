"""``plain_name`` (one regex for plain names) equals ``simple_split`` and the general parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import raw_names

from citekit.mapping.names import NameParser, plain_name, simple_split

WORD = st.from_regex(r"[A-Z][a-zA-Z.']{0,6}(-[A-Z][a-z.']{0,4})?", fullmatch=True)
ANY = st.text(alphabet=" ,.'-AaBbZz{}\\\"\t", max_size=24)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Doe", {"family": "Doe"}),
        ("Jane Doe", {"family": "Doe", "given": "Jane"}),
        ("Jane Q. Doe", {"family": "Doe", "given": "Jane Q."}),
        ("Doe, Jane Q.", {"family": "Doe", "given": "Jane Q."}),
        ("Smith-Jones, J.-P.", {"family": "Smith-Jones", "given": "J.-P."}),
    ],
)
def test_plain_names(raw: str, expected: dict[str, str]) -> None:
    assert plain_name(raw) == expected == simple_split(raw)


@pytest.mark.parametrize(
    "raw",
    ["van Berg, J.", "Doe, Jr, J.", "{WHO}", r"M{\"u}ller, K.", "Doe,Jane", "Doe  Jane",
     " Doe", "Doe, ", "Dürer, A.", "family=Doe, given=J."],
)  # fmt: skip
def test_plain_name_steps_aside(raw: str) -> None:
    assert plain_name(raw) is None


def _general(raw: str) -> tuple[dict[str, str], tuple[str, ...]]:
    parser = NameParser()
    return parser._classic(raw)  # the general path (parse_one tries plain_name first)


@settings(max_examples=300, deadline=None)
@given(raw_names(WORD))
def test_plain_name_equals_general_path_on_generated_names(raw: str) -> None:
    plain = plain_name(raw)
    if plain is not None:
        assert (plain, ()) == _general(raw)
        assert plain == simple_split(raw)


@settings(max_examples=500, deadline=None)
@given(ANY)
def test_plain_name_never_disagrees(raw: str) -> None:
    plain = plain_name(raw)
    if plain is not None:
        assert plain == simple_split(raw)
        assert (plain, ()) == _general(raw)

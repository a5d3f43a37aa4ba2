"""The writer's Encoder: its shortcuts give exactly what the general path gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.syntax import latex_encoder
from citekit.syntax.latex_encoder import Encoder, untouched
from citekit.syntax.unicode_to_latex import balance_braces

# Letters, capitals, digits, spaces and every character the encoder or the read-back check
# treats specially (markup, LaTeX, specials, braces, ligature halves, dashes, URLs).
_ALPHABET = "aAbBzZ09 .,:;-'`!?<>/$\\{}&%#_~^\u2013\u2014\u00a0üÉßłΩ\u0301httpsi"
_TEXTS = st.text(alphabet=_ALPHABET, max_size=24)


@given(_TEXTS)
@settings(max_examples=400, deadline=None)
def test_untouched_is_the_alternation(text: str) -> None:
    assert untouched(text) == (latex_encoder._UNTOUCHED.search(text) is None)


@given(st.text(alphabet=_ALPHABET, min_size=latex_encoder._LONG - 5, max_size=160))
@settings(max_examples=400, deadline=None)
def test_untouched_long_values_equal_the_alternation(text: str) -> None:
    assert untouched(text) == (latex_encoder._UNTOUCHED.search(text) is None)


@given(
    st.lists(st.sampled_from(["abc d. ", "Zü: ", "x-y ", "it's "]), min_size=30, max_size=40),
    st.sampled_from([*"<$\\{}&%#_~^", "``", "''", "!`", "?`", "http://", "https://"]),
    st.sampled_from(["", "a", "-", "\u2013", "\u2014"]),
    st.sampled_from(["", "-", "\u2013", "\u2014"]),
)
@settings(max_examples=300, deadline=None)
def test_untouched_long_values_with_one_trigger(
    words: list[str], trigger: str, before: str, after: str
) -> None:
    # A long plain text with one thing in it (or a dash pair) the encoder must look at.
    text = "".join(words) + before + after + " " + trigger + " end"
    assert len(text) > latex_encoder._LONG
    assert untouched(text) is False
    plain = "".join(words)
    assert untouched(plain) == (latex_encoder._UNTOUCHED.search(plain) is None)


@pytest.mark.parametrize("text", ["see https://x.org", "a -- b", "a `` b", "a ?` b", "x_y", "ab"])
def test_untouched_examples(text: str) -> None:
    assert untouched(text) == (text == "ab")


@given(
    _TEXTS,
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.sampled_from([False, True, "logos"]),
    st.sampled_from([None, "title", "journal", "abstract", "isbn"]),
)
@settings(max_examples=400, deadline=None)
def test_fast_path_and_cache_equal_the_general_path(
    text: str, ascii: bool, literal: bool, markup: bool, protect: bool | str, field: str | None
) -> None:
    enc = Encoder(ascii=ascii, literal=literal)
    general = enc._text(text, markup, protect, field)
    assert enc.text(text, markup=markup, protect_case=protect, field=field) == general
    assert enc.text(text, markup=markup, protect_case=protect, field=field) == general  # cached


def _balance_reference(text: str) -> str:
    """The former character-by-character balance_braces."""
    opens: list[int] = []
    bad: set[int] = set()
    for index, char in enumerate(text):
        if char == "{":
            opens.append(index)
        elif char == "}":
            if opens:
                opens.pop()
            else:
                bad.add(index)
    bad.update(opens)
    pieces: list[str] = []
    for index, char in enumerate(text):
        if index in bad:
            if pieces and pieces[-1] == "\\":
                pieces.pop()
            pieces.append("\\textbraceleft{}" if char == "{" else "\\textbraceright{}")
        else:
            pieces.append(char)
    return "".join(pieces)


@given(st.text(alphabet="ab{}\\ ", max_size=30))
@settings(max_examples=400, deadline=None)
def test_balance_braces_matches_reference(text: str) -> None:
    assert balance_braces(text) == _balance_reference(text)

"""format_name's plain-name shortcut writes what the general path (with its check) writes."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from citekit.mapping import bib_values
from citekit.mapping.bib_profiles import PROFILES
from citekit.mapping.csl_carrier import carrier_names
from citekit.syntax.latex_encoder import Encoder

_PART = st.text(alphabet="aAnNdDzZéÖ.'- ,{}\\", min_size=0, max_size=12)


def _general_path(name: dict[str, str], chosen: Any, enc: Encoder) -> tuple[str, str | None]:
    """:func:`bib_values.format_name` without its shortcuts: format, then verify."""
    text, note = bib_values._format_name(name, chosen, enc)
    if not ("=" in text and chosen.extended_names):
        text, note = bib_values._verified(name, text, note, chosen, enc)
    return text, note


@given(_PART, _PART, st.sampled_from(sorted(PROFILES)), st.booleans())
@settings(max_examples=400, deadline=None)
def test_plain_shortcut_equals_general_path(
    family: str, given: str, profile: str, ascii: bool
) -> None:
    name = {"family": family, "given": given}
    enc = Encoder(ascii=ascii, literal=True)
    chosen = PROFILES[profile]
    assert bib_values.format_name(name, chosen, enc) == _general_path(name, chosen, enc)


def test_and_family_is_braced() -> None:
    enc = Encoder(literal=True)
    name = {"family": "And", "given": "Jo"}
    assert bib_values.format_name(name, PROFILES["bibtex"], enc) == ("{And}, Jo", None)


_WORD = st.text(alphabet="aAnNdDvVzZéÖ.'-\u2019", min_size=0, max_size=8)
_WORDS = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)


_PARTICLES = st.lists(st.text(alphabet="adnvAé' ", min_size=0, max_size=5), max_size=2).map(
    " ".join
)


@given(
    _WORDS,
    st.one_of(st.none(), _WORDS),
    st.tuples(st.sampled_from(["dropping-particle", "non-dropping-particle"]), _PARTICLES),
    st.sampled_from(sorted(PROFILES)),
    st.booleans(),
)
@example("Belle", "G", ("non-dropping-particle", "Van"), "bibtex", True)  # merged or {V}an
@example("Belle", "G", ("dropping-particle", "van and"), "bibtex", True)
@example("Winter", "Joost", ("dropping-particle", "de"), "bibtex", True)
@example("Van Der Torre", None, ("dropping-particle", ""), "bibtex", True)
@example("Oliveira-de Souza", "R", ("dropping-particle", ""), "biblatex", False)
@example("Ö", None, ("dropping-particle", ""), "biblatex", True)
@example("O\u2019Connor", "Sandra Day", ("dropping-particle", ""), "bibtex", True)
@example(
    "D\u2019\u2019a", "A", ("dropping-particle", ""), "bibtex", True
)  # {\"O} alone: a given name
@settings(max_examples=800, deadline=None)
def test_capitalised_words_shortcut_equals_general_path(
    family: str,
    given: str | None,
    particle: tuple[str, str],
    profile: str,
    ascii: bool,
) -> None:
    name = {"family": family} if given is None else {"family": family, "given": given}
    if particle[1]:
        name[particle[0]] = particle[1]
    enc = Encoder(ascii=ascii, literal=True)
    chosen = PROFILES[profile]
    assert bib_values.format_name(name, chosen, enc) == _general_path(name, chosen, enc)


def test_capitalised_words_shape() -> None:
    shortcut = bib_values._capitalised_words
    assert shortcut({"family": "Van Der Torre", "given": "Leendert"})
    assert shortcut({"family": "Plato"})
    assert shortcut({"family": "Oliveira-Souza", "given": "R"})
    assert not shortcut({"family": "Van der Linden", "given": "Marcel"})  # "der" is von
    assert not shortcut({"family": "Oliveira-souza", "given": "R"})
    assert not shortcut({"family": "Van Der Torre"})  # no comma: "Van Der" reads as given
    assert not shortcut({"family": "Smith And Jones", "given": "Al"})
    assert not shortcut({"family": "Torre", "given": "L", "suffix": "Jr"})
    assert shortcut({"family": "Winter", "given": "Joost C. F.", "dropping-particle": "de"})
    assert shortcut({"family": "Belle", "given": "G", "non-dropping-particle": "van der"})
    assert not shortcut({"family": "Belle", "given": "G", "non-dropping-particle": "Van"})
    assert not shortcut({"family": "Belle", "given": "G", "non-dropping-particle": "van and"})
    assert not shortcut({"family": "Belle", "non-dropping-particle": "van"})  # no given


class _NoShortcut(Encoder):
    keeps_plain_ascii = False


_ASCII_PART = st.text(alphabet="aAnNdDzZ. -é,'", min_size=0, max_size=10)


@given(
    st.lists(
        st.one_of(
            st.fixed_dictionaries({"family": _ASCII_PART, "given": _ASCII_PART}),
            st.fixed_dictionaries({"family": _ASCII_PART}),
        ),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(sorted(PROFILES)),
    st.booleans(),
    st.booleans(),
)
@example([{"family": "And", "given": "Jo"}], "bibtex", True, True)
@example([{"family": "Smith", "given": "Jo and Al"}], "bibtex", True, True)
@example([{"family": "Smith", "given": "Jo  Al"}], "bibtex", True, True)
@settings(max_examples=500, deadline=None)
def test_ascii_name_shortcut_equals_general_path(
    names: list[dict[str, str]], profile: str, ascii: bool, et_al: bool
) -> None:
    chosen = PROFILES[profile]
    fast = bib_values.format_names(names, chosen, Encoder(ascii=ascii, literal=True), et_al=et_al)
    slow = bib_values.format_names(
        names, chosen, _NoShortcut(ascii=ascii, literal=True), et_al=et_al
    )
    assert fast == slow


@given(st.text(alphabet="aAzZ. ", max_size=20), st.booleans(), st.booleans())
@settings(max_examples=300, deadline=None)
def test_encoder_keeps_plain_ascii(text: str, ascii: bool, literal: bool) -> None:
    assert Encoder.keeps_plain_ascii
    assert Encoder(ascii=ascii, literal=literal).text(text, markup=False) == text


@given(
    st.lists(
        st.one_of(
            st.fixed_dictionaries({"family": _ASCII_PART, "given": _ASCII_PART}),
            st.fixed_dictionaries({"family": _ASCII_PART}),
            st.fixed_dictionaries({"literal": _ASCII_PART, "given": _ASCII_PART}),
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
    st.booleans(),
)
@example([{"family": "smith", "given": "Jo"}], True, False)  # lower-case family: extended
@example([{"family": "And", "given": "Jo"}], True, False)
@settings(max_examples=400, deadline=None)
def test_carrier_ascii_name_shortcut_equals_general_path(
    names: list[dict[str, str]], ascii: bool, et_al: bool
) -> None:
    fast = carrier_names(names, Encoder(ascii=ascii, literal=True), et_al=et_al)
    slow = carrier_names(names, _NoShortcut(ascii=ascii, literal=True), et_al=et_al)
    assert fast == slow

"""format_name's plain-name shortcut writes what the general path (with its check) writes."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from citekit.mapping import bib_values
from citekit.mapping.bib_profiles import PROFILES
from citekit.syntax.latex_encoder import Encoder

_PART = st.text(alphabet="aAnNdDzZéÖ.'- ,{}\\", min_size=0, max_size=12)


@given(_PART, _PART, st.sampled_from(sorted(PROFILES)), st.booleans())
@settings(max_examples=400, deadline=None)
def test_plain_shortcut_equals_general_path(
    family: str, given: str, profile: str, ascii: bool
) -> None:
    name = {"family": family, "given": given}
    enc = Encoder(ascii=ascii, literal=True)
    chosen = PROFILES[profile]
    text, note = bib_values._format_name(name, chosen, enc)
    if not ("=" in text and chosen.extended_names):
        text, note = bib_values._verified(name, text, note, chosen, enc)
    assert bib_values.format_name(name, chosen, enc) == (text, note)


def test_and_family_is_braced() -> None:
    enc = Encoder(literal=True)
    name = {"family": "And", "given": "Jo"}
    assert bib_values.format_name(name, PROFILES["bibtex"], enc) == ("{And}, Jo", None)


_WORD = st.text(alphabet="aAnNdDvVzZéÖ.'-", min_size=0, max_size=8)
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
    text, note = bib_values._format_name(name, chosen, enc)
    if not ("=" in text and chosen.extended_names):
        text, note = bib_values._verified(name, text, note, chosen, enc)
    assert bib_values.format_name(name, chosen, enc) == (text, note)


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

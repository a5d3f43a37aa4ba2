"""format_name's plain-name shortcut writes what the general path (with its check) writes."""

from __future__ import annotations

from hypothesis import given, settings
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

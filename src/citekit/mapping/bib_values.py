"""CSL values → ``.bib`` field values: names, dates, editions, arXiv identifiers.

Examples: ``{"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}`` →
``van Beethoven, Ludwig``; ``{"literal": "World Health Organization"}`` →
``{World Health Organization}``; ``{"date-parts": [[2020, 5]]}`` → ``year = {2020}``,
``month = may`` (BibTeX) or ``date = {2020-05}`` (BibLaTeX).
"""

from __future__ import annotations

import re
from typing import Any

from citekit.mapping.bib_profiles import BibProfile
from citekit.mapping.encoding import LatexEncoder
from citekit.model import to_edtf

__all__ = [
    "ARXIV_ID",
    "MONTH_MACROS",
    "date_fields",
    "edition_value",
    "format_name",
    "format_names",
    "is_simple_date",
]

MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ORDINALS = (
    "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
)  # fmt: skip
ARXIV_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z][a-z.\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
_AND_WORD = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def _part(text: str, enc: LatexEncoder) -> str:
    """Encode one name part, bracing it when BibTeX's name splitter would misread it."""
    encoded = enc.text(text, markup=False)
    if "," in encoded or _AND_WORD.search(encoded):
        return "{" + encoded + "}"
    return encoded


def _starts_lower(word: str) -> bool:
    for char in word:
        if char.isalpha():
            return char.islower()
        if char == "{":
            return False
    return False


def _extended(name: dict[str, Any], enc: LatexEncoder) -> str:
    parts = []
    for key, label in (
        ("family", "family"),
        ("given", "given"),
        ("suffix", "suffix"),
    ):
        if name.get(key):
            parts.append(f"{label}={{{enc.text(name[key], markup=False)}}}")
    particle = name.get("non-dropping-particle") or name.get("dropping-particle")
    if particle:
        parts.append(f"prefix={{{enc.text(particle, markup=False)}}}")
        parts.append(f"useprefix={'true' if name.get('non-dropping-particle') else 'false'}")
    return ", ".join(parts)


def format_name(
    name: dict[str, Any], profile: BibProfile, enc: LatexEncoder
) -> tuple[str, str | None]:
    """One CSL name → its ``.bib`` spelling, and a note when something had to be guessed.

    ``von Last, Jr., First``; literal names are braced; a capitalised particle is written in
    BibLaTeX's extended format when the profile allows it, else merged into the family name
    (the note says so).
    """
    literal = name.get("literal")
    family = str(name.get("family") or "")
    if literal or not family:
        text = str(literal or name.get("given") or "")
        if not literal and text and profile.extended_names:
            return f"given={{{enc.text(text, markup=False)}}}", None
        note = None if literal else "a name with only a given part is written as one word"
        return "{" + enc.text(text, markup=False) + "}", note
    given = str(name.get("given") or "")
    suffix = str(name.get("suffix") or "")
    particles = [
        str(name[k]) for k in ("dropping-particle", "non-dropping-particle") if name.get(k)
    ]
    von = " ".join(particles)
    note = None
    if (
        von
        and profile.extended_names
        and (not _starts_lower(von) or name.get("non-dropping-particle"))
    ):
        # BibLaTeX reads ``van Beethoven, Ludwig`` with useprefix=false (a dropping
        # particle); a non-dropping one needs ``prefix=…, useprefix=true``.
        return _extended(name, enc), None
    if von and not _starts_lower(von):
        if profile.extended_names:
            return _extended(name, enc), None
        note = f"capitalised particle {von!r} merged into the family name"
        family = f"{von} {family}"
        von = ""
    family_text = _part(family, enc)
    if " " in family.strip() and any(_starts_lower(w) for w in family.split()):
        family_text = "{" + enc.text(family, markup=False) + "}"
    last = f"{enc.text(von, markup=False)} {family_text}" if von else family_text
    pieces = [last]
    if suffix:
        pieces.append(_part(suffix, enc))
    if given or suffix:
        pieces.append(_part(given, enc))
    return ", ".join(pieces), note


def format_names(
    names: list[dict[str, Any]], profile: BibProfile, enc: LatexEncoder, *, et_al: bool = False
) -> tuple[str, list[str]]:
    """A CSL name list → the ``and``-joined field value, plus notes about guesses."""
    written: list[str] = []
    notes: list[str] = []
    for name in names:
        text, note = format_name(name, profile, enc)
        written.append(text)
        if note:
            notes.append(note)
    if et_al:
        written.append("others")
    return " and ".join(written), notes


def edition_value(value: Any, profile: BibProfile, enc: LatexEncoder) -> tuple[str, bool]:
    """An edition → its field text, and whether it was rewritten as an ordinal word."""
    text = str(value).strip()
    if text.isdigit() and profile.edition_words and 1 <= int(text) <= len(_ORDINALS):
        return _ORDINALS[int(text) - 1], True
    return enc.text(text, markup=False, field="edition"), False


def is_simple_date(value: dict[str, Any]) -> bool:
    """``True`` when ``year``/``month``/``day`` can say all of the date (no range, no ``~``)."""
    return (
        len(value.get("date-parts") or ()) <= 1
        and not value.get("circa")
        and not value.get("season")
        and "/" not in str(value.get("raw") or "")
    )


def date_fields(
    value: dict[str, Any], field: str, profile: BibProfile, enc: LatexEncoder
) -> tuple[list[tuple[str, str, bool]], str | None]:
    """A CSL date → ``(field, value, is_macro)`` triples, and a note if it was approximated.

    Args:
        value: The CSL date.
        field: The target field for EDTF form (``date``, ``urldate``, ``eventdate``…).
        profile: Decides between ``year``/``month``/``day`` and EDTF.
        enc: Encodes literal dates.
    """
    main = field in ("date", "year")
    edtf = to_edtf(value)
    literal = value.get("literal") or (value.get("raw") if edtf is None else None)
    if edtf is None:
        if not literal:
            return [], "date without usable parts"
        target = "year" if main else field
        return [(target, enc.text(str(literal), markup=False, field=target), False)], None
    if not main:
        return [(field, edtf, False)], None
    if profile.date_form == "edtf":
        return [("date", edtf, False)], None
    parts = value["date-parts"][0]
    out = [("year", str(parts[0]), False)]
    if len(parts) > 1:
        month = int(parts[1])
        if profile.month_macros:
            out.append(("month", MONTH_MACROS[month - 1], True))
        else:
            out.append(("month", str(month), False))
    if len(parts) > 2:
        out.append(("day", str(parts[2]), False))
    simple = is_simple_date(value)
    if not simple:
        out.append(("date", edtf, False))
        return out, f"{edtf} kept in date; year/month give its start"
    return out, None

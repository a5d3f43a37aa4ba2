"""CSL values → ``.bib`` field values: names, dates, editions, arXiv identifiers.

Examples: ``{"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}`` →
``van Beethoven, Ludwig``; ``{"literal": "World Health Organization"}`` →
``{World Health Organization}``; ``{"date-parts": [[2020, 5]]}`` → ``year = {2020}``,
``month = may`` (BibTeX) or ``date = {2020-05}`` (BibLaTeX).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from citekit.mapping.bib_name_shapes import (
    AND_WORD as _AND_WORD,
)
from citekit.mapping.bib_name_shapes import (
    ASCII_FAMILY as _ASCII_FAMILY,
)
from citekit.mapping.bib_name_shapes import (
    ASCII_GIVEN as _ASCII_GIVEN,
)
from citekit.mapping.bib_name_shapes import (
    capitalised_words as _capitalised_words,
)
from citekit.mapping.bib_profiles import BibProfile
from citekit.mapping.encoding import LatexEncoder
from citekit.mapping.names import NameParser
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
    (the note says so) — unless a classic spelling that BibTeX splits into exactly these
    parts exists (``Pinho de Souza, Jorge``: von ``Pinho de``), which is then written.
    Every classic spelling is checked with the reader's own splitter, so what is written
    reads back as the same parts (see :func:`_verified`).
    """
    if _is_plain(name):
        # What _format_name writes for it, and _verified accepts without parsing.
        return _part(name["family"], enc) + ", " + _part(name["given"], enc), None
    text, note = _format_name(name, profile, enc)
    if "=" in text and profile.extended_names:
        return text, note
    if _capitalised_words(name):
        return text, note  # what _verified accepts for it, after parsing it back
    return _verified(name, text, note, profile, enc)


_PLAIN_NAME = re.compile(r"[^\W\d_][\w.'-]*(?: [^\W\d_][\w.'-]*)*")
_PARSERS: dict[tuple[str, int], NameParser] = {}
_SPECIAL_FIRST = re.compile(r"^\{(\\(?:[^A-Za-z\s{}]|[A-Za-z]+ ?))\{?([A-Za-z])\}?\}")


def _canonical_name(name: dict[str, Any]) -> dict[str, str]:
    out = {}
    for key, value in name.items():
        if isinstance(value, str) and value:
            out[key] = " ".join(unicodedata.normalize("NFC", value).replace("\u00a0", " ").split())
    return out


def _is_plain(name: dict[str, Any]) -> bool:
    """A ``family`` + ``given`` name of plain words: every spelling reads back unchanged."""
    if len(name) != 2:
        return False  # exactly ``family`` and ``given`` (both checked below)
    family, given = name.get("family"), name.get("given")
    return (
        isinstance(family, str)
        and isinstance(given, str)
        and " " not in family
        and _PLAIN_NAME.fullmatch(family) is not None
        and _PLAIN_NAME.fullmatch(given) is not None
        and not _AND_WORD.search(given)
    )


def _candidates(name: dict[str, Any], enc: LatexEncoder) -> list[str]:
    """Other classic spellings of ``name``: ``von Last, Jr, First`` without any merging."""
    family = enc.text(str(name.get("family") or ""), markup=False)
    given = str(name.get("given") or "")
    suffix = str(name.get("suffix") or "")
    von = " ".join(
        str(name[k]) for k in ("dropping-particle", "non-dropping-particle") if name.get(k)
    )
    tails = [", " + _part(suffix, enc) + ", " + _part(given, enc)] if suffix else []
    tails.append(", " + _part(given, enc) if given else ",")
    vons = [""]
    if von:
        encoded = enc.text(von, markup=False)
        # BibTeX takes a word as von when its first letter at brace level 0 is lower-case:
        # ``\'{E}ric`` (unbraced accent) is, ``{\'E}ric`` is not.
        vons = [encoded + " ", _SPECIAL_FIRST.sub(r"\1{\2}", encoded) + " "]
        vons.append("{" + encoded[0] + "}" + encoded[1:] + " " if encoded[:1].isalpha() else "")
    out = []
    for prefix in vons:
        if prefix or not von:
            for last in (family, "{" + family + "}"):
                out += [prefix + last + tail for tail in tails]
    return out


def _verified(
    name: dict[str, Any], text: str, note: str | None, profile: BibProfile, enc: LatexEncoder
) -> tuple[str, str | None]:
    decode = getattr(enc, "decode", None)
    if decode is None or _is_plain(name) or "literal" in name or not name.get("family"):
        return text, note
    key = (profile.dialect, id(enc))
    parser = _PARSERS.get(key)
    if parser is None:
        if len(_PARSERS) > 16:
            _PARSERS.clear()
        parser = _PARSERS[key] = NameParser(decode, dialect=profile.dialect)
    # Same parts exactly (a no-break space stays one) first, then the same parts up to
    # white space, which is all the semantic diff compares.
    exact = {k: v for k, v in name.items() if isinstance(v, str) and v}
    back = parser.parse_one(text)[0]
    if back == exact:
        return text, note
    spellings = _candidates(name, enc)
    parsed = []
    for spelling in spellings:  # parsed one by one: the first exact one ends the search
        candidate = parser.parse_one(spelling)[0]
        if candidate == exact:
            return spelling, None
        parsed.append(candidate)
    canonical = _canonical_name(name)
    if _canonical_name(back) == canonical:
        return text, note
    for spelling, candidate in zip(spellings, parsed, strict=True):
        if _canonical_name(candidate) == canonical:
            return spelling, None
    return text, note


def _format_name(
    name: dict[str, Any], profile: BibProfile, enc: LatexEncoder
) -> tuple[str, str | None]:
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
    plain = getattr(enc, "keeps_plain_ascii", False)
    family_match, given_match = _ASCII_FAMILY.fullmatch, _ASCII_GIVEN.fullmatch
    for name in names:
        if plain and len(name) == 2:  # plain_ascii_name, inline (the usual name)
            family, given = name.get("family"), name.get("given")
            if (
                type(family) is str
                and type(given) is str
                and family_match(family) is not None
                and given_match(given) is not None
            ):
                written.append(family + ", " + given)  # what format_name writes (_is_plain)
                continue
        text, note = _format_name_cached(name, profile, enc)
        written.append(text)
        if note:
            notes.append(note)
    if et_al:
        written.append("others")
    return " and ".join(written), notes


_NAME_CACHE: dict[tuple[Any, ...], tuple[str, str | None]] = {}


def _format_name_cached(
    name: dict[str, Any], profile: BibProfile, enc: LatexEncoder
) -> tuple[str, str | None]:
    """:func:`format_name`, cached by the name's parts (authors repeat across records)."""
    try:
        key = (*name.items(), profile.extended_names, enc)
        cached = _NAME_CACHE.get(key)
    except TypeError:  # an unhashable part value
        return format_name(name, profile, enc)
    if cached is None:
        cached = format_name(name, profile, enc)
        if len(_NAME_CACHE) >= 32768:
            _NAME_CACHE.clear()  # bounded, so streaming memory stays flat
        _NAME_CACHE[key] = cached
    return cached


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


_DATE_CACHE: dict[tuple[Any, ...], tuple[list[tuple[str, str, bool]], str | None]] = {}


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
    parts = value.get("date-parts")
    if (
        len(value) == 1
        and type(parts) is list
        and len(parts) == 1
        and type(parts[0]) is list
        and all(type(part) is int for part in parts[0])
    ):
        # The usual date, ``[[2020, 5]]``: a pure function of these, cached (dates repeat).
        key = (field, profile.date_form, profile.month_macros, *parts[0])
        cached = _DATE_CACHE.get(key)
        if cached is None:
            cached = _date_fields(value, field, profile, enc)
            if len(_DATE_CACHE) >= 4096:
                _DATE_CACHE.clear()
            _DATE_CACHE[key] = cached
        return list(cached[0]), cached[1]
    return _date_fields(value, field, profile, enc)


def _date_fields(
    value: dict[str, Any], field: str, profile: BibProfile, enc: LatexEncoder
) -> tuple[list[tuple[str, str, bool]], str | None]:
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

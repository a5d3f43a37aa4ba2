"""Author lists of reading lists: split ``A, B, and C`` into CSL names, repair accent artefacts.

``parse_authors("Albert Gu, Karan Goel, and Christopher R´e")`` gives three names, the last
``{"family": "Ré", "given": "Christopher"}`` (the PDF copy-paste artefact ``R´e`` repaired);
``"Lindell et al."`` gives one name and ``truncated=True``. Names are split with pybtex's
``Person`` (BibTeX's rules: lower-case words before the surname are particles, so
"Laurens van der Maaten" → particle "van der", family "Maaten").

This module is deliberately small and self-contained: the BibTeX reader's ``names.py``
(issue 2) works on LaTeX-encoded BibTeX name lists, this one on plain Unicode prose.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pybtex.errors
from pybtex.database import Person

from citekit.model.record import Name

__all__ = ["ParsedAuthors", "parse_authors", "parse_name", "repair_accents"]

# Spacing accent → combining accent. "R´e" (acute before the letter, as PDF text extraction
# leaves it) becomes "Ré".
_SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # ´ acute
    "\u02ca": "\u0301",
    "\u00a8": "\u0308",  # ¨ diaeresis
    "\u02c6": "\u0302",  # ˆ circumflex
    "^": "\u0302",
    "`": "\u0300",  # grave
    "\u02cb": "\u0300",
    "\u02dc": "\u0303",  # ˜ tilde
    "~": "\u0303",
    "\u00b8": "\u0327",  # ¸ cedilla
    "\u02c7": "\u030c",  # ˇ caron
    "\u02d8": "\u0306",  # ˘ breve
    "\u02da": "\u030a",  # ˚ ring
}
_ARTEFACT = re.compile("([" + re.escape("".join(_SPACING_ACCENTS)) + "]) ?([A-Za-z\u0131])")
_ET_AL = re.compile(r"(?:,\s{0,3})?\bet\.?\s{0,3}al(?:\.|ii|ia)?", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s{0,5}(?:,|;|&|\band\b)\s{0,5}", re.IGNORECASE)
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_MARKS = "*†‡§¶#∗✝⋆"


@dataclass(slots=True)
class ParsedAuthors:
    """Names read from one author list."""

    names: list[Name] = field(default_factory=list)
    truncated: bool = False
    """The list ended in ``et al.`` (or ``and others``)."""
    repaired: list[str] = field(default_factory=list)
    """Names whose accent artefacts were repaired (as written)."""


def repair_accents(text: str) -> str:
    """Join a spacing accent to the letter after it: ``Doll´ar`` → ``Dollár`` (NFC)."""
    if not any(ch in text for ch in _SPACING_ACCENTS):
        return text
    fixed = _ARTEFACT.sub(
        lambda m: m.group(2).replace("\u0131", "i") + _SPACING_ACCENTS[m.group(1)], text
    )
    return unicodedata.normalize("NFC", fixed)


def parse_name(text: str) -> Name | None:
    """One written name → a CSL name dict (``None`` if nothing name-like is left)."""
    text = " ".join(text.strip().strip(_MARKS).split())
    text = text.strip(" .,;:*_")
    if not text or not any(ch.isalpha() for ch in text):
        return None
    suffix = None
    words = text.split(" ")
    if len(words) > 1 and words[-1].lower().rstrip(",") in _SUFFIXES:
        suffix = words.pop().rstrip(",")
        text = " ".join(words).rstrip(",")
    if len(words) == 1 and text.isupper() is False and "-" not in text and text[:1].isupper():
        return {"family": text} if suffix is None else {"family": text, "suffix": suffix}
    with pybtex.errors.capture():
        person = Person(text)
    given = " ".join(person.first_names + person.middle_names)
    particle = " ".join(person.prelast_names)
    family = " ".join(person.last_names)
    name: Name = {}
    if family:
        name["family"] = family
    if given:
        name["given"] = given
    if particle:
        name["non-dropping-particle"] = particle
    lineage = " ".join(person.lineage_names) or suffix
    if lineage:
        name["suffix"] = lineage
    if "family" not in name:
        return {"literal": text}
    return name


def parse_authors(text: str) -> ParsedAuthors:
    """Split a written author list (commas, semicolons, ``and``, ``&``) into CSL names."""
    result = ParsedAuthors()
    text = text.replace("\n", " ")
    repaired = repair_accents(text)
    if repaired != text:
        result.repaired.append(text.strip())
        text = repaired
    et_al = _ET_AL.search(text)
    if et_al is not None:
        result.truncated = True
        text = text[: et_al.start()]
    lowered = text.rstrip(" .").lower()
    for tail in (" and others", ", others"):
        if lowered.endswith(tail):
            result.truncated = True
            text = text.rstrip(" .")[: -len(tail)]
    for part in _SEPARATOR.split(text):
        if part.strip().lower() in _SUFFIXES and result.names:
            result.names[-1]["suffix"] = part.strip()
            continue
        name = parse_name(part)
        if name is not None:
            result.names.append(name)
    return result

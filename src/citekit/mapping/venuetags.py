"""Venue tags of reading lists: ``[CVPR 2023]``, ``(NeurIPS'22)``, ``arXiv preprint 2022``.

``parse_venue_tag("CVPRW '24")`` is a :class:`VenueTag` with the CVPR workshops venue and
year 2024; ``parse_venue_tag("(2023-01)")`` has no venue but year 2023 and month 1;
``parse_venue_tag("Meta AI")`` is ``None`` (an organisation, not a venue). Also
:func:`clean_label`, which strips markup and emoji from a tag or title. Every pattern is
anchored or bounded (linear time).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from citekit.mapping.venues import DEFAULT_TABLE, Venue, VenueTable

__all__ = ["VenueTag", "clean_label", "is_date_name", "parse_venue_tag"]

_HTML_TAG = re.compile(r"<[^<>\n]{0,400}>")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)\d{2})(?![0-9])")
_SHORT_YEAR = re.compile(r"['’](\d{2})(?![0-9])")
_MONTH = re.compile(r"(?:19|20)\d{2}[-/.](\d{1,2})(?![0-9])")
_SHORTCODE = re.compile(r":[a-z0-9_+\-]{1,40}:")
_DROPPED_CATEGORIES = frozenset(("So", "Sk", "Cf", "Mn", "Cs", "Co"))
_NOISE_WORDS = frozenset(("preprint", "ieee", "acm", "elsevier", "elsveier", "springer"))
_MONTHS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april"  # noqa: SIM905
    " june july august september october november december".split()
)


@dataclass(frozen=True, slots=True)
class VenueTag:
    """A parsed venue tag such as ``CVPR 2023``, ``NeurIPS'22`` or ``arXiv preprint 2022``."""

    written: str
    venue: Venue | None
    name: str
    year: int | None
    month: int | None = None
    extra: str = ""


def clean_label(text: str) -> str:
    """Markup, emoji and stray punctuation removed: ``**Text to Face👨🏻**`` → ``Text to Face``."""
    text = _HTML_TAG.sub("", text) if "<" in text else text
    text = _SHORTCODE.sub("", text) if ":" in text else text
    text = text.replace("**", "").replace("__", "")
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    return " ".join(text.split()).strip(" :-|*_#")


def parse_venue_tag(text: str, table: VenueTable = DEFAULT_TABLE) -> VenueTag | None:
    """Read a venue tag; ``None`` when it has neither a known venue nor a year."""
    written = clean_label(text).strip("[]()")
    if not written or len(written) > 120:
        return None
    year_match = _YEAR.search(written)
    month = None
    if year_match is not None:
        year: int | None = int(year_match.group(1))
        name, extra = written[: year_match.start()], written[year_match.end() :]
        month_match = _MONTH.match(written, year_match.start())
        if month_match is not None and 1 <= int(month_match.group(1)) <= 12:
            month = int(month_match.group(1))
            extra = written[month_match.end() :]
    else:
        short = _SHORT_YEAR.search(written)
        if short is not None:
            yy = int(short.group(1))
            year = 1900 + yy if yy > 70 else 2000 + yy
            name, extra = written[: short.start()], written[short.end() :]
        else:
            year, name, extra = None, written, ""
    name = name.strip(" '’,.-–(")
    if name.lower().startswith("arxiv:"):
        name = "arXiv"
    venue = _lookup(name, table)
    if venue is None and year is None:
        return None
    return VenueTag(written, venue, name, year, month, extra.strip(" ,.)–-"))


def _lookup(name: str, table: VenueTable) -> Venue | None:
    if not name:
        return None
    found = table.lookup(name)
    if found is not None:
        return found
    words = [w for w in name.replace("&", " & ").split() if w.lower() not in _NOISE_WORDS]
    candidates = [" ".join(words), name.rstrip("-")]
    if words and sum(ch.isupper() for ch in words[0]) >= 2:
        # "ICML Workshop on X" → ICML workshops; "CVPR Oral" → CVPR; never "Science China"
        workshop = any(w.lower().startswith("workshop") for w in words[1:])
        candidates.append(words[0] + "W" if workshop else words[0])
    for candidate in candidates:
        if candidate:
            found = table.lookup(candidate)
            if found is not None:
                return found
    return None


def is_date_name(name: str) -> bool:
    """Whether a tag's non-year part is only a date (``25 Aug``, ``Jan``, empty)."""
    words = name.lower().replace(",", " ").split()
    return not words or all(w in _MONTHS or w.isdigit() for w in words)

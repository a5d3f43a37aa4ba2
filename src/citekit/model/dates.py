"""CSL dates ⇄ ISO 8601 / EDTF strings, and month names.

``parse_edtf("2020-05/2020-07")`` gives ``{"date-parts": [[2020, 5], [2020, 7]]}``;
``to_edtf`` goes back. Seasons (EDTF ``21``–``24``) become CSL ``season``; ``~`` and ``?``
become ``circa``; anything unparseable returns ``None`` so callers can keep it as ``literal``.
"""

from __future__ import annotations

import contextlib
import re

from citekit.model.record import DateValue

__all__ = ["MONTHS", "parse_edtf", "parse_month", "to_edtf"]

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janvier", "januar", "jän", "jänner", "enero", "gennaio"),
            ("feb", "february", "février", "fevrier", "februar", "febrero", "febbraio"),
            ("mar", "march", "mars", "märz", "maerz", "marzo"),
            ("apr", "april", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio"),
            ("jun", "june", "juin", "juni", "junio", "giugno"),
            ("jul", "july", "juillet", "juli", "julio", "luglio"),
            ("aug", "august", "août", "aout", "agosto"),
            ("sep", "sept", "september", "septembre", "septiembre", "settembre"),
            ("oct", "october", "octobre", "oktober", "octubre", "ottobre"),
            ("nov", "november", "novembre", "noviembre"),
            ("dec", "december", "décembre", "decembre", "dezember", "diciembre", "dicembre"),
        ),
        start=1,
    )
    for name in names
}
"""Lower-case month names and abbreviations → 1–12."""

_SEASONS = {21: 1, 22: 2, 23: 3, 24: 4, 13: 1, 14: 2, 15: 3, 16: 4}
_POINT = re.compile(
    r"^(?P<year>[+-]?\d{1,6}|\d{2}XX|\d{3}X)"
    r"(?:-(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?)?"
    r"(?:[T ][0-9:.+\-Z]*)?(?P<qual>[?~%])?$"
)


def parse_month(text: str) -> int | None:
    """Return 1–12 for a month name, abbreviation (``"Sep."``) or number, else ``None``."""
    value = text.strip().rstrip(".").strip().lower()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(value)


def _parse_point(text: str) -> tuple[list[int], int | None, bool] | None:
    """One EDTF point → (date parts, season, circa), or ``None`` if it is not one."""
    match = _POINT.match(text.strip())
    if match is None:
        return None
    year_text = match["year"]
    if "X" in year_text:
        return None
    parts = [int(year_text)]
    season: int | None = None
    month, day = match["month"], match["day"]
    if month is not None and month != "XX":
        number = int(month)
        if 1 <= number <= 12:
            parts.append(number)
        elif number in _SEASONS and day is None:
            season = _SEASONS[number]
        else:
            return None
        if day is not None and day != "XX":
            day_number = int(day)
            if not 1 <= day_number <= 31 or season is not None:
                return None
            parts.append(day_number)
    return parts, season, match["qual"] is not None


def parse_edtf(text: str) -> DateValue | None:
    """Parse an ISO 8601 / EDTF level-1 date or range into a CSL date.

    Args:
        text: e.g. ``"2020"``, ``"2020-05-03"``, ``"2020-21"`` (spring), ``"2020~"``,
            ``"2019/2020"``, ``"2020-05/.."`` (open end), ``"-0044-03-15"``.

    Returns:
        A CSL date dict, or ``None`` when ``text`` is not such a date.
    """
    text = text.strip()
    if not text:
        return None
    if "/" in text:
        start_text, _, end_text = text.partition("/")
        start = _parse_point(start_text) if start_text not in ("", "..") else None
        end = _parse_point(end_text) if end_text not in ("", "..") else None
        if (start is None and start_text not in ("", "..")) or (
            end is None and end_text not in ("", "..")
        ):
            return None
        if start is None and end is None:
            return None
        if start is None or end is None:
            # Open range: CSL cannot express it in date-parts; keep the known end and the raw text.
            known = start or end
            assert known is not None
            return {"date-parts": [known[0]], "raw": text}
        value: DateValue = {"date-parts": [start[0], end[0]]}
        if start[2] or end[2]:
            value["circa"] = True
        return value
    point = _parse_point(text)
    if point is None:
        return None
    parts, season, circa = point
    value = {"date-parts": [parts]}
    if season is not None:
        value["season"] = season
    if circa:
        value["circa"] = True
    return value


def _format_point(parts: list[int | str]) -> str | None:
    try:
        numbers = [int(p) for p in parts]
    except (TypeError, ValueError):
        return None
    if not numbers:
        return None
    year = numbers[0]
    text = f"-{abs(year):04d}" if year < 0 else f"{year:04d}"
    for number in numbers[1:3]:
        text += f"-{number:02d}"
    return text


def to_edtf(value: DateValue) -> str | None:
    """Format a CSL date as ISO 8601 / EDTF (``None`` if it has no usable date-parts)."""
    raw = value.get("raw")
    parts_list = value.get("date-parts")
    if not parts_list or not isinstance(parts_list, list):
        if isinstance(raw, str) and parse_edtf(raw) is not None:
            return raw
        return None
    if isinstance(raw, str) and "/" in raw and parse_edtf(raw) is not None:
        return raw  # keeps open ranges exactly as read
    points = [_format_point(p) for p in parts_list[:2] if isinstance(p, list) and p]
    if not points or any(p is None for p in points):
        return None
    text = "/".join(p for p in points if p is not None)
    season = value.get("season")
    if season is not None and len(points) == 1 and text.count("-") == 0:
        with contextlib.suppress(TypeError, ValueError):
            text += f"-{20 + int(season):02d}"
    if value.get("circa") and "/" not in text:
        text += "~"
    return text

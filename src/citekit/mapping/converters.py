r"""Named value converters BibTeX → CSL: pages, edition words, dates, arXiv ids, keywords.

Each takes the (LaTeX-decoded where it makes sense) field value and returns the CSL value or
``None`` when it cannot convert (the caller then keeps the field in ``custom`` and reports).
Examples: ``pages("12--15")`` → ``"12-15"``; ``edition("Second")`` → ``2``;
``bib_date("2020", "jan", "")`` → ``{"date-parts": [[2020, 1]]}``.
"""

from __future__ import annotations

import re

from citekit.model import DateValue, parse_edtf, parse_month

__all__ = [
    "ARXIV_ID",
    "bib_date",
    "edition",
    "edtf_date",
    "keywords",
    "number",
    "pages",
]

# A run of dashes is one range dash (``10715----`` in bbt-user-library-7166.bib: reading
# ``--`` back from a two-dash run would not be idempotent).
_DASHES = re.compile(r"\s*(?:(?:-|–|—|\\textendash\{?\}?|\\textemdash\{?\}?)\s*)+")
_ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20,
    "erste": 1, "zweite": 2, "dritte": 3, "vierte": 4, "fünfte": 5,
    "premier": 1, "première": 1, "deuxième": 2, "troisième": 3,
}  # fmt: skip
_EDITION_NUMBER = re.compile(
    r"^(\d+)\s*(?:st|nd|rd|th|\.|e|er|re|ème|eme|te|ste)?(?:\s+(?:ed\.?|edn\.?|edition|"
    r"auflage|aufl\.|édition))?$",
    re.IGNORECASE,
)
_EDITION_WORD = re.compile(
    r"^([^\W\d]+)(?:\s+(?:ed\.?|edn\.?|edition|auflage|aufl\.|édition))?$", re.IGNORECASE
)
ARXIV_ID = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(v\d+)?$", re.I)
"""New-style (``2101.00001``) and old-style (``hep-th/9901001``) arXiv identifiers."""
_YEAR = re.compile(r"^\s*[{(]?\s*(-?\d{1,4})\s*[})]?\s*$")
_MONTH_DAY = re.compile(
    r"^\s*([^\W\d]+)\.?[\s~\u00a0]+(\d{1,2})(?:\s*(?:--?|–)\s*(\d{1,2}))?\s*,?\s*$"
)
_DAY_MONTH = re.compile(r"^\s*(\d{1,2})\.?[\s~\u00a0]+([^\W\d]+)\.?\s*,?\s*$")
_MONTH_RANGE = re.compile(r"^\s*([^\W\d]+\.?|\d{1,2})\s*(?:--?|–|/)\s*([^\W\d]+\.?|\d{1,2})\s*$")


def pages(value: str) -> str:
    """``12--15`` → ``12-15``; ``e1234`` stays; lists keep their commas."""
    return _DASHES.sub("-", value.strip())


def edition(value: str) -> int | str:
    """``2`` / ``2nd`` / ``Second`` / ``2nd edition`` → ``2``; anything else stays text."""
    text = value.strip()
    match = _EDITION_NUMBER.match(text)
    if match:
        return int(match.group(1))
    match = _EDITION_WORD.match(text)
    if match and match.group(1).lower() in _ORDINALS:
        return _ORDINALS[match.group(1).lower()]
    return text


def number(value: str) -> int | str:
    """A CSL number variable: an ``int`` for plain digits, else the text (``"3-4"``, ``"A1"``)."""
    text = value.strip()
    if text.isdigit() and len(text) < 10 and not (len(text) > 1 and text[0] == "0"):
        return int(text)
    return text


def keywords(value: str) -> str:
    """Keywords as one CSL string, separators normalised to ``", "``."""
    parts = [p.strip() for p in re.split(r"[,;]", value) if p.strip()]
    return ", ".join(parts)


def edtf_date(value: str) -> DateValue | None:
    """A BibLaTeX date field (EDTF level 1, ranges, open ranges) → CSL date, else ``None``."""
    text = value.strip()
    if text.endswith("/") or text.startswith("/"):
        text = text.replace("/", "/..", 1) if text.endswith("/") else ".." + text
    return parse_edtf(text)


def bib_date(year: str, month: str, day: str) -> tuple[DateValue | None, list[str]]:
    """Classic ``year``/``month``/``day`` fields → a CSL date and the problems found.

    A non-numeric year (``"in press"``, ``"2020a"``) gives a ``literal`` date; a month range
    (``Sep--Oct``) gives a date range within the year; a bad month or day is dropped with a
    problem (the caller keeps the field in ``custom``).
    """
    problems: list[str] = []
    year_text = year.strip()
    if not year_text:
        return None, problems
    year_match = _YEAR.match(year_text)
    if year_match is None:
        edtf = parse_edtf(year_text)
        if edtf is not None and not month and not day:
            return edtf, problems
        return {"literal": year_text}, [f"year {year_text!r} is not a number; kept as literal"]
    parts: list[int] = [int(year_match.group(1))]
    end_parts: list[int] | None = None
    if month.strip():
        month_number = parse_month(month)
        if month_number is None:
            range_match = _MONTH_RANGE.match(month)
            first = parse_month(range_match.group(1)) if range_match else None
            last = parse_month(range_match.group(2)) if range_match else None
            day_match = _MONTH_DAY.match(month)
            day_month = parse_month(day_match.group(1)) if day_match else None
            reverse = _DAY_MONTH.match(month)
            if day_match is None and reverse is not None:
                day_match = reverse
                day_month = parse_month(reverse.group(2))
            if first is not None and last is not None:
                parts.append(first)
                end_parts = [parts[0], last]
            elif day_match is not None and day_month is not None and not day.strip():
                if day_match is reverse:
                    first_day, last_day = int(day_match.group(1)), None
                else:
                    first_day, last_day = int(day_match.group(2)), day_match.group(3)
                if 1 <= first_day <= 31:
                    parts += [day_month, first_day]
                    if last_day and 1 <= int(last_day) <= 31:
                        end_parts = [parts[0], day_month, int(last_day)]
                else:
                    problems.append(f"month {month.strip()!r} is not a month")
            else:
                problems.append(f"month {month.strip()!r} is not a month")
        else:
            parts.append(month_number)
    if day.strip() and len(parts) == 2 and end_parts is None:
        day_text = day.strip()
        if day_text.isdigit() and 1 <= int(day_text) <= 31:
            parts.append(int(day_text))
        else:
            problems.append(f"day {day_text!r} is not a day of the month")
    date: DateValue = {"date-parts": [parts] if end_parts is None else [parts, end_parts]}
    return date, problems

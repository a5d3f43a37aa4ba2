"""CSL-JSON records -> citeproc-py references, with citekit's input fixes.

Fixes over citeproc-py's own ``CiteProcJSON`` reader: ids keep their case (citeproc-py
lower-cases them, so ``A1`` and ``a1`` collide; upstream bug) because each record gets an
internal key; ``raw``/EDTF dates become date parts; rich-text tags become neutral markers;
``language`` is passed on so English title case is not applied to other languages; CSL 1.0.2
variables citeproc-py does not list are still passed (without its ``UserWarning``); name
parts it does not know are dropped.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import DATES, NAMES, VARIABLES
from citeproc.source import Date, DateRange, LiteralDate, Name, Reference
from citeproc.string import MixedString, NoCase, String

from citekit.errors import Diagnostics
from citekit.model import Record, parse_edtf
from citekit.writers.formatted.markup import from_rich_text

__all__ = ["to_reference"]

_KNOWN = set(VARIABLES) | {"uri", "container_uri", "contributor", "date"}
_NAME_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix")
_NOCASE = re.compile(r'<span\s+class="nocase"\s*>(.*?)</span>', re.IGNORECASE | re.DOTALL)
_RENAMES = {"shortTitle": "title_short", "journalAbbreviation": "container_title_short"}
_YEAR_ONLY = re.compile(r"^\s*(-?\d{1,4})\s*$")


_VERBATIM = {"URL", "DOI", "ISBN", "ISSN", "PMID", "PMCID", "page", "page_first", "locator"}
_VERBATIM |= {"citation_label", "citation_number", "call_number", "archive_location", "number"}
_APOSTROPHE = re.compile(r"(?<=\w)'|'(?=\d\ds\b)")
_OPEN_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[\u2018\u201c]))'")
_OPEN_DOUBLE = re.compile(r'(?:(?<=^)|(?<=[\s(\[\u2018]))"')


def smart_quotes(text: str) -> str:
    """Typographic quotes for straight ones in data, as citeproc-js and pandoc print them.

    ``women's`` -> ``women’s``; ``'come a long way'`` -> ``‘come a long way’``;
    ``"x"`` -> ``“x”``. Quotes inside tags (``<span class="nocase">``) are left alone.
    """
    if "'" not in text and '"' not in text:
        return text
    parts = re.split(r"(<[^>]*>)", text)
    for i in range(0, len(parts), 2):
        part = _APOSTROPHE.sub("\u2019", parts[i])
        part = _OPEN_SINGLE.sub("\u2018", part).replace("'", "\u2019")
        part = _OPEN_DOUBLE.sub("\u201c", part).replace('"', "\u201d")
        parts[i] = part
    return "".join(parts)


def rich_string(value: object) -> MixedString:
    """A citeproc-py string for a CSL rich-text value (``nocase`` spans kept)."""
    text = str(value)
    if "<" not in text:  # no nocase span: one String (none when empty), as the loop gives
        plain = from_rich_text(text)
        return MixedString([String(plain)]) if plain else MixedString()
    out = MixedString()
    pos = 0
    for match in _NOCASE.finditer(text):
        if match.start() > pos:
            out += String(from_rich_text(text[pos : match.start()]))
        out += NoCase(from_rich_text(match.group(1)))
        pos = match.end()
    if pos < len(text) or not out:
        out += String(from_rich_text(text[pos:]))
    return out


def _name(parts: dict[str, str]) -> Name:
    """``Name(**parts)`` for parts citeproc-py accepts (``literal`` alone or name parts).

    citeproc-py's constructor only checks the keys (sets built per call) and fills the dict.
    """
    name: Name = Name.__new__(Name)
    dict.update(name, parts)
    return name


def _names(value: object) -> list[Name]:
    names: list[Name] = []
    if not isinstance(value, list):
        return names
    for item in value:
        if not isinstance(item, dict):
            continue
        if item.get("literal"):
            names.append(_name({"literal": from_rich_text(str(item["literal"]))}))
            continue
        parts = {k: from_rich_text(str(item[k])) for k in _NAME_PARTS if item.get(k)}
        if parts:
            names.append(_name(parts))
    return names


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _point(parts: object) -> dict[str, int] | None:
    if not isinstance(parts, list | tuple) or not parts:
        return None
    out: dict[str, int] = {}
    for name, value in zip(("year", "month", "day"), parts, strict=False):
        number = _int(value)
        if number is None:
            break
        out[name] = number
    return out if "year" in out else None


def _date(value: object) -> Date | DateRange | LiteralDate | None:
    if isinstance(value, str):
        value = {"raw": value}
    if not isinstance(value, dict):
        return None
    data: dict[str, Any] = dict(value)
    if not data.get("date-parts") and data.get("raw"):
        parsed = parse_edtf(str(data["raw"]))
        if parsed is None and (m := _YEAR_ONLY.match(str(data["raw"]))):
            parsed = {"date-parts": [[int(m.group(1))]]}
        if parsed is not None:
            data = {**parsed, **{k: v for k, v in data.items() if k != "raw"}}
        else:
            data.setdefault("literal", str(data["raw"]))
    circa = bool(data.get("circa"))
    points = [p for p in (_point(x) for x in data.get("date-parts") or []) if p is not None]
    if points and data.get("season") is not None and len(points) == 1:
        season = _int(data["season"])
        if season is not None:
            points[0]["season"] = season
    if len(points) == 1:
        return Date(circa=circa, **points[0])
    if len(points) > 1:
        return DateRange(begin=Date(**points[0]), end=Date(**points[1]), circa=circa)
    if data.get("literal"):
        return LiteralDate(str(data["literal"]), circa=circa)
    return None


def to_reference(record: Record, key: str, *, diagnostics: Diagnostics | None = None) -> Reference:
    """Build the citeproc-py reference for ``record`` under the internal ``key``."""
    data: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for name, value in record.items():
        if name in ("id", "type", "custom", "key") or value is None or value == "":
            continue
        python = _RENAMES.get(name, name.replace("-", "_"))
        if python not in _KNOWN:
            if isinstance(value, str | int | float):
                # CSL 1.0.2 variables (volume-title, part-title, ...): styles may print them
                extra[python] = rich_string(value)
            continue
        if python in NAMES:
            names = _names(value)
            if names:
                data[python] = names
        elif python in DATES:
            date = _date(value)
            if date is not None:
                data[python] = date
            elif diagnostics is not None:
                diagnostics.warning(
                    "format.unusable-date",
                    f"date {value!r} cannot be formatted",
                    key=str(record.get("id")),
                    field=name,
                )
        elif python == "language":
            data[python] = str(value)
        elif isinstance(value, list | dict):
            continue
        elif python in _VERBATIM:
            data[python] = rich_string(value)
        else:
            data[python] = rich_string(smart_quotes(str(value)))
    item_type = str(record.get("type") or "document")
    # Reference(key, item_type, **data) without its per-call key check (a set of ~100
    # variables built each time): every key of ``data`` is in ``_KNOWN``, its optional set
    reference: Reference = Reference.__new__(Reference)
    dict.update(reference, key=key, type=item_type)
    dict.update(reference, data)
    for python, value in extra.items():
        # set after construction: citeproc-py warns about variables it does not list
        dict.__setitem__(reference, python, value)
    return reference

"""normalize_record(): the single boundary cleaner every reader ends with.

After it, a record has a string ``id``, a CSL 1.0.2 ``type``, names as lists of dicts with
string parts, dates with integer ``date-parts``, numbers as ``int`` or ``str`` and strings
as ``str``. Anything that does not fit the schema is moved, with a diagnostic, into
``custom`` rather than dropped, e.g. ``{"issued": "2020-05"}`` becomes
``{"issued": {"date-parts": [[2020, 5]]}}`` and an unknown key ``"foo"`` becomes
``custom["extra-variables"]["foo"]``.
"""

from __future__ import annotations

import json
from typing import Any

from citekit.errors import Diagnostics
from citekit.model.dates import parse_edtf
from citekit.model.record import DateValue, Name, Record
from citekit.model.variables import (
    DATE_VARIABLES,
    ITEM_TYPES,
    LEGACY_VARIABLE_ALIASES,
    NAME_PARTS,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    STRING_VARIABLES,
)

__all__ = ["normalize_date", "normalize_name", "normalize_record"]

_SEASON_MONTHS = {13: 1, 14: 2, 15: 3, 16: 4, 21: 1, 22: 2, 23: 3, 24: 4}
_STRING_PARTS = frozenset(NAME_PARTS) - {"static-ordering", "parse-names", "comma-suffix"}
_AS_IS = STRING_VARIABLES | NUMBER_VARIABLES
"""Variables whose ``str`` value is kept as it is (none of them is a legacy alias)."""
assert not (_AS_IS | NAME_VARIABLES | DATE_VARIABLES) & LEGACY_VARIABLE_ALIASES.keys()


def _plain_names(values: list[Any]) -> list[Name] | None:
    """Copies of ``values`` when each is a non-empty dict of string name parts, else ``None``.

    For such a list :func:`normalize_name` changes nothing but the identity of the dicts;
    anything else (``None`` parts, other parts, other types, an empty list) takes the
    general path.
    """
    return [dict(name) for name in values] if _clean_names(values) else None


def _clean_names(values: list[Any]) -> bool:
    """Whether ``values`` is a non-empty list of non-empty dicts of string name parts."""
    if not values:
        return False
    for name in values:
        if type(name) is not dict or not name or not name.keys() <= _STRING_PARTS:
            return False
        for part in name.values():
            if type(part) is not str:
                return False
    return True


def _clean_date(value: dict[str, Any]) -> bool:
    """Whether ``value`` is a date :func:`normalize_date` returns unchanged.

    ``{"date-parts": …}`` with one or two non-empty lists of at most three ``int`` parts,
    month 1-12 and day 1-31.
    """
    if len(value) != 1:
        return False
    parts_list = value.get("date-parts")
    if type(parts_list) is not list or not 1 <= len(parts_list) <= 2:
        return False
    for parts in parts_list:
        if type(parts) is not list or not 1 <= len(parts) <= 3:
            return False
        for part in parts:
            if type(part) is not int:
                return False
        if len(parts) >= 2 and not 1 <= parts[1] <= 12:
            return False
        if len(parts) == 3 and not 1 <= parts[2] <= 31:
            return False
    return True


def _owned_clean(record: dict[str, Any]) -> Record | None:
    """``normalize_record(record)`` for a record that is already clean, reusing its values.

    Clean: a non-blank string ``id``, a CSL ``type``, ``custom`` absent or an object, no
    ``categories``, and every other value a string of a string or number variable, an
    ``int`` of a number variable, a list :func:`_plain_names` accepts of a name variable or
    a date :func:`_plain_date` accepts: exactly the records the general path returns equal
    to themselves, with no diagnostic (``tests/model/test_normalize_fast.py``). ``None``
    for any other record (the general path then runs).
    """
    raw_id = record.get("id")
    item_type = record.get("type")
    if type(raw_id) is not str or type(item_type) is not str or item_type not in ITEM_TYPES:
        return None
    if not raw_id or raw_id.isspace() or "categories" in record:
        return None
    custom = record.get("custom")
    for variable, value in record.items():
        kind = type(value)
        if kind is str:
            if variable in _AS_IS or variable in _HEAD_KEYS:
                continue
        elif kind is list:
            if variable in NAME_VARIABLES and _clean_names(value):
                continue
        elif kind is dict:
            if variable in DATE_VARIABLES and _clean_date(value):
                continue
            if variable == "custom":
                continue
        elif kind is int and variable in NUMBER_VARIABLES:
            continue
        return None
    out: Record = {"id": raw_id, "type": item_type}
    if custom is not None:
        out["custom"] = custom
    out.update(record)  # the others in record order; id/type/custom keep their places
    return out


_HEAD_KEYS = frozenset(("id", "type"))


def _plain_date(value: dict[str, Any]) -> DateValue | None:
    """A copy of ``{"date-parts": [[y, m, d], …]}`` already in range, else ``None``.

    One or two non-empty lists of at most three ``int`` parts, month 1-12 and day 1-31:
    exactly the dates :func:`normalize_date` returns unchanged (as a copy).
    """
    if not _clean_date(value):
        return None
    return {"date-parts": [list(parts) for parts in value["date-parts"]]}


class _Where:
    """Location context for diagnostics about one record."""

    def __init__(self, sink: Diagnostics, key: str | None, where: dict[str, Any]) -> None:
        self.sink, self.key, self.where = sink, key, where

    def warn(self, code: str, message: str, field: str | None = None) -> None:
        self.sink.warning(code, message, key=self.key, field=field, **self.where)

    def error(self, code: str, message: str, field: str | None = None) -> None:
        self.sink.error(code, message, key=self.key, field=field, **self.where)

    def info(self, code: str, message: str, field: str | None = None) -> None:
        self.sink.info(code, message, key=self.key, field=field, **self.where)


def _stash(record: Record, variable: str, value: Any) -> None:
    record.setdefault("custom", {}).setdefault("extra-variables", {})[variable] = value


def normalize_name(value: Any) -> Name | None:
    """One name value → a CSL name dict (``None`` if it is not a name at all)."""
    if isinstance(value, str):
        return {"literal": value} if value.strip() else None
    if not isinstance(value, dict):
        return None
    name: Name = {}
    for part, part_value in value.items():
        if part not in NAME_PARTS or part_value is None:
            continue
        if part in ("static-ordering", "parse-names", "comma-suffix"):
            name[part] = part_value
        else:
            name[part] = part_value if isinstance(part_value, str) else str(part_value)
    return name or None


def _date_part(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def normalize_date(
    value: Any, report: _Where | None = None, variable: str = ""
) -> DateValue | None:
    """One date value (dict, EDTF string or year number) → a CSL date dict, or ``None``."""

    def warn(message: str) -> None:
        if report is not None:
            report.warn("csl-json.bad-date", message, variable)

    if isinstance(value, (int, str)) and not isinstance(value, bool):
        text = str(value)
        parsed = parse_edtf(text)
        if parsed is None:
            return {"literal": text} if text.strip() else None
        return parsed
    if not isinstance(value, dict):
        warn(f"{variable} is not a date object: {value!r}")
        return None
    out: DateValue = {}
    for key in ("season", "circa", "literal", "raw"):
        if value.get(key) not in (None, ""):
            out[key] = value[key]
    parts_list = value.get("date-parts")
    if parts_list is not None:
        cleaned: list[list[int]] = []
        if isinstance(parts_list, list):
            for parts in parts_list[:2]:
                if not isinstance(parts, list):
                    continue
                numbers: list[int] = []
                for part in parts[:3]:
                    number = _date_part(part)
                    if number is None:
                        break
                    numbers.append(number)
                if len(parts) > 3:
                    warn(f"{variable} has more than three date parts; kept year-month-day")
                if len(numbers) >= 2 and numbers[1] in _SEASON_MONTHS:
                    if len(numbers) > 2:
                        warn(
                            f"{variable} has season {numbers[1]} with a day ({numbers[2]}); "
                            "kept the year and season"
                        )
                    out.setdefault("season", _SEASON_MONTHS[numbers[1]])
                    numbers = numbers[:1]
                elif len(numbers) >= 2 and not 1 <= numbers[1] <= 12:
                    warn(f"{variable} has month {numbers[1]} outside 1-12; kept the year")
                    numbers = numbers[:1]
                if len(numbers) == 3 and not 1 <= numbers[2] <= 31:
                    warn(f"{variable} has day {numbers[2]} outside 1-31; kept year-month")
                    numbers = numbers[:2]
                if numbers:
                    cleaned.append(numbers)
            if len(parts_list) > 2:
                warn(f"{variable} has more than two date-parts lists; kept the first two")
        if cleaned:
            out["date-parts"] = cleaned
        elif parts_list not in ([], [[]], [[None]]):
            warn(f"{variable} has unusable date-parts {parts_list!r}")
    if "date-parts" not in out and isinstance(out.get("raw"), str):
        parsed = parse_edtf(out["raw"])
        if parsed is not None:
            out.update({k: v for k, v in parsed.items() if k != "raw"})
    return out or None


def normalize_record(
    record: Any,
    diagnostics: Diagnostics,
    *,
    fallback_id: str | None = None,
    owned: bool = False,
    **where: Any,
) -> Record | None:
    """Return a schema-clean copy of ``record`` (``None`` if it is not an object at all).

    Args:
        record: A decoded CSL-JSON item, or any value claimed to be one.
        diagnostics: Where problems are reported.
        fallback_id: Id to use when the record has none (a warning is reported).
        owned: The caller hands ``record`` over (it is not used afterwards and shares no
            container with anything else): the result may then hold ``record``'s own
            values (names, dates, ``custom``) instead of copies. A record that is already
            clean is then only re-ordered (``id``, ``type``, ``custom`` first), the common
            case of the ``.bib`` reader's mapped records.
        **where: ``source``/``line``/``column`` for the diagnostics.
    """
    if owned and type(record) is dict:
        clean = _owned_clean(record)
        if clean is not None:
            return clean
    if not isinstance(record, dict):
        diagnostics.error(
            "csl-json.not-an-object", f"item is a {type(record).__name__}, not an object", **where
        )
        return None
    raw_id = record.get("id")
    key = str(raw_id) if raw_id is not None else fallback_id
    report = _Where(diagnostics, key, where)
    out: Record = {}
    if raw_id is None or (isinstance(raw_id, str) and not raw_id.strip()):
        report.warn("csl-json.missing-id", f"item has no id; using {fallback_id!r}", "id")
        out["id"] = fallback_id or ""
    elif isinstance(raw_id, (str, int)) and not isinstance(raw_id, bool):
        out["id"] = str(raw_id)
    else:
        report.warn("csl-json.bad-id", f"id {raw_id!r} is not a string or number", "id")
        out["id"] = json.dumps(raw_id, ensure_ascii=False)
    item_type = record.get("type")
    if isinstance(item_type, str) and item_type in ITEM_TYPES:
        out["type"] = item_type
    else:
        if item_type is None:
            report.warn("csl-json.missing-type", "item has no type; using 'document'", "type")
        else:
            report.warn(
                "csl-json.unknown-type", f"unknown type {item_type!r}; using 'document'", "type"
            )
            _stash(out, "type", item_type)
        out["type"] = "document"
    custom = record.get("custom")
    if custom is not None:
        if isinstance(custom, dict):
            out.setdefault("custom", {}).update(custom)
        else:
            report.warn("csl-json.bad-custom", "custom is not an object; kept as custom.value")
            out.setdefault("custom", {})["value"] = custom
    categories = record.get("categories")
    if categories is not None:
        if isinstance(categories, list) and all(isinstance(c, str) for c in categories):
            out["categories"] = list(categories)
        else:
            report.warn("csl-json.bad-categories", "categories is not a list of strings")
            _stash(out, "categories", categories)
    for raw_variable, value in record.items():
        if raw_variable in ("id", "type", "custom", "categories"):
            continue
        kind = type(value)
        if kind is str:
            if raw_variable in _AS_IS:
                out[raw_variable] = value  # the common case (no such variable is an alias)
                continue
        elif kind is list:
            if raw_variable in NAME_VARIABLES:
                plain = _plain_names(value)
                if plain is not None:
                    out[raw_variable] = plain
                    continue
        elif kind is dict and raw_variable in DATE_VARIABLES:
            date = _plain_date(value)
            if date is not None:
                out[raw_variable] = date
                continue
        variable = LEGACY_VARIABLE_ALIASES.get(raw_variable, raw_variable)
        if variable != raw_variable and variable in record:
            _stash(out, raw_variable, value)
            continue
        if value is None:
            report.info("csl-json.null-value", f"{raw_variable} is null; left out", raw_variable)
            continue
        if variable in NAME_VARIABLES:
            values = value if isinstance(value, list) else [value]
            names = [normalize_name(v) for v in values]
            if any(n is None for n in names):
                report.warn(
                    "csl-json.bad-name", f"{variable} has entries that are not names", variable
                )
                _stash(out, variable, value)
            kept = [n for n in names if n is not None]
            if kept:
                out[variable] = kept
        elif variable in DATE_VARIABLES:
            date = normalize_date(value, report, variable)
            if date is None:
                _stash(out, variable, value)
            else:
                out[variable] = date
        elif variable in NUMBER_VARIABLES:
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                report.warn(
                    "csl-json.bad-number", f"{variable} is not a number or string", variable
                )
                _stash(out, variable, value)
            else:
                out[variable] = (
                    int(value)
                    if isinstance(value, float) and value.is_integer()
                    else (str(value) if isinstance(value, float) else value)
                )
        elif variable in STRING_VARIABLES:
            if isinstance(value, str):
                out[variable] = value
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                out[variable] = str(value)
            else:
                report.warn("csl-json.bad-string", f"{variable} is not a string", variable)
                _stash(out, variable, value)
        else:
            report.info(
                "csl-json.unknown-variable",
                f"{raw_variable!r} is not a CSL variable; kept in custom.extra-variables",
                raw_variable,
            )
            _stash(out, raw_variable, value)
    return out

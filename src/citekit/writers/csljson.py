"""CSL-JSON writer: stable key order, UTF-8, valid against csl-data.json.

Keys are written in a fixed order (``id``, ``type``, then variables alphabetically, then
``custom``), with two-space indentation and non-ASCII characters kept as they are, so the
same library always gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from citekit.errors import Diagnostics
from citekit.model import Library, Record

__all__ = ["ordered_record", "write_text"]

_FIRST = ("id", "type")
_LAST = ("categories", "custom")
_STRING_ONLY = frozenset({"version", "section"})
"""Number variables of the CSL 1.0.2 specification that csl-data.json types as strings only."""


def ordered_record(record: Record) -> dict[str, Any]:
    """``record`` with keys in citekit's canonical order (name parts and nested dicts sorted)."""
    out: dict[str, Any] = {key: record[key] for key in _FIRST if key in record}
    for key in sorted(k for k in record if k not in _FIRST and k not in _LAST):
        value = record[key]
        if key in _STRING_ONLY and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        out[key] = _sorted_value(value)
    for key in _LAST:
        if key in record:
            out[key] = _sorted_value(record[key])
    return out


def _sorted_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted_value(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted_value(item) for item in value]
    return value


def write_text(library: Library, *, diagnostics: Diagnostics, **options: Any) -> str:
    """Serialise the records of ``library`` as a CSL-JSON array (ends with a newline).

    Args:
        library: The records to write.
        diagnostics: Unused by this writer; accepted for the common writer signature.
        **options: ``indent`` (default 2).
    """
    indent = options.get("indent", 2)
    records = [ordered_record(record) for record in library.records]
    return json.dumps(records, ensure_ascii=False, indent=indent) + "\n"

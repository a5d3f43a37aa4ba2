"""CSL-JSON writer: stable key order, UTF-8, valid against csl-data.json.

Keys are written in a fixed order (``id``, ``type``, then variables alphabetically, then
``categories``, ``custom``), with two-space indentation and non-ASCII characters kept as
they are, so the same library always gives the same bytes: exactly
``json.dumps(ordered_record(record), ensure_ascii=False, indent=indent)``.

With the default indent, records are encoded by orjson when it is installed
(:mod:`citekit.writers._orjson_fast`, about a third of the CPU); anything orjson would write
differently falls back to the pure-Python encoder below, so the bytes never depend on it.
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Iterable, Iterator
from typing import Any

from citekit.errors import Diagnostics
from citekit.model import Library, Record, SourceLocation
from citekit.writers import _orjson_fast

__all__ = [
    "array_frame",
    "dumps",
    "item_separator",
    "item_text",
    "iter_write",
    "ordered_record",
    "write_text",
]

_FIRST = _orjson_fast.FIRST
_LAST = _orjson_fast.LAST
_STRING_ONLY = frozenset(_orjson_fast.STRING_ONLY)
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
    if isinstance(value, (list, tuple)):  # a tuple is a JSON array too: its dicts are sorted
        return [_sorted_value(item) for item in value]
    return value


class _Fallback(Exception):
    """A value the fast encoder does not handle (``json.dumps`` then does all of it)."""


_ENCODE = json.encoder.encode_basestring  # the C version when available


def _dump(value: Any, newline: str, step: str) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=...)`` for plain JSON data, faster.

    The stdlib only uses its C encoder without ``indent``; this recursion produces the same
    text about three times faster for CSL records (the test-suite compares them).
    """
    kind = type(value)
    if kind is str:
        return _ENCODE(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + step
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise _Fallback
            parts.append(_ENCODE(key) + ": " + _dump(item, inner, step))
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + step
        return (
            "[" + inner + ("," + inner).join(_dump(v, inner, step) for v in value) + newline + "]"
        )
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(value)
    raise _Fallback


def dumps(value: Any, indent: int | str | None = 2) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=indent)``, with a fast path."""
    if isinstance(indent, int) and not isinstance(indent, bool) and indent > 0:
        try:
            return _dump(value, "\n", " " * indent)
        except (_Fallback, RecursionError):
            pass
    return json.dumps(value, ensure_ascii=False, indent=indent)


def _dump_sorted(value: Any, newline: str, step: str) -> str:
    """``_dump(_sorted_value(value), ...)`` in one pass (dicts written in key order).

    Strings are encoded in place rather than by a call per value; a non-string key makes
    ``_ENCODE`` raise ``TypeError`` and the caller falls back to ``json.dumps``.
    """
    kind = type(value)
    if kind is dict:
        if not value:
            return "{}"
        inner = newline + step
        parts = []
        for key in sorted(value):
            item = value[key]
            parts.append(
                _ENCODE(key)
                + ": "
                + (_ENCODE(item) if type(item) is str else _dump_sorted(item, inner, step))
            )
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        inner = newline + step
        items = [_ENCODE(v) if type(v) is str else _dump_sorted(v, inner, step) for v in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if kind is str:
        return _ENCODE(value)
    return _dump(value, newline, step)  # other scalars


def _dump_record(record: Record, newline: str, step: str) -> str:
    """``_dump(ordered_record(record), newline, step)`` without the intermediate dicts."""
    if not record:
        return "{}"
    inner = newline + step
    parts = []
    for key in _FIRST:
        if key in record:
            parts.append(_ENCODE(key) + ": " + _dump(record[key], inner, step))
    for key in sorted([k for k in record if k not in _FIRST and k not in _LAST]):
        value = record[key]
        if type(value) is str:
            parts.append(_ENCODE(key) + ": " + _ENCODE(value))
            continue
        if key in _STRING_ONLY and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        parts.append(_ENCODE(key) + ": " + _dump_sorted(value, inner, step))
    for key in _LAST:
        if key in record:
            parts.append(_ENCODE(key) + ": " + _dump_sorted(record[key], inner, step))
    return "{" + inner + ("," + inner).join(parts) + newline + "}"


def _step(indent: Any) -> str | None:
    """The indentation string of the fast encoder, or ``None`` when ``json.dumps`` must run."""
    if isinstance(indent, int) and not isinstance(indent, bool) and indent > 0:
        return " " * indent
    return None


def _indented_record(record: Record, indent: Any, pad: str, step: str | None) -> str:
    """One record as an item of the top-level array (continuation lines indented by ``pad``)."""
    if step == "  " and pad == "  ":
        fast = _orjson_fast.item_text(record)
        if fast is not None:
            return fast
    if step is not None:
        try:
            return _dump_record(record, "\n" + pad, step)
        except (_Fallback, RecursionError, TypeError):
            pass
    text = dumps(ordered_record(record), indent)
    # JSON strings never hold a raw newline, so every newline is layout.
    return text.replace("\n", "\n" + pad) if pad else text


def _pad(indent: Any) -> str:
    """The indentation of a record's continuation lines inside the top-level array."""
    if indent is None:
        return ""
    return " " * indent if isinstance(indent, int) else str(indent)


def item_text(record: Record, indent: int | str | None = 2) -> str:
    """The text of ``record`` as an item of the written array, without the separator.

    This is what :func:`iter_write` yields for the record after its ``[``/``,`` separator:
    ``json.dumps(ordered_record(record), ...)`` with continuation lines indented one step
    (the item sits inside the top-level array). Worker processes use it to serialise
    records that the parent then joins.

    Args:
        record: One CSL record.
        indent: As for :func:`write_text` (default 2).
    """
    return _indented_record(record, indent, _pad(indent), _step(indent))


def array_frame(indent: int | str | None = 2) -> tuple[str, str, str]:
    """What :func:`iter_write` writes before the first item, between items and after the last.

    An empty array is written ``[]`` (then a newline, as after the closing text).
    """
    if indent is None:
        return "[", ", ", "]"
    return "[\n" + _pad(indent), item_separator(indent), "\n]"


def item_separator(indent: int | str | None = 2) -> str:
    """What :func:`iter_write` puts between two item texts (:func:`item_text`).

    Worker processes join the texts of consecutive records with it, and :func:`iter_write`
    writes such a joined text as it writes one item's.
    """
    return ", " if indent is None else ",\n" + _pad(indent)


def _array_text(records: list[Record], indent: int | str | None, end: str = "") -> str:
    """``dumps([ordered_record(r) for r in records], indent) + end``, copying the text once."""
    step = _step(indent)
    if step is None:
        return dumps([ordered_record(record) for record in records], indent) + end
    if not records:
        return "[]" + end
    pad = _pad(indent)
    items = [_indented_record(record, indent, pad, step) for record in records]
    items[0] = "[\n" + pad + items[0]
    items[-1] = items[-1] + "\n]" + end
    return (",\n" + pad).join(items)


def dumps_records(records: list[Record], indent: int | str | None = 2) -> str:
    """``dumps([ordered_record(r) for r in records], indent)``, without the copies."""
    return _array_text(records, indent)


def write_text(library: Library, *, diagnostics: Diagnostics, **options: Any) -> str:
    """Serialise the records of ``library`` as a CSL-JSON array (ends with a newline).

    Args:
        library: The records to write.
        diagnostics: Unused by this writer; accepted for the common writer signature.
        **options: ``indent`` (default 2).
    """
    return _array_text(library.records, options.get("indent", 2), "\n")


def iter_write(
    items: Iterable[tuple[Record | tuple[str, str], SourceLocation | None]],
    *,
    diagnostics: Diagnostics,
    **options: Any,
) -> Iterator[str]:
    """Yield the CSL-JSON text of ``items`` piece by piece (the streaming API's writer).

    The pieces join to exactly what :func:`write_text` returns for the same records.

    Args:
        items: ``(record, location)`` pairs, in output order. A record may also come already
            serialised as ``(id, item_text(record, indent))`` (worker processes make those).
        diagnostics: Unused by this writer; accepted for the common writer signature.
        **options: ``indent`` (default 2).
    """
    indent = options.get("indent", 2)
    opening, separator, closing = array_frame(indent)
    pad = _pad(indent)
    empty = True
    step = _step(indent)
    for record, _ in items:
        text = (
            record[1] if isinstance(record, tuple) else _indented_record(record, indent, pad, step)
        )
        yield (opening if empty else separator) + text
        empty = False
    yield ("[]" if empty else closing) + "\n"

"""orjson fast path of the CSL-JSON writer: exactly ``json.dumps``'s bytes, or ``None``.

orjson (optional, CPython only) encodes a record with about a third of the CPU of the
pure-Python encoder of :mod:`citekit.writers.csljson`. It escapes strings exactly like
``json.dumps(..., ensure_ascii=False)`` and indents by two spaces like ``indent=2``, but it
differs on a few values; for those :func:`item_text` returns ``None`` and the caller's
encoder runs instead, so the output never depends on whether orjson is installed:

* floats (orjson writes ``1e16`` where Python writes ``1e+16``) and NaN/infinities (orjson
  writes ``null``): found in the output (see :func:`_has_float_or_null`);
* integers beyond 64 bits, non-string keys, lone surrogates, nesting deeper than 255,
  subclasses of ``str``/``int``/``dict``/``list``, dataclasses and datetimes: orjson raises.

Values that are not JSON data at all but that orjson still encodes (``uuid.UUID``, plain
``enum.Enum`` members) are written by it, where ``json.dumps`` raises ``TypeError``; a
CSL record never holds them.
"""

from __future__ import annotations

from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - depends on the installation
    orjson = None  # type: ignore[assignment]

__all__ = ["FIRST", "LAST", "STRING_ONLY", "available", "item_text"]

available = orjson is not None
"""Whether orjson is importable (tests switch the fast path off by setting this to False)."""

_OPTIONS = (
    orjson.OPT_INDENT_2
    | orjson.OPT_SORT_KEYS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
    | orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    if orjson is not None
    else 0
)
FIRST = ("id", "type")
"""Keys written first, in this (sorted) order; their values must be strings here."""
LAST = ("categories", "custom")
"""Keys written last, in this (sorted) order."""
STRING_ONLY = ("version", "section")
"""Number variables written as strings (csl-data.json types them as strings only)."""

_SPLICE = b"\n  },\n  {\n"
"""Where two objects of one record's ``[head, middle, tail]`` meet, replaced by ``,\\n`` to
merge them (deeper objects are indented further and strings hold no raw newline)."""
_NUMBER_MARKS = bytes.maketrans(b"eE+-l", b".....")
_DROPPED = b"0123456789,"


def _has_float_or_null(text: bytes) -> bool:
    """Whether indented orjson ``text`` may hold a float or a ``null`` (false alarms are fine).

    Each scalar of indented JSON ends its line (after which only a ``,`` may follow). Strings
    end with ``"``, so a line ending in a digit ends with a number and one ending in ``l``
    with ``null`` (which orjson also writes for NaN and infinities). A float's last digits
    follow a ``.``, ``e``, ``e-`` or ``e+``. With digits and commas deleted and ``e``, ``E``,
    ``+``, ``-`` and ``l`` turned into ``.``, all of these leave a ``.`` just before the
    newline; negative integers and ``true``/``false`` are false alarms.
    """
    return b".\n" in text.translate(_NUMBER_MARKS, _DROPPED)


def _split(record: dict[str, Any]) -> list[dict[str, Any]] | None:
    """``record`` as its non-empty ``[head, middle, tail]`` objects, or ``None`` (fall back).

    Records without a string ``id`` and ``type`` fall back (the caller keeps the nested keys
    of a non-string id/type unsorted; normalised records always have both).
    """
    middle = dict(record)
    head = {"id": middle.pop("id", None), "type": middle.pop("type", None)}
    if type(head["id"]) is not str or type(head["type"]) is not str:
        return None
    if "categories" in middle or "custom" in middle:
        tail = {key: middle.pop(key) for key in LAST if key in middle}
        parts = [head, middle, tail] if middle else [head, tail]
    else:
        parts = [head, middle] if middle else [head]
    if "version" in middle or "section" in middle:
        for key in STRING_ONLY:
            value = middle.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                middle[key] = str(value)
    return parts


def item_text(record: dict[str, Any]) -> str | None:
    """``record`` as an item of the top-level array (indent 2) in canonical key order.

    ``id`` and ``type`` come first, ``categories`` and ``custom`` last, the other keys and
    the keys of every nested object sorted; ``version``/``section`` numbers become strings.
    Returns ``None`` when orjson is missing or would not write exactly what ``json.dumps``
    writes (then the caller's encoder runs).
    """
    if not available:
        return None
    parts = _split(record)
    if parts is None:
        return None
    try:
        text = orjson.dumps(parts, option=_OPTIONS)
    except orjson.JSONEncodeError:
        return None
    if _has_float_or_null(text):
        return None
    body = text[4:-2]  # inside "[\n  " ... "\n]"
    return (body.replace(_SPLICE, b",\n") if len(parts) > 1 else body).decode()

r"""Fast path of the CSL-JSON reader: a well-formed array parsed by one orjson call, located.

The located reader (:func:`citekit.readers.csljson._scan_array`) decodes item by item with
a Python hook per object, to find duplicate keys and each item's offset. When the whole
text is a well-formed, pretty-printed array of objects, :func:`array_items` gets the same
values, offsets and duplicate keys for a fraction of the cost:

* orjson parses the whole text (and refuses anything malformed, ``NaN`` literals and lone
  surrogates, raw or escaped, which the located reader then reports or repairs);
* each item's offset comes from a text search (lines indented like the first item's
  that open with ``{``) and is *proved* right by counting: the text from one
  candidate to the next holds exactly as many ``{`` as the item's re-encoding (a candidate
  too early cuts the item short and sees fewer, one too late includes the next item's
  ``{`` and sees more; the gap between items holds only ``,`` and white space);
* an item's text holds more ``:`` than its re-encoding exactly when it repeats a key
  (every member has one ``:`` outside strings, and strings decode to the same ``:``); only
  such items are decoded again by the located decoder, which names the duplicates.

Both counts need the text to escape no ``{`` or ``:`` (``\u007b``, ``\u003a``): then the
located reader runs. So does it for integers of 19 or more digits (orjson turns integers
beyond 64 bits into floats) and whenever orjson is not installed. ``None`` means "use the
located reader"; the records, offsets and diagnostics are the same either way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - depends on the installation
    orjson = None  # type: ignore[assignment]

__all__ = ["array_items"]

available = orjson is not None
"""Whether orjson is importable (tests switch the fast path off by setting this to False)."""

_RISKY_ESCAPE = re.compile(r"\\u00(?:3[aA]|[57][bBdD])")
"""``\\u`` escapes of ``:`` ``[`` ``]`` ``{`` ``}``, which would upset the counts."""
_DIGITS = bytes.maketrans(b"0123456789", b"0000000000")
_RUN = b"0" * 19
_BEFORE_NUMBER = frozenset(b" \t\r\n:,[-")

Decode = Callable[[str, int], tuple[Any, int, list[tuple[str, Any]]]]
"""The located decoder: (text, offset) → (value, end, duplicate keys)."""
Positioned = tuple[Any, int | None, list[tuple[str, Any]], bool]
"""(item, start offset, duplicate keys, whether it may nest deeper than the limit)."""


def _may_hold_long_integer(text: str) -> bool:
    """Whether an integer literal of 19+ digits may be in ``text`` (runs in strings aside).

    Called after orjson has parsed ``text``, whose UTF-8 form is then cached: encoding is a
    copy, and the byte search is much faster than a regular expression over the text.
    """
    digits = text.encode().translate(_DIGITS)
    pos = digits.find(_RUN)
    while pos >= 0:
        if pos == 0 or digits[pos - 1] in _BEFORE_NUMBER:
            return True
        pos = digits.find(_RUN, pos + len(_RUN))
    return False


def array_items(text: str, start: int, decode: Decode, max_depth: int) -> list[Positioned] | None:
    """The items of the array whose ``[`` is at ``start`` (the whole document), or ``None``.

    Args:
        text: The whole document.
        start: Offset of its opening ``[`` (only white space before it).
        decode: The located decoder, used for items that repeat a key.
        max_depth: Items whose text has more brackets than this are marked for the depth
            check, as the located reader marks them.

    Returns:
        ``(item, offset, duplicates, deep)`` per item, exactly as the located reader gives
        them, or ``None`` when the located reader must run.
    """
    if not available or ("\\u00" in text and _RISKY_ESCAPE.search(text)):
        return None
    try:
        items = orjson.loads(text)  # refuses raw and escaped lone surrogates too
    except orjson.JSONDecodeError:
        return None
    if not isinstance(items, list) or _may_hold_long_integer(text):
        return None
    if not items:
        return []
    starts = _item_starts(text, start, len(items))
    if starts is None:
        return None
    dumps = orjson.dumps
    count = text.count
    out: list[Positioned] = []
    for index, item in enumerate(items):
        if type(item) is not dict:
            return None
        begin, end = starts[index], starts[index + 1]
        try:
            encoded = dumps(item)
        except orjson.JSONEncodeError:  # nested deeper than orjson writes (it reads deeper)
            return None
        braces = encoded.count(b"{")
        if count("{", begin, end) != braces:
            return None
        deep = braces + encoded.count(b"[") > max_depth
        if count(":", begin, end) == encoded.count(b":"):
            out.append((item, begin, [], deep))
            continue
        try:
            value, _, duplicates = decode(text, begin)
        except json.JSONDecodeError:  # e.g. too deep for Python's decoder
            return None
        out.append((value, begin, duplicates, deep))
    return out


def _item_starts(text: str, start: int, expected: int) -> list[int] | None:
    """Candidate offsets of the items (then of the closing ``]``), or ``None`` if not ``expected``.

    Candidates are the ``{`` that open lines indented like the first item's; the caller
    proves each one by counting.
    """
    first = text.find("{", start + 1)
    if first < 0 or text[start + 1 : first].strip():
        return None  # the first item is no object
    indent = text[text.rfind("\n", 0, first) + 1 : first]
    if indent.strip():
        return None  # the first item does not start its own line (compact JSON)
    marker = "\n" + indent + "{"
    skip = len(marker) - 1
    starts = [first]
    find = text.find
    pos = find(marker, first)
    while pos >= 0:
        starts.append(pos + skip)
        pos = find(marker, pos + skip)
    if len(starts) != expected:
        return None
    starts.append(text.rindex("]"))
    return starts

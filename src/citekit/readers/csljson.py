"""CSL-JSON reader: a list of items or ``{"items": [...]}``, validated item by item.

Example: ``[{"id": "Doe2020", "type": "book", "title": "T"}]``. A syntax error costs only
the item it is in: the reader resynchronises at the next item and reports
``file:line:col`` of the damage. Ids keep their case.
"""

from __future__ import annotations

import json
import re
from typing import Any

from citekit._gc import collector_paused
from citekit.errors import Diagnostics
from citekit.model import Library
from citekit.readers import _csljson_fast, add_item

__all__ = ["read_text", "sniff"]

_WS = re.compile(r"\s*")
_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 64
"""Deepest nesting kept inside one item (CSL items need about 5); deeper values are refused."""
MAX_INT_DIGITS = 4000
"""Longer integer literals are kept as strings (Python refuses to convert them)."""


class _Decoder(json.JSONDecoder):
    """A JSON decoder that records duplicate object keys and keeps huge integers as text."""

    def __init__(self) -> None:
        super().__init__(object_pairs_hook=self._pairs, parse_int=self._int)
        self.duplicates: list[tuple[str, Any]] = []

    def _pairs(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)  # the last value wins, in the first name's position
        if len(out) != len(pairs):
            seen: dict[str, Any] = {}
            for name, value in pairs:
                if name in seen:
                    self.duplicates.append((name, seen[name]))
                seen[name] = value
        return out

    @staticmethod
    def _int(text: str) -> int | str:
        return int(text) if len(text) <= MAX_INT_DIGITS else text


def _decode(
    text: str, pos: int, decoder: _Decoder | None = None
) -> tuple[Any, int, list[tuple[str, Any]]]:
    """Decode one JSON value at ``pos``: (value, end, duplicate keys seen).

    ``decoder`` may be passed to reuse one across many values (its duplicates are reset).

    Raises:
        json.JSONDecodeError: Also for values nested too deeply to decode.
    """
    if decoder is None:
        decoder = _Decoder()
    else:
        decoder.duplicates = []
    try:
        value, end = decoder.raw_decode(text, pos)
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, pos) from None
    return value, end, decoder.duplicates


def _too_deep(value: Any) -> bool:
    """Whether ``value`` nests lists/objects deeper than :data:`MAX_DEPTH` (iteratively)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > MAX_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _clean_strings(value: Any) -> tuple[Any, bool]:
    r"""Replace lone surrogates (``"\ud800"``, not encodable as UTF-8) by U+FFFD."""
    if isinstance(value, str):
        if _SURROGATE.search(value):
            return _SURROGATE.sub("\ufffd", value), True
        return value, False
    if isinstance(value, list):
        changed = False
        items = []
        for item in value:
            clean, hit = _clean_strings(item)
            items.append(clean)
            changed |= hit
        return items, changed
    if isinstance(value, dict):
        changed = False
        out = {}
        for name, item in value.items():
            clean_name, hit_name = _clean_strings(name)
            clean, hit = _clean_strings(item)
            out[clean_name] = clean
            changed |= hit or hit_name
        return out, changed
    return value, False


_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def _may_have_surrogates(text: str) -> bool:
    """Whether decoding ``text`` can give lone surrogates (escaped, or in the text itself)."""
    if _ESCAPED_SURROGATE.search(text):
        return True
    if text.isascii():
        return False
    try:
        text.encode("utf-8")  # refuses surrogates; much faster than a regex over wide text
    except UnicodeEncodeError:
        return True
    return False


_ITEMS_KEY = re.compile(r'"items"\s*:\s*\[')
_NEXT_ITEM = re.compile(r",\s*\{|\n\s*\{")


def sniff(text: str) -> bool:
    """Whether ``text`` looks like CSL-JSON (a JSON array or object)."""
    head = text.lstrip("\ufeff \t\r\n")[:1]
    return head in ("[", "{")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


Positioned = tuple[Any, int | None, list[tuple[str, Any]], bool]
"""(item, start offset, duplicate keys, whether it may nest deeper than :data:`MAX_DEPTH`)."""


def _layout(text: str, pos: int) -> int | None:
    """Column (0-based) of the first item when it starts its own line (pretty-printed JSON)."""
    line_start = text.rfind("\n", 0, pos) + 1
    return pos - line_start if not text[line_start:pos].strip() else None


_MAX_RESYNC_TRIES = 200


def _at_layout(text: str, brace: int, layout: int | None) -> bool:
    line_start = text.rfind("\n", 0, brace) + 1
    return brace - line_start == layout and not text[line_start:brace].strip()


def _resync(text: str, start: int, floor: int, layout: int | None) -> int | None:
    """Offset of the next top-level item's ``{`` after damage, or ``None``.

    Every ``{`` beyond ``floor`` from ``start`` on is a candidate. In pretty-printed files one
    at the items' column wins (nested author objects are indented deeper); otherwise, and for
    compact files, the first that decodes to an object with an ``id`` wins, so
    resynchronisation does not land on a nested object and end the array at its list's
    ``]``. After too many tries the first plausible candidate is taken.
    """
    fallback: int | None = None
    brace = max(start, floor + 1) - 1
    for _ in range(_MAX_RESYNC_TRIES):
        brace = text.find("{", brace + 1)
        if brace < 0:
            return fallback
        if layout is not None and _at_layout(text, brace, layout):
            return brace
        if fallback is None and _NEXT_ITEM.match(text, max(brace - 1, 0)) is not None:
            fallback = brace
        try:
            value, _, _ = _decode(text, brace)
        except json.JSONDecodeError:
            continue
        if isinstance(value, dict) and "id" in value:
            return brace
    if layout is not None:
        for match in _NEXT_ITEM.finditer(text, brace):
            if _at_layout(text, match.end() - 1, layout):
                return match.end() - 1
    return fallback


class _Lines:
    """``_line_col`` for increasing offsets, counting each newline once (linear, not quadratic)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1

    def line_col(self, pos: int) -> tuple[int, int]:
        if pos < self.pos:
            return _line_col(self.text, pos)
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line, pos - (self.text.rfind("\n", 0, pos) + 1) + 1


def _scan_array(
    text: str, start: int, *, source: str, diagnostics: Diagnostics, top_level: bool = True
) -> list[Positioned]:
    """Decode the array whose ``[`` is at ``start`` element by element, resyncing on damage."""
    items: list[Positioned] = []
    pos = _WS.match(text, start + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", pos):
        return items
    layout = _layout(text, pos)
    decoder = _Decoder()
    while pos < len(text):
        try:
            value, end, duplicates = _decode(text, pos, decoder)
        except json.JSONDecodeError as exc:
            line, column = _line_col(text, exc.pos)
            item_line, item_column = _line_col(text, pos)
            diagnostics.error(
                "csl-json.syntax",
                f"invalid JSON: {exc.msg}; the item starting at line {item_line}, column "
                f"{item_column} was skipped",
                source=source,
                line=line,
                column=column,
            )
            # Resynchronise from just after the damaged item's start: a missing "}" or a stray
            # quote is often noticed only items later, and the items in between are intact.
            resync = _resync(text, pos + 1, pos, layout)
            if resync is None:
                break
            pos = resync
            continue
        # An item with at most MAX_DEPTH brackets in its text cannot nest too deeply.
        deep = text.count("{", pos, end) + text.count("[", pos, end) > MAX_DEPTH
        items.append((value, pos, duplicates, deep))
        pos = _WS.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            continue
        if text.startswith("]", pos):
            tail = text[pos + 1 :].strip()
            if not tail or (tail == "}" and not top_level):
                return items
            # The list closed early (a stray "]" or "}]"): the items after it are read on.
            resync = _resync(text, pos + 1, pos, layout)
            line, column = _line_col(text, pos)
            diagnostics.error(
                "csl-json.syntax",
                "the list of items ends here but text follows"
                + ("; reading on at the next item" if resync is not None else ""),
                source=source,
                line=line,
                column=column,
            )
            if resync is None:
                return items
            pos = resync
            continue
        line, column = _line_col(text, pos)
        diagnostics.error(
            "csl-json.syntax",
            "expected ',' or ']' after an item",
            source=source,
            line=line,
            column=column,
        )
        resync = _resync(text, pos, pos - 1, layout)
        if resync is None:
            break
        pos = resync
    if not text.rstrip().endswith("]"):
        line, column = _line_col(text, len(text))
        diagnostics.error(
            "csl-json.truncated",
            "the JSON array is not closed (truncated file?)",
            source=source,
            line=line,
            column=column,
        )
    return items


def _check_item(
    item: Any,
    duplicates: list[tuple[str, Any]],
    index: int,
    diagnostics: Diagnostics,
    *,
    deep: bool = True,
    surrogates: bool = True,
    **where: Any,
) -> Any:
    """Report duplicate keys, refuse over-deep values and repair lone surrogates in one item.

    ``deep=False`` (the item's text has too few brackets to nest too deeply) and
    ``surrogates=False`` (the input has neither surrogates nor escapes of them) skip the walks
    over the item that could find nothing.
    """
    key = str(item.get("id", f"item-{index}")) if isinstance(item, dict) else None
    for name, dropped in duplicates:
        shown = json.dumps(dropped, ensure_ascii=False)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        diagnostics.warning(
            "csl-json.duplicate-key",
            f"{name!r} is given more than once; kept the last value, dropped {shown}",
            key=key,
            field=name,
            **where,
        )
    if not deep:
        pass
    elif isinstance(item, dict):
        for name in [n for n, v in item.items() if _too_deep(v)]:
            diagnostics.error(
                "csl-json.too-deep",
                f"{name!r} nests deeper than {MAX_DEPTH} levels; the value was left out",
                key=key,
                field=name,
                **where,
            )
            del item[name]
    elif _too_deep(item):
        return None
    if not surrogates:
        return item
    item, repaired = _clean_strings(item)
    if repaired:
        diagnostics.warning(
            "csl-json.lone-surrogate",
            "text has unpaired UTF-16 surrogates (\\ud800-\\udfff); replaced by U+FFFD",
            key=key,
            **where,
        )
    return item


def read_text(text: str, *, source: str = "<string>", diagnostics: Diagnostics) -> Library:
    """Read CSL-JSON text into a Library of normalised records."""
    with collector_paused():
        return _read(text, source, diagnostics)


def _read(text: str, source: str, diagnostics: Diagnostics) -> Library:
    library = Library()
    stripped = _WS.match(text).end()  # type: ignore[union-attr]
    positioned: list[Positioned] = []
    surrogates: bool | None = None
    if stripped >= len(text):
        diagnostics.warning("csl-json.empty", "the input is empty", source=source)
    elif text[stripped] == "[":
        fast = _csljson_fast.array_items(text, stripped, _decode, MAX_DEPTH)
        if fast is None:
            fast = _scan_array(text, stripped, source=source, diagnostics=diagnostics)
        else:
            surrogates = False  # orjson refuses lone surrogates, raw or escaped
        positioned.extend(fast)
    elif text[stripped] == "{":
        try:
            document, end, top_duplicates = _decode(text, stripped)
            junk = _WS.match(text, end).end()  # type: ignore[union-attr]
            if junk < len(text):
                junk_line, junk_column = _line_col(text, junk)
                diagnostics.error(
                    "csl-json.syntax",
                    "text after the end of the JSON document was ignored",
                    source=source,
                    line=junk_line,
                    column=junk_column,
                )
        except json.JSONDecodeError as exc:
            match = _ITEMS_KEY.search(text)
            if match is None:
                diagnostics.error(
                    "csl-json.syntax",
                    f"invalid JSON: {exc.msg}",
                    source=source,
                    line=exc.lineno,
                    column=exc.colno,
                )
            else:
                positioned.extend(
                    _scan_array(
                        text,
                        match.end() - 1,
                        source=source,
                        diagnostics=diagnostics,
                        top_level=False,
                    )
                )
        else:
            if isinstance(document.get("items"), list):
                match = _ITEMS_KEY.search(text)
                scanned = (
                    _scan_array(
                        text,
                        match.end() - 1,
                        source=source,
                        diagnostics=Diagnostics(),
                        top_level=False,
                    )
                    if match
                    else []
                )
                if [v for v, _, _, _ in scanned] == document["items"]:
                    positioned.extend(scanned)
                else:
                    positioned.extend((item, None, [], True) for item in document["items"])
            elif "id" in document or "type" in document:
                diagnostics.info("csl-json.single-item", "a single item, not a list", source=source)
                positioned.append((document, stripped, top_duplicates, True))
            else:
                diagnostics.error(
                    "csl-json.bad-shape",
                    "expected a list of items or an object with an 'items' list",
                    source=source,
                    line=1,
                    column=1,
                )
    else:
        bad_line, bad_column = _line_col(text, stripped)
        diagnostics.error(
            "csl-json.bad-shape",
            "expected a JSON list of items",
            source=source,
            line=bad_line,
            column=bad_column,
        )
    lines = _Lines(text)
    if surrogates is None:
        surrogates = _may_have_surrogates(text)
    for index, (raw_item, pos, duplicates, deep) in enumerate(positioned, start=1):
        line: int | None = None
        column: int | None = None
        if pos is not None:
            line, column = lines.line_col(pos)
        item = raw_item
        if duplicates or deep or surrogates:
            item = _check_item(
                raw_item,
                duplicates,
                index,
                diagnostics,
                deep=deep,
                surrogates=surrogates,
                source=source,
                line=line,
                column=column,
            )
        add_item(library, item, index, diagnostics, source=source, line=line, column=column,
                 owned=True)  # fmt: skip
    return library

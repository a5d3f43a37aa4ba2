"""CSL-JSON reader: a list of items or ``{"items": [...]}``, validated item by item.

Example: ``[{"id": "Doe2020", "type": "book", "title": "T"}]``. A syntax error costs only
the item it is in: the reader resynchronises at the next item and reports
``file:line:col`` of the damage. Ids keep their case.
"""

from __future__ import annotations

import json
import re
from typing import Any

from citekit.errors import Diagnostics
from citekit.model import Library, SourceLocation, normalize_record

__all__ = ["read_text", "sniff"]

_DECODER = json.JSONDecoder()
_WS = re.compile(r"\s*")
_ITEMS_KEY = re.compile(r'"items"\s*:\s*\[')
_NEXT_ITEM = re.compile(r",\s*\{|\n\s*\{")


def sniff(text: str) -> bool:
    """Whether ``text`` looks like CSL-JSON (a JSON array or object)."""
    head = text.lstrip("\ufeff \t\r\n")[:1]
    return head in ("[", "{")


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


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
    text: str, start: int, *, source: str, diagnostics: Diagnostics
) -> list[tuple[Any, int]]:
    """Decode the array whose ``[`` is at ``start`` element by element, resyncing on damage."""
    items: list[tuple[Any, int]] = []
    pos = _WS.match(text, start + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", pos):
        return items
    while pos < len(text):
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            line, column = _line_col(text, exc.pos)
            diagnostics.error(
                "csl-json.syntax",
                f"invalid JSON: {exc.msg}; the item here was skipped",
                source=source,
                line=line,
                column=column,
            )
            resync = _NEXT_ITEM.search(text, max(exc.pos, pos + 1))
            if resync is None:
                break
            pos = resync.end() - 1
            continue
        items.append((value, pos))
        pos = _WS.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith(",", pos):
            pos = _WS.match(text, pos + 1).end()  # type: ignore[union-attr]
            continue
        if text.startswith("]", pos):
            return items
        line, column = _line_col(text, pos)
        diagnostics.error(
            "csl-json.syntax",
            "expected ',' or ']' after an item",
            source=source,
            line=line,
            column=column,
        )
        resync = _NEXT_ITEM.search(text, pos)
        if resync is None:
            break
        pos = resync.end() - 1
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


def read_text(text: str, *, source: str = "<string>", diagnostics: Diagnostics) -> Library:
    """Read CSL-JSON text into a Library of normalised records."""
    library = Library()
    stripped = _WS.match(text).end()  # type: ignore[union-attr]
    positioned: list[tuple[Any, int | None]] = []
    if stripped >= len(text):
        diagnostics.warning("csl-json.empty", "the input is empty", source=source)
    elif text[stripped] == "[":
        positioned.extend(_scan_array(text, stripped, source=source, diagnostics=diagnostics))
    elif text[stripped] == "{":
        try:
            document = json.loads(text)
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
                    _scan_array(text, match.end() - 1, source=source, diagnostics=diagnostics)
                )
        else:
            if isinstance(document.get("items"), list):
                match = _ITEMS_KEY.search(text)
                scanned = (
                    _scan_array(text, match.end() - 1, source=source, diagnostics=Diagnostics())
                    if match
                    else []
                )
                if [v for v, _ in scanned] == document["items"]:
                    positioned.extend(scanned)
                else:
                    positioned.extend((item, None) for item in document["items"])
            elif "id" in document or "type" in document:
                diagnostics.info("csl-json.single-item", "a single item, not a list", source=source)
                positioned.append((document, stripped))
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
    for index, (item, pos) in enumerate(positioned, start=1):
        line: int | None = None
        column: int | None = None
        if pos is not None:
            line, column = lines.line_col(pos)
        record = normalize_record(
            item,
            diagnostics,
            fallback_id=f"item-{index}",
            source=source,
            line=line,
            column=column,
        )
        if record is not None:
            library.add(record, SourceLocation(source, line, column))
    return library

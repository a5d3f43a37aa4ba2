"""Fast path of the ``.bib`` reader: a well-formed entry read straight into a ``RawEntry``.

:func:`citekit.syntax.bibtex_tokenizer.tokenize` first gives every ``{``-delimited entry to
this reader (its ``fast_entry`` hook). It runs the tokenizer's field regex and builds the
:class:`~citekit.syntax.bibtex.RawEntry` in the same loop — field names lower-cased once
through a cache, lines counted forward, values that need no evaluation taken as they are —
instead of building :class:`~citekit.syntax.bibtex_tokenizer.Field` objects first and
walking them again. It declines (``None``) every entry that would give a diagnostic or
needs more than the regex (a damaged entry, no key, a ``%`` in a field name, a duplicate
field, a value with an undefined macro or junk after it, an entry after ``%`` on its
line); the tokenizer's own path and :func:`citekit.syntax.bibtex._entry` then read it as
before, so the result is the same either way (``tests/syntax/test_bibtex_fused.py``
compares both on every corpus file).
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING

from citekit.syntax import bibtex_tokenizer as tok
from citekit.syntax.bibtex_values import evaluate

if TYPE_CHECKING:
    from citekit.syntax.bibtex import RawEntry

__all__ = ["Spans", "entry_reader"]


class Spans:
    """Where an entry's field names start, kept until a field's line or column is asked for.

    Holds the entry's text up to its last field name (a copy, so the piece of the file it
    came from is not kept alive), the field names in order and the offset of each name in
    that text; :meth:`locate` gives the lines and columns the general path records for
    every field as it reads it.
    """

    __slots__ = ("column", "line", "names", "offsets", "text")

    def __init__(
        self, text: str, line: int, column: int, names: tuple[str, ...], offsets: list[int]
    ) -> None:
        self.text, self.line, self.column = text, line, column
        self.names, self.offsets = names, offsets

    def locate(self, lines: dict[str, int], columns: dict[str, int]) -> None:
        """Fill ``lines`` and ``columns`` (field → 1-based line / column of its name)."""
        text, line, column = self.text, self.line, self.column
        counted = newlines = 0
        for name, offset in zip(self.names, self.offsets, strict=True):
            newlines += text.count("\n", counted, offset)
            counted = offset
            lines[name] = line + newlines
            columns[name] = offset - text.rfind("\n", 0, offset) if newlines else column + offset

    def __reduce__(self) -> tuple[object, ...]:
        return (Spans, (self.text, self.line, self.column, self.names, self.offsets))


_LOWER: dict[str, str] = {}
"""Field name as written → lower-case name (bounded: names come from the input)."""


def entry_reader(
    at_line: Callable[[int], tuple[int, int]],
    macros: MutableMapping[str, str],
    raw_entry: type[RawEntry],
) -> Callable[[str, int, str], tok.Block | None]:
    """The ``fast_entry`` hook of :func:`~citekit.syntax.bibtex_tokenizer.tokenize`.

    Args:
        at_line: Offset → ``(line, column)`` of the piece (offsets are asked in order).
        macros: The live macro table (lower-case name → value).
        raw_entry: The :class:`~citekit.syntax.bibtex.RawEntry` class.

    Returns:
        ``hook(text, at, lower)``: an entry block whose ``entry`` is the finished
        ``RawEntry``, or ``None`` (the tokenizer then reads the block the general way).
    """
    head_match = tok._HEAD.match
    field_match = tok._FIELD.match
    close_match = tok._CLOSE.match
    lower_names = _LOWER

    def read(text: str, at: int, lower: str) -> tok.Block | None:
        head = head_match(text, at)
        if head is None:
            return None
        key = head.group(2).strip()
        if not key:
            return None  # "entry has no key": reported by the general path
        line_start = text.rfind("\n", 0, at) + 1
        if "%" in text[line_start:at]:
            return None  # commented out: the general path keeps it as a comment
        line, column = at_line(at)
        entry = raw_entry(lower[1:].strip(), key, line=line, column=column)
        if head.group(3) == "}":
            return tok.Block(tok.ENTRY, at, head.end(), entry.type, key, entry=entry)
        fields = entry.fields
        offsets: list[int] = []  # of the field names (lines and columns are worked out later)
        add_offset = offsets.append
        pos = head.end()
        while True:
            match = field_match(text, pos)
            if match is None:
                close = close_match(text, pos)
                if close is None:
                    return None
                end = close.end()
                break
            name, braced, quoted, number, expr, last = match.groups()
            folded = lower_names.get(name)
            if folded is None:
                if "%" in name or len(name.split()) != 1:
                    return None  # a comment or text that is not a field before the name
                if len(lower_names) >= 4096:
                    lower_names.clear()
                folded = lower_names[name] = name.lower()
            if folded in fields:
                return None  # a duplicate field: reported by the general path
            if braced is not None:
                fields[folded] = braced
            elif quoted is not None:
                fields[folded] = quoted
            elif number is not None:
                fields[folded] = number
            else:
                expr = expr.rstrip()
                result = evaluate(expr, macros)
                if result.rest is not None or result.error or result.undefined:
                    return None
                fields[folded] = result.value
                if result.used_macros:
                    entry.macros[folded] = expr
            add_offset(match.start(1) - at)
            pos = match.end()
            if last == "}":
                end = pos
                break
        if offsets:
            entry.spans = Spans(text[at : at + offsets[-1]], line, column, tuple(fields), offsets)
        return tok.Block(tok.ENTRY, at, end, entry.type, key, entry=entry)

    return read

r"""citekit's ``.bib`` tokenizer: text → blocks with exact offsets, BibTeX's block rules.

It splits exactly as bibtexparser 2.1's splitter did (the conformance suite in
``tests/syntax/test_tokenizer_conformance.py`` compares the two on every corpus file,
every hostile fixture and generated damage), so the reader's recovery, diagnostics and
streaming cut points keep their meaning:

* a block starts at ``@type{`` or ``@type(`` anywhere outside a block; text between blocks is
  an implicit comment;
* inside a block, an ``@type{`` first on its line (only blanks before it) aborts the block,
  which is then a failed block ending just before that line; a ``\`` before ``{ } " , = )``
  makes that character plain text;
* ``@comment…``/``@preamble…``/``@string…`` (prefix match, any case) are special blocks.

Well-formed ``{``-delimited entries are read by one compiled regular expression per field
(brace groups nested up to four levels, quoted strings, ``#`` joins); anything else — damage,
``(``-delimited blocks, deeper nesting, ``@`` or ``\{`` where they could matter — goes
through a faithful mark-by-mark state machine. Every block carries its absolute offsets, so
no text search is needed to locate it. Example::

    >>> [b.kind for b in tokenize("@book{k, title = {T}}\n% note")]
    ['entry', 'implicit']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Block", "Field", "tokenize"]

ENTRY = "entry"
STRING = "string"
PREAMBLE = "preamble"
COMMENT = "comment"
IMPLICIT = "implicit"
FAILED = "failed"


@dataclass(slots=True)
class Field:
    """One ``name = value`` of an entry, as the splitter sees it.

    Attributes:
        name: Text between the separator and ``=``, stripped (may hold ``%`` comment lines).
        name_pos: Absolute offset of ``name``'s first character.
        expr: The value expression as written, stripped (delimiters kept).
        expr_pos: Absolute offset of ``expr``'s first character.
        inner: The value when it needs no evaluation — the content of one brace group with
            plain braces, of one quoted string without quotes inside, or a number
            (``0-9``); else ``None``.
    """

    name: str
    name_pos: int
    expr: str
    expr_pos: int
    inner: str | None = None


@dataclass(slots=True)
class Block:
    """One block of the text; ``text[start:end]`` is its raw text.

    Attributes:
        kind: ``entry``, ``string``, ``preamble``, ``comment``, ``implicit`` or ``failed``.
        start: Offset of the ``@`` (of the first non-blank character for implicit comments).
        end: Offset just after the block.
        type: Lower-case block type as written after ``@`` (``article``; ``""`` for ``@{``).
        key: Entry key / ``@string`` name, stripped.
        value: ``@string`` expression (stripped), ``@preamble`` content, comment text.
        fields: Entry fields in file order (duplicates included).
        duplicate_fields: Whether two fields have the same name (bibtexparser's test).
        entry: The reader's finished entry when a ``fast_entry`` hook read the block
            (``fields`` is then empty); ``None`` otherwise.
    """

    kind: str
    start: int
    end: int
    type: str = ""
    key: str = ""
    value: str = ""
    fields: list[Field] = field(default_factory=list)
    duplicate_fields: bool = False
    entry: Any = None


# --- the fast path: regular expressions for well-formed ``{``-delimited entries ----------

_BLOCK_START = re.compile(r"@\w*[ \t]*(?=[{(])")
# A newline is plain text unless the next non-blank thing is a block start (abort point).
_NL = r"\n(?!\s*@\w*[ \t]*[{(])"
# ``@`` is plain text when it does not start a block; a block start inside a value is
# left to the slow path (it aborts the block when first on its line).
_AT = r"@(?!\w*[ \t]*[{(])"
# Inside brace groups: everything but braces; ``\`` only before a non-brace (``\{`` is not a
# brace for the splitter but is one for the value evaluator: slow path).
_IN = r"[^{}\\\n@]++|\\(?=[^{}])|" + _NL + "|" + _AT
# Inside a brace group within quotes: also no bare ``"`` (the splitter would end the string).
_QIN = r"[^{}\"\\\n@]++|\\(?=[^{}])|(?<=\\)\"|" + _NL + "|" + _AT


def _nested(atoms: str, depth: int) -> str:
    group = r"\{(?:" + atoms + r")*+\}"
    for _ in range(depth):
        group = r"\{(?:" + atoms + "|" + group + r")*+\}"
    return group


_BRACED = _nested(_IN, 3)
_QUOTED_INNER = (
    r"(?:[^{}\"\\\n@]++|\\(?=[^{}\"])|" + _NL + "|" + _AT + "|" + _nested(_QIN, 2) + r")*+"
)
_QUOTED = r"\"" + _QUOTED_INNER + r"\""
_VALUE = (
    r"(?:[^{}\",\\\n@]++|\\(?=[^{}\",])|" + _NL + "|" + _AT + "|" + _BRACED + "|" + _QUOTED + ")*+"
)
_WS = r"(?:[^\S\n]++|" + _NL + r")*+"
_NAME = r"[^{}\",=\\@]*+"
# A field name without the blanks around it (empty when there is none).
_FIELD_NAME = r"\s*+((?:[^{}\",=\\@\s]++(?:\s++[^{}\",=\\@\s]++)*+)?)\s*+"
_HEAD = re.compile(r"@(\w*)[ \t]*\{(" + _NAME + r")([,}])")
# Groups: 1 name; the value as 2 the content of one brace group, 3 the content of one quoted
# string, 4 a number (values that need no evaluation), or 5 any other expression; 6 the end.
_FIELD = re.compile(
    _FIELD_NAME
    + "="
    + _WS
    + r"(?:(?:\{((?:"
    + _IN
    + "|"
    + _BRACED
    + r")*+)\}|\"("
    + _QUOTED_INNER
    + r")\"|([0-9]++))"
    + _WS
    + "|("
    + _VALUE
    + "))([,}])"
)
_CLOSE = re.compile(r"\s*+\}")
# ``@string{name = value}``: the value runs to the first ``}`` outside brace groups (quotes
# do not protect braces in ``{``-delimited @string blocks).
_STRING = re.compile(r"@\w*[ \t]*\{(" + _NAME + r")=((?:" + _IN + "|" + _BRACED + r")*+)\}")
_SPECIAL = ("@comment", "@preamble", "@string")


def tokenize(
    text: str, fast_entry: Callable[[str, int, str], Block | None] | None = None
) -> Iterator[Block]:
    """Yield the blocks of ``text`` in order (empty implicit comments are left out).

    Args:
        text: ``.bib`` text (a whole file or a piece that starts at a line start).
        fast_entry: Tried first on every ``{``-delimited entry: ``fast_entry(text, offset of
            the "@", lower-case "@type")`` gives the block (ending where the regex reading
            ends it) or ``None`` to read the block the usual way. The reader's fused entry
            reader (:mod:`citekit.syntax._bibtex_fused`).
    """
    pos = 0
    implicit = 0  # where the current implicit comment started
    pending: re.Match[str] | None = None  # a mark an aborted block gave back
    length = len(text)
    block_start = _BLOCK_START.search
    while True:
        if pending is not None:
            mark = pending
            pending = None
            if mark.group()[0] != "@":
                pos = mark.end()
                continue
        else:
            found = block_start(text, pos)
            if found is None:
                break
            mark = found
        at = mark.start()
        if implicit < at and not text[implicit:at].isspace():  # else nothing to yield
            comment = _implicit(text, implicit, at)
            if comment is not None:
                yield comment
        lower = mark.group().lower()
        block = None
        if text[mark.end()] == "{":
            if not lower.startswith(_SPECIAL):
                if fast_entry is not None:
                    block = fast_entry(text, at, lower)
                if block is None:
                    block = _fast_entry(text, at, lower)
            elif lower.startswith("@string"):
                block = _fast_string(text, at)
        if block is not None:
            yield block
            last = block.end - 1
        else:
            machine = _Machine(text)
            yield machine.block(mark, lower)
            last = machine.cur
            pending = machine.pending
        implicit = last + 1
        pos = pending.end() if pending is not None else last + 1
        if pos > length:
            break
    comment = _implicit(text, implicit, length)
    if comment is not None:
        yield comment


def _implicit(text: str, start: int, end: int) -> Block | None:
    if start >= end:
        return None
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return None
    first = start + len(chunk) - len(chunk.lstrip())
    return Block(IMPLICIT, first, first + len(stripped), value=stripped)


def _fast_string(text: str, at: int) -> Block | None:
    """The ``@string`` block at ``at`` read by one regex, or ``None`` (slow path)."""
    match = _STRING.match(text, at)
    if match is None:
        return None
    name, value = match.group(1, 2)
    return Block(STRING, at, match.end(), key=name.strip(), value=value.strip())


def _fast_entry(text: str, at: int, lower: str) -> Block | None:
    """The entry at ``at`` read by the field regex, or ``None`` to take the slow path."""
    head = _HEAD.match(text, at)
    if head is None:
        return None
    block = Block(ENTRY, at, 0, type=lower[1:].strip(), key=head.group(2).strip())
    if head.group(3) == "}":
        block.end = head.end()
        return block
    fields = block.fields
    names: set[str] = set()
    pos = head.end()
    field_match = _FIELD.match
    close_match = _CLOSE.match
    while True:
        match = field_match(text, pos)
        if match is None:
            close = close_match(text, pos)
            if close is None:
                return None
            block.end = close.end()
            return block
        name, braced, quoted, number, value, end = match.groups()
        if braced is not None:
            expr_pos = match.start(2) - 1
            expr = "{" + braced + "}"
            inner = braced
        elif quoted is not None:
            expr_pos = match.start(3) - 1
            expr = '"' + quoted + '"'
            inner = quoted
        elif number is not None:
            expr_pos = match.start(4)
            expr = inner = number
        else:
            expr_pos = match.start(5)
            expr = value.rstrip()
            inner = None
        if name in names:
            block.duplicate_fields = True
        names.add(name)
        fields.append(Field(name, match.start(1), expr, expr_pos, inner))
        pos = match.end()
        if end == "}":
            block.end = pos
            return block


# --- the slow path: bibtexparser's splitter, mark by mark ---------------------------------

_MARK = re.compile(r"(?<!\\)[{}\",=]|@\w*[ \t]*(?=[{(])")
_PAREN_MARK = re.compile(r"(?<!\\)[{}\",=)]|@\w*[ \t]*(?=[{(])")


class _Abort(Exception):
    """The block cannot be read; it ends at ``end``."""

    def __init__(self, end: int) -> None:
        super().__init__(end)
        self.end = end


class _Machine:
    """One block read mark by mark, with the exact rules of bibtexparser 2.1's splitter."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cur = 0
        self.pending: re.Match[str] | None = None
        self.closing = "}"
        self.marks: Iterator[re.Match[str]] = iter(())

    def block(self, mark: re.Match[str], lower: str) -> Block:
        """Read the block that ``mark`` (``@type``) starts; sets ``cur`` and ``pending``."""
        at = mark.start()
        self.cur = at
        try:
            self._open(mark)
            if lower.startswith("@comment"):
                end = self._to_closing(track_quotes=False)
                return Block(COMMENT, at, end + 1, value=self.text[mark.end() + 1 : end].strip())
            if lower.startswith("@preamble"):
                end = self._to_closing(track_quotes=True)
                return Block(PREAMBLE, at, end + 1, value=self.text[mark.end() + 1 : end])
            if lower.startswith("@string"):
                return self._string(mark)
            return self._entry(mark, lower)
        except _Abort as abort:
            return Block(FAILED, at, max(at, abort.end), type=lower[1:].strip())

    def _next(self) -> re.Match[str]:
        if self.pending is not None:
            mark = self.pending
            self.pending = None
            self.cur = mark.start()
            return mark
        found = next(self.marks, None)
        if found is None:
            self.cur = len(self.text)
            raise _Abort(len(self.text))
        self.cur = found.start()
        return found

    def _open(self, mark: re.Match[str]) -> None:
        if self.text[mark.end()] == "(":
            self.closing = ")"
            self.marks = _PAREN_MARK.finditer(self.text, mark.end() + 1)
        else:
            self.marks = _MARK.finditer(self.text, mark.end())
            self._next()

    def _line_start(self, pos: int) -> bool:
        start = self.text.rfind("\n", 0, pos) + 1
        return start == pos or self.text[start:pos].isspace()

    def _abort_at_block_start(self, mark: re.Match[str]) -> None:
        if mark.group()[0] == "@" and self._line_start(mark.start()):
            self.pending = mark
            raise _Abort(mark.start() - 1)

    def _to_closing(self, *, track_quotes: bool) -> int:
        curls = 0
        quoted = False
        track_quotes = track_quotes and self.closing == ")"
        while True:
            mark = self._next()
            char = mark.group()
            if char == "{":
                curls += 1
            elif char == "}" and curls > 0:
                curls -= 1
            elif curls == 0 and char == '"' and track_quotes:
                quoted = not quoted
            elif curls == 0 and char == self.closing and not quoted:
                return mark.start()
            else:
                self._abort_at_block_start(mark)

    def _to_field_end(self) -> int:
        text = self.text
        quoted = False
        curls = 0
        while True:
            mark = self._next()
            char = mark.group()
            if char == '"' and curls == 0:
                pos = mark.start()
                if (  # ``{"}`` is a literal quote inside a quoted value
                    quoted
                    and pos > 0
                    and pos + 2 < len(text)
                    and text[pos - 1] == "{"
                    and text[pos + 1] == "}"
                ):
                    continue
                quoted = not quoted
            elif char == "{" and not quoted:
                curls += 1
            elif char == "}" and not quoted and curls > 0:
                curls -= 1
            elif (char == "," or char == self.closing) and not quoted and curls == 0:
                self.pending = mark
                return mark.start()
            else:
                self._abort_at_block_start(mark)

    def _entry(self, mark: re.Match[str], lower: str) -> Block:
        text = self.text
        block = Block(ENTRY, mark.start(), 0, type=lower[1:].strip())
        after_key = self._next()
        block.key = text[mark.end() + 1 : after_key.start()].strip()
        if after_key.group() == self.closing:
            block.end = after_key.end()
            return block
        if after_key.group() != ",":
            self.pending = after_key
            raise _Abort(after_key.end())
        names: set[str] = set()
        key_start = after_key.end()
        while True:
            equals = self._next()
            if equals.group() == self.closing:
                if text[key_start : equals.start()].strip():
                    raise _Abort(equals.end())
                block.end = equals.end()
                return block
            if equals.group() != "=":
                self.pending = equals
                raise _Abort(equals.start())
            value_start = equals.end()
            value_end = self._to_field_end()
            raw_name = text[key_start : equals.start()]
            name = raw_name.strip()
            raw_value = text[value_start:value_end]
            expr = raw_value.strip()
            if name in names:
                block.duplicate_fields = True
            names.add(name)
            block.fields.append(
                Field(
                    name,
                    key_start + len(raw_name) - len(raw_name.lstrip()),
                    expr,
                    value_start + len(raw_value) - len(raw_value.lstrip()),
                )
            )
            after = self._next()
            if after.group() == ",":
                key_start = after.end()
            else:  # the closing delimiter: put it back, the loop ends the entry
                self.pending = after
                key_start = after.start()

    def _string(self, mark: re.Match[str]) -> Block:
        equals = self._next()
        if equals.group() != "=":
            self.pending = equals
            raise _Abort(equals.end())
        end = self._to_closing(track_quotes=True)
        return Block(
            STRING,
            mark.start(),
            end + 1,
            type=mark.group()[1:].strip().lower(),
            key=self.text[mark.end() + 1 : equals.start()].strip(),
            value=self.text[equals.end() : end].strip(),
        )

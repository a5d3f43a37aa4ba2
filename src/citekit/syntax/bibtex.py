"""BibTeX syntax: ``.bib`` text → raw entries, with macros evaluated and damage located.

bibtexparser 2.1 is used as the tokenizer only (empty parse stack, see traps.md §5.1); this
module evaluates ``@string``/``#`` expressions itself, turns failed blocks into located
diagnostics, recovers fields merged by a missing comma, and keeps ``@preamble``/``@comment``
in :class:`~citekit.model.BibExtras`. Example::

    @string{acm = "ACM"}
    @book{k, publisher = acm # " Press", year = 2020}

gives ``RawEntry(type="book", key="k", fields={"publisher": "ACM Press", "year": "2020"},
macros={"publisher": 'acm # " Press"'})``. Values keep their LaTeX; nothing here knows CSL.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bibtexparser import model as bpm
from bibtexparser.entrypoint import parse_string

from citekit.errors import Diagnostics
from citekit.model import BibExtras

__all__ = [
    "PREDEFINED_MACROS",
    "Expression",
    "RawEntry",
    "evaluate",
    "iter_entries",
    "parse_entries",
]

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

PREDEFINED_MACROS: dict[str, str] = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}
"""BibTeX's predefined month macros (plain.bst), lower-case name → value."""

MONTH_MACROS = frozenset(PREDEFINED_MACROS)


@dataclass(slots=True)
class RawEntry:
    """One entry after macro evaluation: BibTeX syntax only, no CSL.

    Attributes:
        type: Entry type, lower-case (``"article"``).
        key: Citation key as written.
        fields: Lower-case field name → evaluated value (LaTeX kept, delimiters removed),
            in file order; the first of duplicated fields wins.
        macros: Field → raw expression, for fields whose value used a macro or ``#``.
        line: 1-based line of the ``@``.
        column: 1-based column of the ``@``.
        field_lines: Field → 1-based line where it starts.
        field_columns: Field → 1-based column where its name starts.
    """

    type: str
    key: str
    fields: dict[str, str] = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)
    line: int = 1
    column: int = 1
    field_lines: dict[str, int] = field(default_factory=dict)
    field_columns: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Expression:
    """Result of evaluating one ``@string``/field expression."""

    value: str
    used_macros: bool = False
    undefined: list[str] = field(default_factory=list)
    rest: str | None = None
    """Text after the expression that looks like ``name = ...`` (a missing comma), if any."""
    error: str | None = None


_BLOCK_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()=\"#%']+)\s*,")
_NAME = re.compile(r"[^\s\"#%'(),={}]+")
_FIELD_START = re.compile(r"([^\s\"#%'(),={}]+)\s*=")


def _braced_end(text: str, start: int) -> int:
    """Index just after the ``}`` closing the ``{`` at ``start`` (``-1`` if unbalanced)."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return -1


def _quoted_end(text: str, start: int) -> int:
    """Index just after the ``"`` closing the one at ``start`` (braces protect quotes)."""
    depth = 0
    for index in range(start + 1, len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth <= 0:
            return index + 1
    return -1


def evaluate(expr: str, macros: dict[str, str]) -> Expression:
    """Evaluate a BibTeX value expression.

    Tokens are ``"..."``, ``{...}``, numbers and macro names (case-insensitive) joined by
    ``#``. Undefined macros evaluate to the empty string and are listed in ``undefined``.

    Args:
        expr: The raw expression, e.g. ``'jan # " 1"'``.
        macros: Lower-case macro name → value (already evaluated).

    Returns:
        The evaluated :class:`Expression`.
    """
    text = expr.strip()
    if not text:
        return Expression("")
    first = text[0]
    # Fast path: one braced or quoted token.
    if first == "{" and text[-1] == "}" and _braced_end(text, 0) == len(text):
        return Expression(text[1:-1])
    if first == '"' and text[-1] == '"' and _quoted_end(text, 0) == len(text):
        return Expression(text[1:-1])
    parts: list[str] = []
    result = Expression("")
    pos = 0
    length = len(text)
    expect_token = True
    while pos < length:
        char = text[pos]
        if char.isspace():
            pos += 1
            continue
        if char == "%":  # a comment between tokens (biber and btparse allow them)
            newline = text.find("\n", pos)
            pos = length if newline < 0 else newline + 1
            continue
        if not expect_token:
            if char == "#":
                result.used_macros = True
                expect_token = True
                pos += 1
                continue
            if _FIELD_START.match(text, pos):
                result.rest = text[pos:]
            else:
                result.error = f"unexpected text {text[pos : pos + 20]!r} in value"
                parts.append(text[pos:])
            break
        if char == "{":
            end = _braced_end(text, pos)
            if end < 0:
                result.error = "unbalanced braces in value"
                parts.append(text[pos + 1 :])
                break
            parts.append(text[pos + 1 : end - 1])
            pos = end
        elif char == '"':
            end = _quoted_end(text, pos)
            if end < 0:
                result.error = "unterminated quoted value"
                parts.append(text[pos + 1 :])
                break
            parts.append(text[pos + 1 : end - 1])
            pos = end
        else:
            match = _NAME.match(text, pos)
            if match is None:
                result.error = f"unexpected {char!r} in value"
                break
            name = match.group()
            pos = match.end()
            if name.isdigit():
                parts.append(name)
            else:
                result.used_macros = True
                folded = name.lower()
                if folded in macros:
                    parts.append(macros[folded])
                elif folded in PREDEFINED_MACROS:
                    parts.append(PREDEFINED_MACROS[folded])
                else:
                    result.undefined.append(name)
        expect_token = False
    if expect_token and not result.error and pos >= length and parts + result.undefined:
        result.error = "the value ends with '#' (nothing to join)"
    result.value = "".join(parts)
    return result


class _Locator:
    """Maps block raw texts back to absolute offsets, advancing monotonically."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0
        self.newlines: list[int] = [i for i, c in enumerate(text) if c == "\n"]

    def find(self, raw: str, line0: int | None) -> int:
        """Absolute offset of ``raw`` (searched from the cursor), or the line's start."""
        probe = raw[:200]
        offset = self.text.find(probe, self.cursor) if probe else -1
        if offset < 0:
            return self.line_start(line0 or 0)
        self.cursor = offset + max(1, len(raw))
        return offset

    def line_start(self, line0: int) -> int:
        if line0 <= 0 or not self.newlines:
            return 0
        index = min(line0, len(self.newlines)) - 1
        return self.newlines[index] + 1

    def line_col(self, offset: int) -> tuple[int, int]:
        line0 = bisect.bisect_left(self.newlines, offset)
        start = self.newlines[line0 - 1] + 1 if line0 > 0 else 0
        return line0 + 1, offset - start + 1


def _strip_entry_comments(raw: str) -> str | None:
    """``raw`` without ``%`` comments at entry level (values keep their ``%``), or ``None``."""
    out: list[str] = []
    depth = 0
    quoted = False
    index = 0
    found = False
    length = len(raw)
    while index < length:
        char = raw[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 1:
            quoted = not quoted
        elif char == "%" and depth == 1 and not quoted:
            newline = raw.find("\n", index)
            index = length if newline < 0 else newline
            found = True
            continue
        out.append(char)
        index += 1
    return "".join(out) if found else None


def _retry_without_comments(block: bpm.Block) -> bpm.Entry | None:
    """Re-split a failed entry whose only problem was a ``%`` comment inside it."""
    if not isinstance(block, bpm.ParsingFailedBlock) or "%" not in (block.raw or ""):
        return None
    cleaned = _strip_entry_comments(block.raw or "")
    if cleaned is None:
        return None
    blocks = parse_string(cleaned, parse_stack=[]).blocks
    if len(blocks) == 1 and isinstance(blocks[0], bpm.Entry):
        return blocks[0]
    return None


def _failure_message(block: bpm.Block) -> tuple[str, str]:
    error = getattr(block, "error", None)
    detail = str(error).strip() if error is not None else ""
    raw = (block.raw or "").lstrip()
    head = raw.split("\n", 1)[0][:60]
    if isinstance(block, bpm.ParsingFailedBlock):
        if raw.lower().startswith("@comment"):
            return "bibtex.unclosed-comment", f"@comment {head!r} is not closed; ignored"
        if "Unexpected block start" in detail or raw.count("{") > raw.count("}"):
            return "bibtex.unclosed-entry", f"entry {head!r} is not closed; it was skipped"
        return "bibtex.syntax", f"cannot parse {head!r}: {detail or 'syntax error'}; skipped"
    return "bibtex.syntax", f"{detail or 'cannot parse block'}: {head!r}"


def iter_entries(
    text: str,
    *,
    source: str,
    diagnostics: Diagnostics,
    extras: BibExtras | None = None,
) -> Iterator[RawEntry]:
    """Split ``text`` and yield each entry, in file order, after macro evaluation.

    ``@string`` definitions apply to everything after them; ``@preamble`` and ``@comment``
    (and non-blank text between entries) go into ``extras``. Broken blocks give located
    diagnostics and are skipped; everything else is yielded.

    Args:
        text: The whole ``.bib`` text.
        source: File name for diagnostics.
        diagnostics: Where problems are reported.
        extras: Receives macros, preambles and comments (a throwaway one if ``None``).
    """
    extras = extras if extras is not None else BibExtras()
    library = parse_string(text, parse_stack=[])
    locator = _Locator(text)
    macros: dict[str, str] = {}
    for block in library.blocks:
        offset = locator.find(block.raw or "", block.start_line)
        line, column = locator.line_col(offset)
        where = {"source": source, "line": line, "column": column}
        if isinstance(block, bpm.String):
            name = block.key
            extras.strings[name] = block.value.strip()
            result = evaluate(block.value, macros)
            for undefined in result.undefined:
                diagnostics.warning(
                    "bibtex.undefined-macro",
                    f"@string {name!r} uses undefined macro {undefined!r}",
                    key=name,
                    **where,  # type: ignore[arg-type]
                )
            if result.error or result.rest:
                diagnostics.warning(
                    "bibtex.bad-value",
                    f"@string {name!r}: {result.error or 'text after the value'}",
                    key=name,
                    **where,  # type: ignore[arg-type]
                )
            macros[name.lower()] = result.value
        elif isinstance(block, bpm.Preamble):
            extras.preambles.append(block.value.strip())
        elif isinstance(block, bpm.ExplicitComment):
            extras.comments.append(block.comment)
        elif isinstance(block, bpm.ImplicitComment):
            if block.comment.strip():
                extras.comments.append(block.comment)
                if block.comment.lstrip().startswith("@"):
                    diagnostics.warning(
                        "bibtex.not-an-entry",
                        f"{block.comment.strip()[:40]!r} starts with '@' but is not an entry; "
                        "kept as a comment",
                        **where,  # type: ignore[arg-type]
                    )
        elif isinstance(block, bpm.Entry):
            yield _entry(block, text, offset, macros, diagnostics, where)
        elif isinstance(block, bpm.DuplicateBlockKeyBlock):
            # Keep it: the library reports duplicate ids with both locations.
            inner = block.ignore_error_block
            if isinstance(inner, bpm.Entry):
                yield _entry(inner, text, offset, macros, diagnostics, where)
        elif isinstance(block, bpm.DuplicateFieldKeyBlock):
            inner = block.ignore_error_block
            if isinstance(inner, bpm.Entry):
                yield _entry(inner, text, offset, macros, diagnostics, where)
        elif (retry := _retry_without_comments(block)) is not None:
            diagnostics.info(
                "bibtex.comment-in-entry",
                "entry contains % comments; read without them",
                key=retry.key,
                **where,  # type: ignore[arg-type]
            )
            yield _entry(retry, text, offset, macros, diagnostics, where)
        else:
            code, message = _failure_message(block)
            key_match = _BLOCK_KEY.match((block.raw or "").lstrip())
            where["key"] = key_match.group(1) if key_match else None
            if code == "bibtex.unclosed-comment":
                diagnostics.warning(code, message, **where)  # type: ignore[arg-type]
                extras.comments.append(block.raw or "")
            else:
                diagnostics.error(code, message, **where)  # type: ignore[arg-type]


def _strip_comment_lines(name: str) -> str:
    r"""A field name with ``% comment`` lines before it (``"% note\n url"`` → ``"url"``)."""
    lines = [line.split("%", 1)[0].strip() for line in name.splitlines()]
    return " ".join(line for line in lines if line)


@functools.lru_cache(maxsize=4096)
def _field_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"\s*=", re.IGNORECASE)


def _field_line(
    raw: str, name: str, start: int, base_line: int, base_column: int
) -> tuple[int, int, int]:
    """Line, column and search end of field ``name`` in the entry's ``raw`` text."""
    match = _field_pattern(name).search(raw, start)
    if match is None:
        return base_line, base_column, start
    begin = match.start()
    newlines = raw.count("\n", 0, begin)
    column = begin - raw.rfind("\n", 0, begin) if newlines else base_column + begin
    return base_line + newlines, column, match.end()


def _entry(
    block: bpm.Entry,
    text: str,
    offset: int,
    macros: dict[str, str],
    diagnostics: Diagnostics,
    where: dict[str, object],
) -> RawEntry:
    """Turn one bibtexparser entry into a :class:`RawEntry`, reporting field problems."""
    key = block.key
    raw_entry = RawEntry(
        type=block.entry_type.lower(),
        key=key,
        line=int(where["line"]),  # type: ignore[call-overload]
        column=int(where["column"]),  # type: ignore[call-overload]
    )
    if not key.strip():
        diagnostics.warning("bibtex.missing-key", "entry has no key", **where)  # type: ignore[arg-type]
    raw = block.raw or ""
    search_from = 0
    pending: list[tuple[str, str]] = [(f.key, f.value) for f in block.fields]
    fields = raw_entry.fields
    while pending:
        name, expr = pending.pop(0)
        if "%" in name:
            name = _strip_comment_lines(name)
            if not name:
                continue
        folded = name.lower()
        line, column, search_from = _field_line(
            raw, name, search_from, raw_entry.line, raw_entry.column
        )
        at = {"source": where["source"], "line": line, "column": column, "key": key}
        at["field"] = folded
        result = evaluate(expr, macros)
        if result.rest is not None:
            diagnostics.error(
                "bibtex.missing-comma",
                f"missing comma after field {folded!r}; the next field was read separately",
                **at,  # type: ignore[arg-type]
            )
            head = result.rest
            match = _FIELD_START.match(head)
            assert match is not None
            pending.insert(0, (match.group(1), head[match.end() :]))
            stripped = expr.strip()
            expr = stripped[: len(stripped) - len(result.rest)]
        if result.error:
            diagnostics.warning(
                "bibtex.bad-value",
                f"field {folded!r}: {result.error}",
                **at,  # type: ignore[arg-type]
            )
        for undefined in result.undefined:
            diagnostics.warning(
                "bibtex.undefined-macro",
                f"field {folded!r} uses undefined macro {undefined!r}; it was left empty",
                **at,  # type: ignore[arg-type]
            )
        if folded in fields:
            diagnostics.warning(
                "bibtex.duplicate-field",
                f"field {folded!r} appears again (first at line {raw_entry.field_lines[folded]});"
                " the first value was kept",
                **at,  # type: ignore[arg-type]
            )
            continue
        fields[folded] = result.value
        raw_entry.field_lines[folded] = line
        raw_entry.field_columns[folded] = column
        if result.used_macros:
            raw_entry.macros[folded] = expr.strip()
    return raw_entry


def parse_entries(
    text: str, *, source: str, diagnostics: Diagnostics
) -> tuple[list[RawEntry], BibExtras]:
    """All entries of ``text`` plus its macros, preambles and comments (see :func:`iter_entries`).

    Args:
        text: The whole ``.bib`` text.
        source: File name for diagnostics.
        diagnostics: Where problems are reported.
    """
    extras = BibExtras()
    entries = list(iter_entries(text, source=source, diagnostics=diagnostics, extras=extras))
    return entries, extras

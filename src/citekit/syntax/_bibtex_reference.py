"""Reference .bib splitting through bibtexparser 2.1 (tests only): the pre-tokenizer reader.

This is :mod:`citekit.syntax.bibtex` as it was before citekit had its own tokenizer
(:mod:`citekit.syntax.bibtex_tokenizer`), with the shared ``@string`` table of the
``shared-strings`` branch, kept unchanged so the conformance suite can compare the two on
every input. ``iter_entries(..., _splitter="bibtexparser")`` routes here.
"""

from __future__ import annotations

import bisect
import functools
import logging
import re
from collections.abc import Iterable, Iterator, MutableMapping
from typing import TYPE_CHECKING

from bibtexparser import model as bpm
from bibtexparser.entrypoint import parse_string

from citekit.errors import Diagnostics
from citekit.model import BibExtras
from citekit.syntax._bibtex_recover import (
    recover,
    report_stray,
    salvage_report,
    shifted,
    split_field_name,
    stray_fields,
)
from citekit.syntax.bibtex_values import FIELD_START, evaluate

if TYPE_CHECKING:
    from citekit.syntax.bibtex import RawEntry

__all__ = ["iter_entries_segmented"]

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)


_NEWLINE = re.compile("\n")
_BLOCK_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()=\"#%']+)\s*,")


class _Locator:
    """Maps block raw texts back to absolute offsets, advancing monotonically."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0
        self.newlines: list[int] = [m.start() for m in _NEWLINE.finditer(text)]

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


def _commented_out(text: str, offset: int) -> bool:
    """Whether a ``%`` precedes the block at ``offset`` on its line (``% @book{...``)."""
    line_start = text.rfind("\n", 0, offset) + 1
    return "%" in text[line_start:offset]


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


def iter_entries_segmented(
    segments: Iterable[tuple[str, int]],
    *,
    source: str,
    diagnostics: Diagnostics,
    extras: BibExtras | None = None,
    macros: MutableMapping[str, str] | None = None,
) -> Iterator[RawEntry]:
    r""":func:`iter_entries` over a file given as consecutive pieces (streaming reads).

    Each piece must end just before a line that starts a block (see
    :mod:`citekit.syntax.segments`), where bibtexparser starts a new block anyway, so the
    entries, values and diagnostics are those of the whole text. ``@string`` definitions
    carry over from piece to piece; a ``@string`` defined again replaces the earlier value
    for the entries after it (BibTeX and biber do so), while ``extras.strings`` keeps the
    first definition as written.

    Args:
        segments: ``(text, first_line)`` pairs; ``first_line`` is the 0-based line of the
            file where ``text`` starts.
        source: File name for diagnostics.
        diagnostics: Where problems are reported.
        extras: Receives macros, preambles and comments (a throwaway one if ``None``).
        macros: The live macro table: lower-case name → evaluated value. It is read for
            every expression and each ``@string`` is stored into it by item assignment
            (``macros[name] = value``), so a caller can pass the table left by earlier
            files (BibTeX shares macros across ``\bibdata`` files) and see the table after
            this one. A fresh table when ``None``.
    """
    extras = extras if extras is not None else BibExtras()
    table: MutableMapping[str, str] = macros if macros is not None else {}
    for text, first_line in segments:
        yield from _iter_segment(text, first_line, source, diagnostics, extras, table)


def _iter_segment(
    text: str,
    first_line: int,
    source: str,
    diagnostics: Diagnostics,
    extras: BibExtras,
    macros: MutableMapping[str, str],
) -> Iterator[RawEntry]:
    library = parse_string(text, parse_stack=[])
    locator = _Locator(text)
    skip_until = -1
    for block in library.blocks:
        offset = locator.find(block.raw or "", block.start_line)
        if offset < skip_until:
            continue
        line, column = locator.line_col(offset)
        line += first_line
        where = {"source": source, "line": line, "column": column}
        if _commented_out(text, offset) and not isinstance(
            block, (bpm.ImplicitComment, bpm.ExplicitComment)
        ):
            diagnostics.info(
                "bibtex.commented-out-entry",
                "entry after '%' on its line is treated as commented out (as biber does;"
                " classic BibTeX would read it); kept as a comment",
                **where,  # type: ignore[arg-type]
            )
            extras.comments.append(block.raw or "")
            continue
        if isinstance(block, bpm.DuplicateBlockKeyBlock) and isinstance(
            block.ignore_error_block, bpm.String
        ):
            block = block.ignore_error_block  # a redefinition: it wins from here on
        if isinstance(block, bpm.String):
            name = block.key
            if name.lower() not in macros:  # a redefinition is not a second definition
                extras.strings.setdefault(name, block.value.strip())
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
                elif (stray := stray_fields(block.comment)) is not None:
                    report_stray(stray, text, offset, (source, line, column), diagnostics)
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
        elif (recovered := recover(block, text, offset)) is not None:
            entry, skip_until, how, junk, closed = recovered
            locator.cursor = max(locator.cursor, skip_until)
            if how == "comments":
                diagnostics.info(
                    "bibtex.comment-in-entry",
                    "entry contains % comments; read without them",
                    key=entry.key,
                    **where,  # type: ignore[arg-type]
                )
            else:
                code, message, at = salvage_report(
                    block.raw or "", closed, junk, len(entry.fields), entry.key
                )
                place = dict(where)
                if at is not None:
                    place["line"], place["column"] = shifted(
                        text, offset, line, column, offset + at
                    )
                diagnostics.error(code, message, key=entry.key, **place)  # type: ignore[arg-type]
            yield _entry(entry, text, offset, macros, diagnostics, where)
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
    macros: MutableMapping[str, str],
    diagnostics: Diagnostics,
    where: dict[str, object],
) -> RawEntry:
    """Turn one bibtexparser entry into a :class:`RawEntry`, reporting field problems."""
    key = block.key
    from citekit.syntax.bibtex import RawEntry

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
        junk = ""
        if len(name.split()) > 1:
            junk, name = split_field_name(name)
        folded = name.lower()
        line, column, search_from = _field_line(
            raw, name, search_from, raw_entry.line, raw_entry.column
        )
        at = {"source": where["source"], "line": line, "column": column, "key": key}
        at["field"] = folded
        if junk:
            diagnostics.error(
                "bibtex.syntax",
                f"text {junk[:40]!r} before field {folded!r} is not a field; ignored",
                **at,  # type: ignore[arg-type]
            )
        result = evaluate(expr, macros)
        if result.rest is not None:
            diagnostics.error(
                "bibtex.missing-comma",
                f"missing comma after field {folded!r}; the next field was read separately",
                **at,  # type: ignore[arg-type]
            )
            head = result.rest
            match = FIELD_START.match(head)
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

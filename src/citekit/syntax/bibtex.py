"""BibTeX syntax: ``.bib`` text → raw entries, with macros evaluated and damage located.

Blocks come from citekit's own tokenizer (:mod:`citekit.syntax.bibtex_tokenizer`, which
splits exactly as bibtexparser 2.1 did, with exact offsets); this module evaluates
``@string``/``#`` expressions, turns failed blocks into located diagnostics, recovers damaged
entries and fields merged by a missing comma, and keeps ``@preamble``/``@comment`` in
:class:`~citekit.model.BibExtras`. Example::

    @string{acm = "ACM"}
    @book{k, publisher = acm # " Press", year = 2020}

gives ``RawEntry(type="book", key="k", fields={"publisher": "ACM Press", "year": "2020"},
macros={"publisher": 'acm # " Press"'})``. Values keep their LaTeX; nothing here knows CSL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field

from citekit.errors import Diagnostics
from citekit.model import BibExtras
from citekit.syntax import bibtex_tokenizer as tok
from citekit.syntax._bibtex_fused import Spans, entry_reader
from citekit.syntax._bibtex_recover import (
    recover_entry,
    report_failure,
    report_stray,
    split_field_name,
    stray_fields,
)
from citekit.syntax.bibtex_values import FIELD_START, PREDEFINED_MACROS, Expression, evaluate

__all__ = [
    "PREDEFINED_MACROS",
    "Expression",
    "RawEntry",
    "evaluate",
    "iter_entries",
    "iter_entries_segmented",
    "parse_entries",
]


@dataclass(slots=True, eq=False, repr=False)
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
        field_lines: Field → 1-based line where it starts (a property).
        field_columns: Field → 1-based column where its name starts (a property).
        spans: Where the fused reader found the field names
            (:class:`~citekit.syntax._bibtex_fused.Spans`), or ``None``: ``field_lines`` and
            ``field_columns`` are then worked out the first time either is read (only
            diagnostics need them, so most entries never pay for them).
    """

    type: str
    key: str
    fields: dict[str, str] = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)
    line: int = 1
    column: int = 1
    spans: Spans | None = None
    _lines: dict[str, int] = field(default_factory=dict)
    _columns: dict[str, int] = field(default_factory=dict)

    @property
    def field_lines(self) -> dict[str, int]:
        """Field → 1-based line where it starts."""
        self._locate()
        return self._lines

    @property
    def field_columns(self) -> dict[str, int]:
        """Field → 1-based column where its name starts."""
        self._locate()
        return self._columns

    def _locate(self) -> None:
        """Work out the field positions from :attr:`spans`, once."""
        if self.spans is not None:
            self.spans.locate(self._lines, self._columns)
            self.spans = None

    def _public(self) -> tuple[object, ...]:
        return (self.type, self.key, self.fields, self.macros, self.line, self.column,
                self.field_lines, self.field_columns)  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RawEntry):
            return NotImplemented
        return self._public() == other._public()

    __hash__ = None  # type: ignore[assignment]  # mutable, as the plain dataclass was

    def __repr__(self) -> str:
        names = ("type", "key", "fields", "macros", "line", "column", "field_lines",
                 "field_columns")  # fmt: skip
        parts = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._public(), strict=True))
        return f"RawEntry({parts})"


class _Lines:
    """Line and column of offsets in one piece, counted forward (no newline table)."""

    __slots__ = ("first_line", "line", "pos", "text")

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.first_line = first_line
        self.pos = 0
        self.line = first_line + 1

    def at(self, offset: int) -> tuple[int, int]:
        text = self.text
        if offset >= self.pos:
            self.line += text.count("\n", self.pos, offset)
            self.pos = offset
            line = self.line
        else:
            line = self.first_line + 1 + text.count("\n", 0, offset)
        return line, offset - text.rfind("\n", 0, offset)


def _commented_out(text: str, offset: int) -> bool:
    """Whether a ``%`` precedes the block at ``offset`` on its line (``% @book{...``)."""
    line_start = text.rfind("\n", 0, offset) + 1
    return "%" in text[line_start:offset]


def iter_entries(
    text: str,
    *,
    source: str,
    diagnostics: Diagnostics,
    extras: BibExtras | None = None,
    macros: MutableMapping[str, str] | None = None,
    _splitter: str = "citekit",
) -> Iterator[RawEntry]:
    """Split ``text`` and yield each entry, in file order, after macro evaluation.

    ``@string`` definitions apply to everything after them (a later definition of the same
    name replaces the earlier one from there on, as in BibTeX); ``@preamble`` and
    ``@comment`` (and non-blank text between entries) go into ``extras``. Broken blocks give
    located diagnostics and are skipped; everything else is yielded.

    Args:
        text: The whole ``.bib`` text.
        source: File name for diagnostics.
        diagnostics: Where problems are reported.
        extras: Receives macros, preambles and comments (a throwaway one if ``None``).
        macros: The live macro table (lower-case name → evaluated value), used and updated
            in place, so macros of earlier files are visible (see :func:`iter_entries_segmented`).
        _splitter: ``"bibtexparser"`` runs the former bibtexparser-based reader (the
            reference of the conformance tests); private.
    """
    return iter_entries_segmented(
        [(text, 0)],
        source=source,
        diagnostics=diagnostics,
        extras=extras,
        macros=macros,
        _splitter=_splitter,
    )


def iter_entries_segmented(
    segments: Iterable[tuple[str, int]],
    *,
    source: str,
    diagnostics: Diagnostics,
    extras: BibExtras | None = None,
    macros: MutableMapping[str, str] | None = None,
    _splitter: str = "citekit",
) -> Iterator[RawEntry]:
    r""":func:`iter_entries` over a file given as consecutive pieces (streaming reads).

    Each piece must end just before a line that starts a block (see
    :mod:`citekit.syntax.segments`), where the tokenizer starts a new block anyway, so the
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
        _splitter: See :func:`iter_entries`.
    """
    if _splitter == "bibtexparser":
        from citekit.syntax import _bibtex_reference  # tests only

        return _bibtex_reference.iter_entries_segmented(
            segments, source=source, diagnostics=diagnostics, extras=extras, macros=macros
        )
    if _splitter != "citekit":
        raise ValueError(f"unknown splitter {_splitter!r}")
    return _iter_segments(segments, source, diagnostics, extras, macros)


def _iter_segments(
    segments: Iterable[tuple[str, int]],
    source: str,
    diagnostics: Diagnostics,
    extras: BibExtras | None,
    macros: MutableMapping[str, str] | None,
) -> Iterator[RawEntry]:
    extras = extras if extras is not None else BibExtras()
    table: MutableMapping[str, str] = macros if macros is not None else {}
    for text, first_line in segments:
        yield from _iter_segment(text, first_line, source, diagnostics, extras, table)


_FAST = [True]
"""Whether entries go through the fused fast reader (tests switch it off to compare)."""


def _iter_segment(
    text: str,
    first_line: int,
    source: str,
    diagnostics: Diagnostics,
    extras: BibExtras,
    macros: MutableMapping[str, str],
) -> Iterator[RawEntry]:
    lines = _Lines(text, first_line)
    skip_until = -1
    fast = entry_reader(lines.at, macros, RawEntry) if _FAST[0] else None
    for block in tok.tokenize(text, fast):
        kind = block.kind
        offset = block.start
        if offset < skip_until:
            continue
        if block.entry is not None:
            yield block.entry
            continue
        line, column = lines.at(offset)
        if kind == tok.ENTRY:
            if not _commented_out(text, offset):
                yield _entry(block, text, offset, line, column, source, macros, diagnostics)
                continue
        elif kind == tok.IMPLICIT:
            extras.comments.append(block.value)
            if block.value.startswith("@"):
                diagnostics.warning(
                    "bibtex.not-an-entry",
                    f"{block.value[:40]!r} starts with '@' but is not an entry; kept as a comment",
                    source=source,
                    line=line,
                    column=column,
                )
            elif (stray := stray_fields(block.value)) is not None:
                report_stray(stray, text, offset, (source, line, column), diagnostics)
            continue
        elif kind == tok.COMMENT:
            extras.comments.append(block.value)
            continue
        where = {"source": source, "line": line, "column": column}
        if _commented_out(text, offset):
            diagnostics.info(
                "bibtex.commented-out-entry",
                "entry after '%' on its line is treated as commented out (as biber does;"
                " classic BibTeX would read it); kept as a comment",
                **where,  # type: ignore[arg-type]
            )
            extras.comments.append(text[offset : block.end])
        elif kind == tok.STRING:  # a redefinition wins from here on
            _define_string(block, macros, extras, diagnostics, where)
        elif kind == tok.PREAMBLE:
            extras.preambles.append(block.value.strip())
        else:
            recovered = recover_entry(block, text, offset, line, column, where, diagnostics)
            if recovered is not None:
                entry, src, base, skip_until = recovered
                yield _entry(entry, src, base, line, column, source, macros, diagnostics)
            else:
                report_failure(text[offset : block.end], where, extras, diagnostics)


def _define_string(
    block: tok.Block,
    macros: MutableMapping[str, str],
    extras: BibExtras,
    diagnostics: Diagnostics,
    where: dict[str, object],
) -> None:
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


def _strip_comment_lines(name: str) -> str:
    r"""A field name with ``% comment`` lines before it (``"% note\n url"`` → ``"url"``)."""
    lines = [line.split("%", 1)[0].strip() for line in name.splitlines()]
    return " ".join(line for line in lines if line)


def _first_text(name: str) -> int:
    """Offset of the first text in ``name`` that is not in a ``%`` comment (0 if none)."""
    offset = 0
    for line in name.splitlines(keepends=True):
        head = line.split("%", 1)[0]
        if head.strip():
            return offset + len(head) - len(head.lstrip())
        offset += len(line)
    return 0


def _entry(
    block: tok.Block,
    src: str,
    base: int,
    line: int,
    column: int,
    source: str,
    macros: MutableMapping[str, str],
    diagnostics: Diagnostics,
) -> RawEntry:
    """Turn one tokenized entry into a :class:`RawEntry`, reporting field problems.

    Field offsets refer to ``src``, where the entry starts at ``base`` (line ``line``,
    column ``column`` of the file).
    """
    key = block.key
    raw_entry = RawEntry(type=block.type, key=key, line=line, column=column)
    if not key.strip():
        diagnostics.warning(
            "bibtex.missing-key", "entry has no key", source=source, line=line, column=column
        )
    fields = raw_entry.fields
    field_lines = raw_entry.field_lines
    field_columns = raw_entry.field_columns
    pending = block.fields[::-1]
    count = src.count
    counted, newlines = base, 0  # newlines in src[base:counted]: fields come in order
    while pending:
        item = pending.pop()
        name = item.name
        name_pos = item.name_pos
        if "%" in name:
            first = _first_text(name)
            name = _strip_comment_lines(name)
            if not name:
                continue
            name_pos += first
        junk = ""
        if len(name.split()) > 1:
            junk, name = split_field_name(name)
            name_pos = max(name_pos, src.rfind(name, name_pos, item.expr_pos))
        if name_pos >= counted:
            newlines += count("\n", counted, name_pos)
        else:  # not reached by the tokenizer's fields; kept for safety
            newlines = count("\n", base, name_pos)
        counted = name_pos
        field_line = line + newlines
        field_column = (
            name_pos - src.rfind("\n", base, name_pos) if newlines else column + name_pos - base
        )
        folded = name.lower()
        if junk:
            diagnostics.error(
                "bibtex.syntax",
                f"text {junk[:40]!r} before field {folded!r} is not a field; ignored",
                **_at(source, field_line, field_column, key, folded),  # type: ignore[arg-type]
            )
        if item.inner is not None:  # a brace group, quoted string or number: taken as is
            value, expr, used_macros = item.inner, "", False
        else:
            result = evaluate(item.expr, macros)
            expr = item.expr
            if result.rest is not None or result.error or result.undefined:
                at = _at(source, field_line, field_column, key, folded)
                expr = _value_problems(result, item, folded, at, pending, diagnostics)
            value, used_macros = result.value, result.used_macros
        if folded in fields:
            diagnostics.warning(
                "bibtex.duplicate-field",
                f"field {folded!r} appears again (first at line {field_lines[folded]});"
                " the first value was kept",
                **_at(source, field_line, field_column, key, folded),  # type: ignore[arg-type]
            )
            continue
        fields[folded] = value
        field_lines[folded] = field_line
        field_columns[folded] = field_column
        if used_macros:
            raw_entry.macros[folded] = expr.strip()
    return raw_entry


def _at(source: str, line: int, column: int, key: str, field: str) -> dict[str, object]:
    """The location arguments of a diagnostic about one field."""
    return {"source": source, "line": line, "column": column, "key": key, "field": field}


def _value_problems(
    result: Expression,
    item: tok.Field,
    folded: str,
    at: dict[str, object],
    pending: list[tok.Field],
    diagnostics: Diagnostics,
) -> str:
    """Report a value's problems; a missing comma queues the next field. Returns the expr."""
    expr = item.expr
    if result.rest is not None:
        diagnostics.error(
            "bibtex.missing-comma",
            f"missing comma after field {folded!r}; the next field was read separately",
            **at,  # type: ignore[arg-type]
        )
        head = result.rest
        match = FIELD_START.match(head)
        assert match is not None
        stripped = expr.strip()
        rest_pos = item.expr_pos + len(stripped) - len(head)
        after = head[match.end() :]
        after_pos = rest_pos + match.end() + len(after) - len(after.lstrip())
        pending.append(tok.Field(match.group(1), rest_pos, after, after_pos))
        expr = stripped[: len(stripped) - len(head)]
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
    return expr


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

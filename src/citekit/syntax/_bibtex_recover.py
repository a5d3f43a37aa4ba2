"""Recovery of ``.bib`` entries the splitter could not read (comments inside, lost braces).

:func:`recover_entry` (citekit's reader; :func:`recover` is the bibtexparser-based
reference's) re-reads a failed entry from the original text: first without entry-level
``%`` comments (biber accepts them), then field by field up to the next line that starts an
entry, so one unbalanced brace costs a field at most, never the entry or its neighbours.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from citekit.errors import Diagnostics
from citekit.model import BibExtras
from citekit.syntax import bibtex_tokenizer as tok
from citekit.syntax.bibtex_values import group_end

if TYPE_CHECKING:
    from bibtexparser import model as bpm

__all__ = [
    "damaged_region",
    "recover",
    "recover_entry",
    "report_failure",
    "report_stray",
    "salvage_fields",
    "salvage_report",
    "shifted",
    "split_field_name",
    "stray_fields",
    "without_comments",
]

_BLOCK_KEY = re.compile(r"@\s*\w+\s*[{(]\s*([^,\s{}()=\"#%']+)\s*,")
_NOT_RECOVERED = frozenset(("string", "preamble", "comment"))


# The end of a damaged region: a line that starts an entry (``@ book{`` too), or any line the
# tokenizer treats as a block start (``@\w*[ \t]*[{(]``, e.g. ``@0book(``, ``@{``), which is
# also where the streaming reader may cut: a region never runs into the next block.
_NEXT_ENTRY = re.compile(r"\n[ \t]*@(?:[ \t]*[A-Za-z]+|\w*)[ \t]*[{(]")
_SALVAGE_HEAD = re.compile(r"@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()=\"#%']*)\s*,?")
_SALVAGE_FIELD = re.compile(r"(?m)^[ \t]*([A-Za-z][^\s=,{}\"#%()]*)[ \t]*=[ \t]*")


def without_comments(region: str) -> tuple[str, bool, bool]:
    """The entry at the start of ``region`` without entry-level ``%`` comments.

    Returns the cleaned text up to the entry's closing brace, whether comments were found,
    and whether the entry was closed at all.
    """
    out: list[str] = []
    depth = 0
    quoted = False
    index = 0
    found = False
    length = len(region)
    while index < length:
        char = region[index]
        if char in "{(" and depth == 0:
            depth = 1
        elif char == "{":
            depth += 1
        elif char == "}" or (char == ")" and depth == 1 and not quoted):
            depth -= 1
            if depth == 0:
                out.append(char)
                return "".join(out), found, True
        elif char == '"' and depth == 1:
            quoted = not quoted
        elif char == "%" and depth == 1 and not quoted:
            newline = region.find("\n", index)
            index = length if newline < 0 else newline
            found = True
            continue
        out.append(char)
        index += 1
    return "".join(out), found, False


def salvage_fields(
    region: str,
) -> tuple[str, str, list[tuple[str, str, int, int]], list[tuple[str, int]]] | None:
    """Field-by-field reading of a damaged entry: type, key, fields and unreadable text.

    Each field is ``(name, value, name offset, value offset)`` and each piece of unreadable
    text ``(text, offset)``, offsets within ``region``.
    """
    head = _SALVAGE_HEAD.match(region)
    if head is None:
        return None
    key, start = head.group(2), head.end()
    if key and region[start:].lstrip().startswith("="):
        # ``@article{ author = …, title = …``: no key, fields (EndNote writes these); a
        # single ``@x{name = value}`` stays a key with junk (a mistyped ``@string``)
        keyless = _salvage_body(region, head.start(2))
        if len(keyless[0]) > 1:
            return head.group(1).lower(), "", *keyless
    fields, junk = _salvage_body(region, start)
    return head.group(1).lower(), key, fields, junk


def _salvage_body(
    region: str, start: int
) -> tuple[list[tuple[str, str, int, int]], list[tuple[str, int]]]:
    """The ``name = value`` fields of ``region[start:]`` and the text that is not a field.

    Fields start at line starts; after a value that is complete (balanced braces or quotes,
    ``#`` joins), text on the same line is another field when it reads ``name =``, else
    unreadable text (``title = {T},⏎ author 💯 {…}`` keeps ``title = {T}``).
    """
    body = region[start:].rstrip()
    if body.endswith(("\n}", "\n)")):
        body = body[:-1]
    starts = list(_SALVAGE_FIELD.finditer(body))
    junk: list[tuple[str, int]] = []
    leading = body[: starts[0].start()] if starts else body
    if leading.strip():
        junk.append((leading.strip(), start + len(leading) - len(leading.lstrip())))
    fields: list[tuple[str, str, int, int]] = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        raw_value = body[match.end() : end]
        value = raw_value.strip()
        value_at = start + match.end() + len(raw_value) - len(raw_value.lstrip())
        if index + 1 == len(starts) and value.endswith("}") and value.count("}") > value.count("{"):
            value = value[:-1].rstrip()  # the entry's closing brace on the value's line
        if value.endswith(","):
            value = value[:-1].rstrip()
        _split_value(match.group(1), start + match.start(1), value, value_at, fields, junk)
    return fields, junk


_INLINE_FIELD = re.compile(r"([A-Za-z][^\s=,{}\"#%()]*)[ \t]*=[ \t]*")
_BARE = re.compile(r"[^\s,#{}\"]+")


def _split_value(
    name: str,
    name_at: int,
    value: str,
    value_at: int,
    fields: list[tuple[str, str, int, int]],
    junk: list[tuple[str, int]],
) -> None:
    """Append ``name = value`` to ``fields``, cut where a complete value is followed by more."""
    while True:
        cut = _value_end(value)
        rest = value[cut:] if cut is not None else ""
        tail = rest.lstrip(" \t\r\n,")
        if cut is None or not tail.strip() or tail.strip() in ("}", ")"):
            fields.append((name, value, name_at, value_at))
            return
        fields.append((name, value[:cut].rstrip(), name_at, value_at))
        tail_at = value_at + cut + len(rest) - len(tail)
        inline = _INLINE_FIELD.match(tail)
        if inline is None:
            junk.append((tail.strip(), tail_at))
            return
        name, name_at = inline.group(1), tail_at
        value, value_at = tail[inline.end() :].rstrip(), tail_at + inline.end()


def _value_end(text: str) -> int | None:
    """Where the value expression at the start of ``text`` ends; ``None`` if it never closes."""
    pos, size = 0, len(text)
    while True:
        while pos < size and text[pos] in " \t\r\n":
            pos += 1
        if pos >= size:
            return None
        if text[pos] in '{"':
            pos = group_end(text, pos)
            if pos < 0:
                return None
        else:
            bare = _BARE.match(text, pos)
            if bare is None:
                return None
            pos = bare.end()
        after = pos
        while after < size and text[after] in " \t\r\n":
            after += 1
        if after < size and text[after] == "#":
            pos = after + 1
            continue
        return pos


def split_field_name(name: str) -> tuple[str, str]:
    """``(text before the name, the name)`` of a field name holding blanks.

    ``💯 junk⏎ note = {n}``: the tokenizer reads everything between the comma and ``=`` as
    the name; BibTeX stops with a syntax error there. citekit keeps the last word as the
    field's name and reports the text before it.
    """
    words = name.split()
    return " ".join(words[:-1]), words[-1]


def damaged_region(text: str, offset: int) -> str:
    """The text of a failed block at ``offset``: up to the next line that starts an entry."""
    following = _NEXT_ENTRY.search(text, offset + 1)
    return text[offset : following.start() if following else len(text)]


def recover(
    block: bpm.Block, text: str, offset: int
) -> tuple[bpm.Entry, int, str, list[tuple[str, int]], bool] | None:
    """Re-read a failed entry block from ``text``: entry, end offset, how, junk, closed.

    The bibtexparser-based reference path (:mod:`citekit.syntax._bibtex_reference`) uses
    this; citekit's reader recovers through :mod:`citekit.syntax.bibtex` with the same
    region, comment removal and salvage.
    """
    from bibtexparser import model as bpm
    from bibtexparser.entrypoint import parse_string

    if not isinstance(block, bpm.ParsingFailedBlock):
        return None
    raw = (block.raw or "").lstrip()
    if not raw.startswith("@") or raw[1:8].lower().startswith("comment"):
        return None
    region = damaged_region(text, offset)
    cleaned, had_comments, closed = without_comments(region)
    if closed and had_comments:
        blocks = parse_string(cleaned, parse_stack=[]).blocks
        if len(blocks) == 1 and isinstance(blocks[0], bpm.Entry):
            return blocks[0], offset + len(region.rstrip()), "comments", [], closed
    salvaged = salvage_fields(region)
    if salvaged is None:
        return None
    entry_type, key, fields, junk = salvaged
    if not (key or fields) or entry_type in _NOT_RECOVERED:
        return None
    entry = bpm.Entry(entry_type, key, [bpm.Field(f[0], f[1]) for f in fields], raw=region)
    return entry, offset + len(region.rstrip()), "salvage", junk, closed


# Text between blocks that reads like ``name = value``: fields an early ``}`` left outside.
_STRAY_FIELD = re.compile(r"[A-Za-z][\w:.+-]*[ \t]*=[ \t]*[{\"0-9A-Za-z]")


def stray_fields(comment: str) -> str | None:
    """The start of ``comment`` when it looks like fields left outside their entry, else None.

    ``@book{k, title = {T}}}, year = 2020}``: BibTeX and biber end the entry at the first
    balancing ``}`` and ignore ``year = 2020`` as text between entries; citekit keeps it as
    a comment and says so.
    """
    text = comment.lstrip(" \t\r\n,})")
    if _STRAY_FIELD.match(text) is None:
        return None
    return text.split("\n", 1)[0][:40]


def report_stray(
    stray: str,
    text: str,
    offset: int,
    at: tuple[str, int, int],
    diagnostics: Diagnostics,
) -> None:
    """Warn about :func:`stray_fields` text in the block at ``offset``.

    ``at`` is ``(source, line, column)`` of ``text[offset]``; the warning points at the
    stray text itself and names the entry before it.
    """
    source, line, column = at
    found = text.find(stray, offset)
    if found > offset:
        line, column = shifted(text, offset, line, column, found)
    before = text.rfind("@", 0, offset)
    head = _BLOCK_KEY.match(text, before) if before >= 0 else None
    key = head.group(1) if head else None
    after = f"after entry {key!r} " if key else ""
    diagnostics.warning(
        "bibtex.stray-fields",
        f"text {after}looks like fields ({stray!r}), probably left outside the entry by a"
        " '}' too many; not read as fields (kept as a comment)",
        source=source,
        line=line,
        column=column,
        key=key,
    )


def salvage_report(
    raw: str, closed: bool, junk: list[tuple[str, int]], fields: int, key: str
) -> tuple[str, str, int | None]:
    """Code, message and (junk offset in the region or None) for an entry read field by field.

    An entry whose braces balance was not unclosed: something in it is not a field (e.g.
    ``author 💯 {…}``), so the message names that text and the location points at it.
    """
    head = raw.lstrip().split("\n", 1)[0][:60]
    if not closed:
        unreadable = f"; unreadable text {junk[0][0][:40]!r} ignored" if junk else ""
        return (
            "bibtex.unclosed-entry",
            f"entry {head!r} is not closed; its fields were recovered one by one{unreadable}",
            None,
        )
    if junk:
        text, at = junk[0]
        return (
            "bibtex.syntax",
            f"entry {head!r}: {text[:40]!r} is not a field (name = value); ignored, "
            + ("the other fields were recovered one by one" if fields else "no field was read"),
            at,
        )
    problem = "has no key before its first field" if not key else "cannot be read as a whole"
    return (
        "bibtex.syntax",
        f"entry {head!r} {problem}; its fields were recovered one by one",
        None,
    )


def shifted(text: str, offset: int, line: int, column: int, target: int) -> tuple[int, int]:
    """Line and column of ``text[target]``, given those of ``text[offset]`` (target ≥ offset)."""
    newlines = text.count("\n", offset, target)
    if not newlines:
        return line, column + target - offset
    return line + newlines, target - text.rfind("\n", offset, target)


def _failure_message(raw: str) -> tuple[str, str]:
    raw = raw.lstrip()
    head = raw.split("\n", 1)[0][:60]
    if raw.lower().startswith("@comment"):
        return "bibtex.unclosed-comment", f"@comment {head!r} is not closed; ignored"
    if raw.count("{") > raw.count("}"):
        return "bibtex.unclosed-entry", f"entry {head!r} is not closed; it was skipped"
    return "bibtex.syntax", f"cannot parse {head!r}: syntax error; skipped"


def report_failure(
    raw: str, where: dict[str, object], extras: BibExtras, diagnostics: Diagnostics
) -> None:
    """Report a block that could not be read or recovered (an unclosed ``@comment`` is kept)."""
    code, message = _failure_message(raw)
    key_match = _BLOCK_KEY.match(raw.lstrip())
    where["key"] = key_match.group(1) if key_match else None
    if code == "bibtex.unclosed-comment":
        diagnostics.warning(code, message, **where)  # type: ignore[arg-type]
        extras.comments.append(raw)
    else:
        diagnostics.error(code, message, **where)  # type: ignore[arg-type]


def recover_entry(
    block: tok.Block,
    text: str,
    offset: int,
    line: int,
    column: int,
    where: dict[str, object],
    diagnostics: Diagnostics,
) -> tuple[tok.Block, str, int, int] | None:
    """Re-read a failed entry (see :mod:`citekit.syntax._bibtex_recover`) and report how.

    Returns the entry, the text its offsets refer to, the entry's offset in that text and
    the end of the region it used (blocks starting before it are skipped); ``None`` when
    the block is not an entry that can be recovered.
    """
    raw = text[offset : block.end]
    if not raw.startswith("@") or raw[1:8].lower().startswith("comment"):
        return None
    region = damaged_region(text, offset)
    end = offset + len(region.rstrip())
    cleaned, had_comments, closed = without_comments(region)
    if closed and had_comments:
        blocks = list(tok.tokenize(cleaned))
        if len(blocks) == 1 and blocks[0].kind == tok.ENTRY and not blocks[0].duplicate_fields:
            diagnostics.info(
                "bibtex.comment-in-entry",
                "entry contains % comments; read without them",
                key=blocks[0].key,
                **where,  # type: ignore[arg-type]
            )
            return blocks[0], cleaned, 0, end
    salvaged = salvage_fields(region)
    if salvaged is None:
        return None
    entry_type, key, fields, junk = salvaged
    if not (key or fields) or entry_type in _NOT_RECOVERED:
        return None
    entry = tok.Block(tok.ENTRY, offset, end, type=entry_type, key=key)
    entry.fields = [
        tok.Field(name, offset + name_at, value, offset + value_at)
        for name, value, name_at, value_at in fields
    ]
    code, message, at = salvage_report(raw, closed, junk, len(fields), key)
    if at is not None:
        line, column = shifted(text, offset, line, column, offset + at)
        where = {**where, "line": line, "column": column}
    diagnostics.error(code, message, key=key, **where)  # type: ignore[arg-type]
    return entry, text, offset, end

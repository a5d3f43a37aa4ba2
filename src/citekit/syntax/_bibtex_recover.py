"""Recovery of ``.bib`` entries the splitter could not read (comments inside, lost braces).

:func:`recover` re-reads a failed entry from the original text: first without entry-level
``%`` comments (biber accepts them), then field by field up to the next line that starts an
entry, so one unbalanced brace costs a field at most, never the entry or its neighbours.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bibtexparser import model as bpm

__all__ = ["damaged_region", "recover", "salvage_fields", "without_comments"]

_NEXT_ENTRY = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]")
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
) -> tuple[str, str, list[tuple[str, str, int, int]], list[str]] | None:
    """Field-by-field reading of a damaged entry: type, key, fields and unreadable text.

    Each field is ``(name, value, name offset, value offset)``, offsets within ``region``.
    """
    head = _SALVAGE_HEAD.match(region)
    if head is None:
        return None
    body = region[head.end() :].rstrip()
    if body.endswith(("\n}", "\n)")):
        body = body[:-1]
    starts = list(_SALVAGE_FIELD.finditer(body))
    junk: list[str] = []
    leading = body[: starts[0].start()] if starts else body
    if leading.strip():
        junk.append(leading.strip())
    fields: list[tuple[str, str, int, int]] = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        raw_value = body[match.end() : end]
        value = raw_value.strip()
        value_at = head.end() + match.end() + len(raw_value) - len(raw_value.lstrip())
        if index + 1 == len(starts) and value.endswith("}") and value.count("}") > value.count("{"):
            value = value[:-1].rstrip()  # the entry's closing brace on the value's line
        if value.endswith(","):
            value = value[:-1].rstrip()
        fields.append((match.group(1), value, head.end() + match.start(1), value_at))
    return head.group(1).lower(), head.group(2), fields, junk


def damaged_region(text: str, offset: int) -> str:
    """The text of a failed block at ``offset``: up to the next line that starts an entry."""
    following = _NEXT_ENTRY.search(text, offset + 1)
    return text[offset : following.start() if following else len(text)]


def recover(
    block: bpm.Block, text: str, offset: int
) -> tuple[bpm.Entry, int, str, list[str]] | None:
    """Re-read a failed entry block from ``text``; returns entry, end offset, how, junk.

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
            return blocks[0], offset + len(region.rstrip()), "comments", []
    salvaged = salvage_fields(region)
    if salvaged is None:
        return None
    entry_type, key, fields, junk = salvaged
    if not key or entry_type in ("string", "preamble", "comment"):
        return None
    entry = bpm.Entry(entry_type, key, [bpm.Field(f[0], f[1]) for f in fields], raw=region)
    return entry, offset + len(region.rstrip()), "salvage", junk

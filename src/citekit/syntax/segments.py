"""Streaming split of a ``.bib`` byte stream into text segments that end between blocks.

Used by the streaming API so a large file is never held whole: each segment holds complete
``@`` blocks (a few hundred kilobytes) and the 0-based line number where it starts. A
segment only ends before a line that starts a block (``@type{`` first on the line), which
is where the tokenizer (:mod:`citekit.syntax.bibtex_tokenizer`) starts a new block even inside
a damaged entry, so parsing the segments one by one gives the same blocks as parsing the
whole text. Example::

    for text, first_line in iter_segments(open("big.bib", "rb")):
        ...  # text is whole blocks; line 1 of text is line first_line + 1 of the file

Input must be UTF-8 (a UTF-8 BOM is dropped); :func:`is_plain_utf8` checks a file first, so
callers can fall back to whole-file decoding for anything else.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from typing import AnyStr, BinaryIO

__all__ = ["BLOCK_LINE", "is_plain_utf8", "iter_encoded_segments", "iter_segments", "with_encoded"]

_CHUNK = 1 << 18
_READ = 1 << 15
"""Bytes read at a time. Reads (and the strings decoded from them) of 128 KB or more make
glibc's allocator raise its mmap threshold and then grow the heap by about the size of the
input (measured: reading full.bib in 256 KB reads peaks at 46 MB, in 32 KB reads at 18 MB)."""
# The tokenizer (like bibtexparser 2.1) starts a new block at every line that begins with
# ``@type{`` or ``@type(`` (``\w*`` type, blanks only before ``{``), even inside an unclosed
# value, so cutting there gives exactly the blocks of a whole-file parse. ``@ type{`` is not
# a block start: a cut there could split an unclosed ``@comment`` differently.
BLOCK_LINE = re.compile(r"^[ \t]*@\w*[ \t]*[{(]", re.MULTILINE)
"""A line that starts a block: the only places where a piece may end."""
_BLOCK_LINE = BLOCK_LINE
_BLOCK_LINE_BYTES = re.compile(rb"[ \t]*@\w*[ \t]*[{(]")
""":data:`BLOCK_LINE` at a line start of UTF-8 bytes, for type names of ASCII word characters
(a line it matches is a block line; a type with other letters is only not cut before)."""


def is_plain_utf8(stream: BinaryIO, *, chunk_size: int = 1 << 20) -> bool:
    """Whether the rest of ``stream`` is valid UTF-8 with no NUL byte and no UTF-16/32 BOM.

    Reads the stream to its end without keeping it (seek back to read it again).
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    head = stream.read(chunk_size)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if len(head) >= 4 and head[:200].count(0) > len(head[:200]) // 4:
        return False
    chunk = head
    while chunk:
        if b"\x00" in chunk:
            return False
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
        chunk = stream.read(chunk_size)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def iter_segments(stream: BinaryIO, *, chunk_size: int = _CHUNK) -> Iterator[tuple[str, int]]:
    """Yield ``(text, first_line)`` segments of a UTF-8 ``.bib`` byte stream, in order.

    Joined, the segments are exactly the decoded stream (minus a leading UTF-8 BOM).

    Args:
        stream: A binary file object positioned at the start of the data.
        chunk_size: A segment is at least about this many characters long unless the input
            ends (the stream is read in pieces of at most 32 KB).
    """
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    read_size = min(chunk_size, _READ)
    pending = ""
    first_line = 0
    scanned = 1  # block lines before this offset of ``pending`` were already seen
    while True:
        data = stream.read(read_size)
        final = not data
        pending += decoder.decode(data, final=final)
        if final:
            if pending:
                yield pending, first_line
            return
        if len(pending) < chunk_size:
            continue
        cut = _last_block_line(pending, scanned, "@", "\n", _BLOCK_LINE)
        # A block line can straddle two reads: look at the last 200 characters again.
        scanned = max(1, len(pending) - 200)
        if cut > 0:
            head, pending = pending[:cut], pending[cut:]
            scanned = 1
            yield head, first_line
            first_line += head.count("\n")


def _last_block_line(
    text: AnyStr, start: int, at: AnyStr, newline: AnyStr, block_line: re.Pattern[AnyStr]
) -> int:
    """Offset of the last block-start line in ``text`` at or after ``start`` (0 if none).

    Searched backwards from the end (an entry is a few hundred characters long, so the
    last block line is near the end): each ``at`` sign found is checked at the start of its
    line. For decoded text (:data:`BLOCK_LINE`) and UTF-8 bytes alike.
    """
    end = len(text)
    while True:
        found = text.rfind(at, start, end)
        if found < 0:
            return 0
        line = text.rfind(newline, 0, found) + 1
        if line < start:
            return 0
        if block_line.match(text, line) is not None:
            return line
        end = line  # the only candidate on this line is its start


def iter_encoded_segments(
    stream: BinaryIO, *, chunk_size: int = _CHUNK
) -> Iterator[tuple[bytes, int]]:
    """:func:`iter_segments` without decoding: ``(UTF-8 bytes, first_line)`` pieces.

    For a process that only hands the pieces on (the parallel reader's parent): each piece
    ends before a block line, as those of :func:`iter_segments` do, so decoded they parse
    into the same blocks (the cuts may fall elsewhere: a block line whose type name has
    letters other than ASCII ones is never cut before). A leading UTF-8 BOM is dropped. The
    stream must be UTF-8 (:func:`is_plain_utf8`): pieces start at line starts, so each one
    decodes on its own.
    """
    read_size = min(chunk_size, _READ)
    pending = stream.read(read_size)
    if pending.startswith(codecs.BOM_UTF8):
        pending = pending[len(codecs.BOM_UTF8) :]
    first_line = 0
    scanned = 1
    while True:
        data = stream.read(read_size)
        if not data:
            if pending:
                yield pending, first_line
            return
        pending += data
        if len(pending) < chunk_size:
            continue
        cut = _last_block_line(pending, scanned, b"@", b"\n", _BLOCK_LINE_BYTES)
        scanned = max(1, len(pending) - 200)
        if cut > 0:
            head, pending = pending[:cut], pending[cut:]
            scanned = 1
            yield head, first_line
            first_line += head.count(b"\n")


EncodedSegments = Callable[[], Iterator[tuple[bytes, int]]]


def with_encoded(
    open_segments: Callable[[], Iterator[tuple[str, int]]], path: str
) -> Callable[[], Iterator[tuple[str, int]]]:
    """``open_segments`` that also offers the file's undecoded pieces as ``.encoded()``.

    A reader that only hands pieces on to other processes reads those instead
    (:func:`iter_encoded_segments` of ``path``); anything else calls ``open_segments``.
    """

    def encoded() -> Iterator[tuple[bytes, int]]:
        with open(path, "rb") as stream:
            yield from iter_encoded_segments(stream)

    open_segments.encoded = encoded  # type: ignore[attr-defined]
    return open_segments

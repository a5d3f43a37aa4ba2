"""Byte-level input and output shared by every format: decoding with diagnostics, atomic writes.

Kept outside the layer contract because every layer may need it and it imports only
``citekit.errors``.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from citekit.errors import CitekitWriteError, Diagnostics

__all__ = [
    "atomic_write_bytes",
    "atomic_write_pieces",
    "atomic_write_text",
    "decode_bytes",
    "write_output",
    "write_output_bytes",
]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode error handler: read the offending bytes as Windows-1252 (Latin-1 for text)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("citekit-cp1252", _cp1252_fallback)


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def decode_bytes(data: bytes, *, source: str, diagnostics: Diagnostics) -> str:
    """Decode input bytes to text, never failing.

    UTF-8 is expected. A byte-order mark selects UTF-8/16/32; BOM-less UTF-16 is recognised
    by its NUL pattern. Bytes that are not UTF-8 are decoded as Windows-1252 (a superset of
    Latin-1 for printable text) one by one, valid UTF-8 around them is kept, and a warning
    names the first bad byte. NUL bytes are
    removed with an error diagnostic, because no bibliography format allows them.
    """
    encoding = "utf-8"
    for bom, name in _BOMS:
        if data.startswith(bom):
            data = data[len(bom) :]
            encoding = name
            break
    else:
        head = data[:200]
        if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
            encoding = "utf-16-le"
        elif len(head) >= 4 and head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0:
            encoding = "utf-16-be"
    if encoding != "utf-8":
        text = data.decode(encoding, errors="replace")
        diagnostics.info("input.encoding", f"decoded as {encoding}", source=source)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = _line_col(data, exc.start)
            # Only the bytes that are not UTF-8 are read as Windows-1252: one stray byte must not
            # turn every accented letter of a UTF-8 file into mojibake, and a file that really
            # is Latin-1 decodes the same either way.
            text = data.decode("utf-8", errors="citekit-cp1252")
            diagnostics.warning(
                "input.not-utf8",
                f"byte 0x{data[exc.start]:02x} is not UTF-8; the bytes that are not UTF-8 were "
                "read as Windows-1252/Latin-1",
                source=source,
                line=line,
                column=column,
            )
    if "\x00" in text:
        first = text.index("\x00")
        line = text.count("\n", 0, first) + 1
        column = first - (text.rfind("\n", 0, first) + 1) + 1
        diagnostics.error(
            "input.nul-byte",
            f"{text.count(chr(0))} NUL byte(s) removed",
            source=source,
            line=line,
            column=column,
        )
        text = text.replace("\x00", "")
    return text


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically: a temp file in the same folder, then rename.

    On any error the destination is untouched and :class:`CitekitWriteError` is raised.
    ``path`` may be the file that was read as input; a symbolic link is written through (its
    target is replaced, the link stays).
    """
    atomic_write_pieces(path, (text,))


def atomic_write_pieces(path: str | os.PathLike[str], pieces: Iterable[str]) -> None:
    """Like :func:`atomic_write_text`, for text produced piece by piece (streaming writers).

    Only one piece is held at a time. If producing a piece raises, the destination is left
    untouched and the exception propagates unchanged.
    """
    _atomic_write(path, pieces, binary=False)


def atomic_write_bytes(path: str | os.PathLike[str], pieces: Iterable[bytes]) -> None:
    """:func:`atomic_write_pieces` for pieces already encoded (the same bytes for UTF-8 text)."""
    _atomic_write(path, pieces, binary=True)


def _atomic_write(
    path: str | os.PathLike[str], pieces: Iterable[str] | Iterable[bytes], *, binary: bool
) -> None:
    target = Path(path)
    if target.is_symlink():  # write through the link: replacing it would cut it off its target
        target = target.resolve()
    directory = target.parent if str(target.parent) else Path(".")
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
        handle: IO[Any] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        )
        with handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp_name, target.stat().st_mode & 0o7777 if target.exists() else 0o644)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CitekitWriteError(f"cannot write {target}: {reason}") from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def write_output(target: str | os.PathLike[str] | None, pieces: Iterable[str]) -> None:
    """Write ``pieces`` to standard output (``None`` or ``"-"``) or atomically to a file.

    The one place that decides between the two, for the API, streaming and the CLI.
    """
    if target is None or os.fspath(target) == "-":
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
        return
    atomic_write_pieces(target, pieces)


def write_output_bytes(target: str | os.PathLike[str] | None, pieces: Iterable[bytes]) -> None:
    """:func:`write_output` for UTF-8 encoded pieces (standard output gets them as text)."""
    if target is None or os.fspath(target) == "-":
        write_output(target, (piece.decode("utf-8") for piece in pieces))
        return
    atomic_write_bytes(target, pieces)

"""Streamed CSL-JSON output from records that the reader's workers have already serialised.

:func:`citekit._stream_convert.convert_stream` to CSL-JSON hands the reader
:func:`citekit.writers.csljson.item_text` as its ``serialise`` function: a ``.bib`` read with
worker processes then returns each record as ``(id, item text)`` and this process only checks
the ids and hands the texts to :func:`citekit.writers.csljson.iter_write`, which frames them
(records that come as records, from other inputs or files read whole, it serialises itself;
``tests/test_streaming.py`` compares the bytes). The serialiser also carries the writer's
item separator, so a worker returns a run of consecutive records as one
:class:`citekit._stream_ids.SerialisedRun` (their ids, places and texts already joined):
the parent then does nothing per record but check its id. Example::

    serialise = csl_json_serialiser("csl-json", {"indent": 2})
    pieces = iter_write(items, diagnostics=sink, indent=2)  # (record or (id, text), location)
    write_output(target, chunked(pieces))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from citekit.model import Record

__all__ = ["ItemSerialiser", "chunked", "csl_json_serialiser", "encoded_pieces"]

_CHUNK = 1 << 16
"""Characters joined before one write (a write per record costs more than the join)."""


class ItemSerialiser:
    """Picklable one-record CSL-JSON serialiser (``item_text``) with the item separator."""

    def __init__(self, indent: int | str | None) -> None:
        from citekit.writers.csljson import item_separator, item_text

        self.indent = indent
        self.separator = item_separator(indent)
        """What the writer puts between two item texts."""
        self._item_text = item_text

    def __call__(self, record: Record) -> str:
        """The text of ``record`` as an item of the written array."""
        return self._item_text(record, self.indent)


def csl_json_serialiser(format_name: str, options: dict[str, Any]) -> ItemSerialiser | None:
    """The picklable one-record serialiser for this output, or ``None`` when there is none.

    Only CSL-JSON output whose only option is ``indent`` has one (the writer's other options,
    if it ever gets any, would need the whole writer).
    """
    if format_name != "csl-json" or set(options) - {"indent"}:
        return None
    return ItemSerialiser(options.get("indent", 2))


def encoded_pieces(
    items: Iterable[tuple[Any, object]], serialise: ItemSerialiser, size: int = _CHUNK
) -> Iterator[bytes]:
    """The CSL-JSON array of ``items`` as UTF-8 pieces of about ``size`` bytes.

    The bytes are :func:`citekit.writers.csljson.iter_write`'s text encoded (the writer's
    own frame), for items that are records, ``(id, text)`` pairs or
    :class:`~citekit._stream_ids.SerialisedRun` runs, whose text is already UTF-8 and is
    written without being decoded.
    """
    from citekit.writers.csljson import array_frame

    opening, separator, closing = (part.encode() for part in array_frame(serialise.indent))
    held: list[bytes] = []
    length = 0
    before = opening
    empty = True
    for record, _ in items:
        if isinstance(record, tuple):
            text = record[1]
            piece = before + (text if isinstance(text, bytes) else text.encode())
        else:
            piece = before + serialise(record).encode()
        before, empty = separator, False
        held.append(piece)
        length += len(piece)
        if length >= size:
            yield b"".join(held)
            held, length = [], 0
    held.append((b"[]" if empty else closing) + b"\n")
    yield b"".join(held)


def chunked(pieces: Iterable[str], size: int = _CHUNK) -> Iterator[str]:
    """``pieces`` joined into pieces of at least ``size`` characters (the last may be shorter)."""
    held: list[str] = []
    length = 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(held)
            held, length = [], 0
    if held:
        yield "".join(held)

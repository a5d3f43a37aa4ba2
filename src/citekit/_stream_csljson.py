"""Streamed CSL-JSON output from records that the reader's workers have already serialised.

:func:`citekit._streaming.convert_stream` to CSL-JSON hands the reader
:func:`citekit.writers.csljson.item_text` as its ``serialise`` function: a ``.bib`` read with
worker processes then returns each record as ``(id, item text)`` and this process only checks
the ids and hands the texts to :func:`citekit.writers.csljson.iter_write`, which frames them
(records that come as records, from other inputs or files read whole, it serialises itself;
``tests/test_streaming.py`` compares the bytes). Example::

    serialise = csl_json_serialiser("csl-json", {"indent": 2})
    pieces = iter_write(items, diagnostics=sink, indent=2)  # (record or (id, text), location)
    write_output(target, chunked(pieces))
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from citekit.model import Record

__all__ = ["chunked", "csl_json_serialiser"]

_CHUNK = 1 << 16
"""Characters joined before one write (a write per record costs more than the join)."""


def csl_json_serialiser(
    format_name: str, options: dict[str, Any]
) -> Callable[[Record], str] | None:
    """The picklable one-record serialiser for this output, or ``None`` when there is none.

    Only CSL-JSON output whose only option is ``indent`` has one (the writer's other options,
    if it ever gets any, would need the whole writer).
    """
    if format_name != "csl-json" or set(options) - {"indent"}:
        return None
    from citekit.writers.csljson import item_text

    return functools.partial(item_text, indent=options.get("indent", 2))


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

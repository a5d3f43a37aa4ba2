"""Duplicate and case-colliding ids of a streamed conversion, checked as records go by.

Also the run of records that worker processes serialise together (:class:`SerialisedRun`):
the parent checks its ids without looking at its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from citekit.errors import Diagnostic, Diagnostics, Severity
from citekit.model import Record, SourceLocation

__all__ = ["IdChecker", "SerialisedRun"]

_FIELD = 1 << 31
"""Lines and columns below this are packed into the id table's ints."""


class SerialisedRun(NamedTuple):
    """Consecutive records serialised by a worker, in place of their ``(id, text)`` pairs.

    :func:`citekit._stream_csljson.encoded_pieces` writes ``run[1]`` as one item's text
    (already encoded): the texts are joined with the separator it puts between items.
    """

    ids: list[str]
    """The records' ids, in order."""
    text: bytes
    """Their item texts joined by the writer's item separator, encoded in UTF-8."""
    source: str
    """The file they were read from."""
    places: list[int]
    """Line and column of each record, one after the other."""


class IdChecker:
    """Incremental version of :meth:`Library.check_ids` (same codes and messages).

    Compact, since it holds every id of a streamed conversion: one dict from id to its
    location packed into an int (file number, line, column), and one from case-folded id to
    the first id of that spelling only where that id is not already case-folded (a third of
    real keys): about 100 bytes per record instead of 230.
    """

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        self.ids: dict[str, int | SourceLocation | None] = {}
        """Every id seen → its first location (packed by :meth:`_pack` where it fits)."""
        self.variants: dict[str, str] = {}
        """Case-folded id → the first id folding to it, where that id is not its own fold."""
        self.sources: dict[str, int] = {}
        self.names: list[str] = []
        self.found: list[Diagnostic] = []

    def check(self, record: Record | tuple[str, str], where: SourceLocation | None) -> None:
        """Check the id of ``record`` (or of an ``(id, text)`` pair) against those seen."""
        record_id = record[0] if isinstance(record, tuple) else str(record.get("id", ""))
        ids = self.ids
        if record_id in ids:
            self._duplicate(record_id, where)
            return
        ids[record_id] = self._pack(where)
        key = record_id.casefold()
        known = self.variants.get(key)
        if known is None:  # the common case, kept short
            if key == record_id:
                return  # an earlier id of this fold would be in ``variants``
            if key not in ids:
                self.variants[key] = record_id  # the first of its fold
                return
            known = key  # the fold itself came first
        self._collision(record_id, known, where)

    def _pack(self, where: SourceLocation | None) -> int | SourceLocation | None:
        if where is None:
            return None
        line, column = where.line, where.column
        number = self._number(where.source)
        if line is None or column is None or not (0 <= line < _FIELD and 0 <= column < _FIELD):
            return where
        return (number * _FIELD + line) * _FIELD + column

    def _number(self, source: str) -> int:
        """The number of ``source`` in the packed locations."""
        number = self.sources.get(source)
        if number is None:
            number = self.sources[source] = len(self.names)
            self.names.append(source)
        return number

    def _unpack(self, packed: int | SourceLocation | None) -> SourceLocation | None:
        if not isinstance(packed, int):
            return packed
        rest, column = divmod(packed, _FIELD)
        number, line = divmod(rest, _FIELD)
        return SourceLocation(self.names[number], line, column)

    def _collision(self, record_id: str, known: str, where: SourceLocation | None) -> None:
        message = f"id {record_id!r} differs from {known!r} only in case"
        self._warn("library.id-case-collision", message, record_id, where)

    def _duplicate(self, record_id: str, where: SourceLocation | None) -> None:
        first = self._unpack(self.ids[record_id])
        at = f" (first at {first})" if first else ""
        self._warn("library.duplicate-id", f"duplicate id {record_id!r}{at}", record_id, where)

    def _warn(self, code: str, message: str, record_id: str, where: SourceLocation | None) -> None:
        self.found.append(
            Diagnostic(
                Severity.WARNING,
                code,
                message,
                source=where.source if where else None,
                line=where.line if where else None,
                column=where.column if where else None,
                key=record_id,
            )
        )

    def finish(self) -> None:
        """Report what was found (after the reader's own diagnostics, like the Library path)."""
        self.diagnostics.items.extend(self.found)
        self.found = []

    def check_many(
        self, source: str, ids: Sequence[str], places: Sequence[tuple[int | None, int | None]]
    ) -> None:
        """:meth:`check` for consecutive ids of ``source`` with their lines and columns."""
        check = self.check
        for record_id, (line, column) in zip(ids, places, strict=True):
            check((record_id, ""), SourceLocation(source, line, column))

    def check_run(self, source: str, ids: Sequence[str], places: Sequence[int]) -> None:
        """:meth:`check_many` with the lines and columns one after the other in ``places``.

        An id seen for the first time that is its own case fold (most ids) is only
        recorded, without building its location; any other goes through :meth:`check`.
        """
        if len(places) != 2 * len(ids):
            raise ValueError("check_run: places must hold a line and a column per id")
        ids_seen, variants, check = self.ids, self.variants, self.check
        number = self._number(source)
        for index, record_id in enumerate(ids):
            line, column = places[2 * index], places[2 * index + 1]
            if (
                record_id not in ids_seen
                and 0 <= line < _FIELD
                and 0 <= column < _FIELD
                and record_id.casefold() == record_id
                and record_id not in variants
            ):
                ids_seen[record_id] = (number * _FIELD + line) * _FIELD + column
            else:
                check((record_id, ""), SourceLocation(source, line, column))

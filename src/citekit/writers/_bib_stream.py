"""Streamed ``.bib`` writing: records in, text out, 500 records at a time.

:func:`iter_bib` writes what :func:`citekit.writers._bib.write_bib` writes for the whole
library, a batch at a time, so memory does not grow with the input. Two things of one entry
depend on the other entries, and a batch only sees its own:

* an id that cannot be a key (space, comma, brace) is written under a new key that must not
  be the id of any other record, and references to it (``crossref`` …) must follow;
* fields a record inherited from a ``crossref``/``xdata`` parent are left out when the parent
  is written too (it gives them back), wherever in the output the parent is.

With ``exact`` (what :func:`citekit._stream_convert.convert_stream` asks for, which can read its
inputs again), the parents a batch's records name are taken as written elsewhere, and
:class:`StreamMismatch` is raised if the stream then shows that the batches cannot give the
whole-library output: an id that needs a new key, or a named parent that no record of the
stream has. The caller then writes the whole library instead. Without ``exact``
(:func:`citekit.write_stream` over any iterable) each batch decides for itself.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator
from itertools import chain, islice
from typing import Any

from citekit._parallel import ordered_map, worker_count
from citekit.errors import Diagnostic, Diagnostics
from citekit.model import Library, Record, SourceLocation
from citekit.writers._bib import write_bib

__all__ = [
    "BATCH",
    "StreamMismatch",
    "iter_bib",
    "needs_new_key",
    "outside_parents",
    "referenced_parents",
    "write_batch",
]

BATCH = 500
"""Records per batch (the fused CSL-JSON path, :mod:`citekit._stream_tobib`, cuts alike)."""
_PARALLEL_MINIMUM = 2000
_UNSAFE_ID = re.compile(r"[\s,{}]")
"""What makes the writer give an id another key (see :func:`citekit.writers._bib.safe_key`;
any whitespace, since keys are stripped too)."""


class StreamMismatch(Exception):
    """The batches cannot give the whole-library output; write the whole library instead."""


def referenced_parents(records: Iterable[Record]) -> set[str]:
    """The parent ids named in the records' ``custom["bibtex"]["inherited"]``."""
    found: set[str] = set()
    for record in records:
        custom = record.get("custom")
        if not custom or not isinstance(custom, dict):
            continue
        bib = custom.get("bibtex")
        inherited = bib.get("inherited") if isinstance(bib, dict) else None
        if isinstance(inherited, dict):
            found.update(str(parent) for parent in inherited.values())
    return found


def needs_new_key(record_id: str) -> bool:
    """Whether the writer would write ``record_id`` under another key."""
    return _UNSAFE_ID.search(record_id) is not None


def iter_bib(
    items: Iterable[tuple[Record, SourceLocation | None]],
    *,
    dialect: str,
    diagnostics: Diagnostics,
    exact: Container[str] | None = None,
    **options: Any,
) -> Iterator[str]:
    """Yield ``.bib`` text for ``items`` in batches (the streaming API's writer).

    The pieces join to exactly what :func:`write_bib` returns for the same records (with
    ``exact``; see the module docstring). Records are written 500 at a time; once a record
    without an id appears, the rest is collected so that generated keys avoid every id (as
    on the Library path). ``keep_macros``, ``key_pattern`` and ``regenerate_keys`` need the
    whole library, so they collect everything. From 2,000 records on (or as ``jobs`` says),
    batches are written in worker processes, a few batches ahead of the text yielded, so
    memory stays flat.

    Args:
        items: ``(record, location)`` pairs, in output order.
        dialect: ``bibtex`` or ``biblatex``.
        diagnostics: Receives what the writer reports.
        exact: Every id of the stream once ``items`` is exhausted (e.g. the id checker's
            table): the parents the records name are checked against it at the end, and
            :class:`StreamMismatch` is raised where the output could differ from the
            whole-library write.
        **options: As for :func:`write_bib`.

    Raises:
        StreamMismatch: With ``exact``, see above (pieces may have been yielded before).
    """
    whole = bool(options.get("keep_macros")) or options.get("key_pattern") is not None
    whole = whole or bool(options.get("regenerate_keys"))
    pending: set[str] = set()
    # (keep_macros and key patterns write the whole library at once: nothing to check)
    batches = _batches(items, whole, pending if exact is not None and not whole else None)
    jobs = 1 if options.get("report") is not None else options.get("jobs")
    if jobs != 1:
        # Start workers only for a stream of at least _PARALLEL_MINIMUM records.
        peeked = list(islice(batches, -(-_PARALLEL_MINIMUM // BATCH)))
        size = sum(len(batch) for batch, _, _ in peeked)
        jobs = worker_count(jobs, size, minimum=_PARALLEL_MINIMUM)
        batches = chain(peeked, batches)
    started = False
    if jobs > 1:
        serial = {**options, "jobs": 1}
        tasks = (
            (batch, reserved, dialect, serial, elsewhere) for batch, reserved, elsewhere in batches
        )
        for text, found in ordered_map(write_batch, tasks, jobs=jobs):
            diagnostics.extend(found)
            yield ("\n" if started else "") + text
            started = True
    else:
        for batch, reserved, elsewhere in batches:
            extra: dict[str, Any] = {"_parents_elsewhere": elsewhere}
            if reserved is not None:
                extra["_reserved_ids"] = reserved
            text = write_bib(batch, dialect=dialect, diagnostics=diagnostics, **extra, **options)
            yield ("\n" if started else "") + text
            started = True
    if exact is not None and any(parent not in exact for parent in pending):
        raise StreamMismatch("a record names a parent that is not in the stream")


def _batches(
    items: Iterable[tuple[Record, SourceLocation | None]], whole: bool, pending: set[str] | None
) -> Iterator[tuple[Library, list[str] | None, frozenset[str]]]:
    """Batches of :data:`BATCH` records; the last comes with the ids of those before it.

    With ``pending`` (exact mode), each batch comes with the parents its records name outside
    it, which are collected in ``pending``, and an id that needs a new key raises
    :class:`StreamMismatch`.
    """
    batch = Library()
    used: list[str] = []
    collecting = whole  # from the first record without an id on: the rest in one batch
    for record, where in items:
        record_id = str(record.get("id") or "")
        if pending is not None and record_id and needs_new_key(record_id):
            raise StreamMismatch(f"id {record_id!r} needs another key")
        collecting = collecting or not record_id.strip()
        batch.add(record, where)
        if not collecting and len(batch) >= BATCH:
            used.extend(str(r["id"]).strip() for r in batch.records)
            yield batch, None, _elsewhere(batch, pending)
            batch = Library()
    if batch.records:
        yield batch, used, _elsewhere(batch, pending)


def outside_parents(records: list[Record]) -> frozenset[str]:
    """The parents ``records`` name that are not among them."""
    parents = referenced_parents(records)
    if not parents:
        return frozenset()
    parents.difference_update(str(record.get("id") or "").strip() for record in records)
    return frozenset(parents)


def _elsewhere(batch: Library, pending: set[str] | None) -> frozenset[str]:
    """The parents ``batch``'s records name that are not in it (added to ``pending``)."""
    if pending is None:
        return frozenset()
    parents = outside_parents(batch.records)
    pending.update(parents)
    return parents


def write_batch(
    task: tuple[Library, list[str] | None, str, dict[str, Any], frozenset[str]],
) -> tuple[str, list[Diagnostic]]:
    """One streamed batch, written in a worker process: its text and its diagnostics."""
    batch, reserved, dialect, options, elsewhere = task
    found = Diagnostics()
    extra: dict[str, Any] = {"_parents_elsewhere": elsewhere}
    if reserved is not None:
        extra["_reserved_ids"] = reserved
    return write_bib(batch, dialect=dialect, diagnostics=found, **extra, **options), found.items

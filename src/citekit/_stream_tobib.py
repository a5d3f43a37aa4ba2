"""CSL-JSON → BibTeX/BibLaTeX streaming a slice at a time, in workers that read *and* write.

:func:`citekit._stream_convert.convert_stream` hands a pretty-printed CSL-JSON file bound for
``.bib`` output here. When the writer would use worker processes, this process only
finds the items' first lines in the bytes (the ``{`` that open lines indented like the first
item's, as :mod:`citekit.readers._csljson_fast` finds them), cuts the file into slices of
:data:`BATCH` items and ships each slice with its first line number. A worker decodes and
parses its slice with the CSL-JSON reader's fast path (which proves each item's boundaries),
checks and normalises the items exactly as :func:`citekit.readers.csljson.read_text` does,
writes them in the writer's 500-record batches (:func:`citekit.writers._bib.write_bib`) and
returns the text, the ids with their places and the diagnostics. This process checks the ids
across the whole file and writes the texts in order; the file is read a block at a time, so
its memory does not grow with the file (the ids seen and the diagnostics aside). Without
workers (``-j1``, a small file, busy CPUs) this process converts the slices itself, one at a
time, so the memory of that path does not grow with the file either.

The output bytes and diagnostics are those of the serial path: the writer's batches are the
same 500 records (what an entry takes from other entries is settled as the serial path settles
it, see :mod:`citekit.writers._bib_stream`: parents named outside a batch are taken as
written and checked at the end, and an id that needs another key raises
:class:`~citekit.writers._bib_stream.StreamMismatch`), the diagnostics are held and reported
at the end in the serial path's order (reader, then writer and duplicate-id warnings in the
order the writer's workers report them).
When a slice cannot be proved (damaged JSON, escapes or numbers the fast path leaves to the
located reader, bytes that are not UTF-8) the file is read whole as before, from that slice on
the records come from that read, and the reader's diagnostics are the serial reader's.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from citekit._gc import collector_paused
from citekit._parallel import ordered_map, worker_count
from citekit._stream_ids import IdChecker
from citekit.errors import Diagnostic, Diagnostics, UnknownFormatError
from citekit.model import Library
from citekit.writers._bib_stream import StreamMismatch

__all__ = ["BATCH", "Plan", "pieces", "plan"]

BATCH = 500
"""Records per writer batch (:data:`citekit.writers._bib_stream.BATCH`); a slice is one batch."""
_BLOCK = 1 << 20
_PARALLEL_MINIMUM = 2000
"""Records from which the automatic choice uses workers (as the streaming writer decides)."""
_PEEK = -(-_PARALLEL_MINIMUM // BATCH)
"""Batches the streaming writer takes before it chooses its workers."""
_SPACE = b" \t\r\n"
_OPTIONS = frozenset({"profile", "ascii", "carry_csl", "jobs"})
"""Writer options this path takes; any other (keys, macros, report) needs the serial path."""


@dataclass(slots=True)
class Plan:
    """How to split one CSL-JSON file: where its first item's line starts, and its indent."""

    source: str
    begin: int
    indent: bytes
    jobs: int
    peeked: bool = True
    """Whether the serial path's writer looked ahead before choosing its workers
    (every ``jobs`` but an explicit ``1``); it decides where duplicate-id warnings go."""


def _layout(head: bytes) -> tuple[int, bytes] | None:
    """(offset of the first item's line, its indent) when ``head`` opens a pretty array."""
    start = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    pos = len(head) - len(head[start:].lstrip(_SPACE))
    if head[pos : pos + 1] != b"[":
        return None
    first = head.find(b"{", pos + 1)
    if first < 0 or head[pos + 1 : first].strip(_SPACE):
        return None
    begin = head.rfind(b"\n", 0, first) + 1
    if begin <= pos:
        return None  # the first item shares the "[" line (compact JSON)
    return begin, head[begin:first]


def plan(
    source: str, *, from_format: str | None, options: dict[str, Any], jobs: int | None
) -> Plan | None:
    """The split of ``source`` when this path applies, else ``None`` (use the serial path).

    It applies to one UTF-8 CSL-JSON file that is a pretty-printed array of objects, written
    without key, macro or report options. ``Plan.jobs`` is the number of workers the writer
    would use: ``jobs`` (the writer's option) as :func:`citekit._parallel.worker_count`
    decides it for the first 2,000 items (``1``: the slices are converted in this process).
    """
    if source == "-" or set(options) - _OPTIONS:
        return None
    try:
        with open(source, "rb") as handle:
            head = handle.read(_BLOCK)
            found = _layout(head)
            if found is None:
                return None
            from citekit.registry import detect_format, get_format

            fmt = (
                get_format(from_format)
                if from_format
                else detect_format(source, head[:4096].decode("utf-8", "replace"))
            )
            if fmt.name != "csl-json":
                return None
            begin, indent = found
            marker = b"\n" + indent + b"{"
            count, data = 0, head
            pos = head.find(marker, begin)
            while count < _PARALLEL_MINIMUM:
                if pos < 0:
                    more = handle.read(_BLOCK)
                    if not more:
                        break
                    data = data[1 - len(marker) :] + more
                    pos = data.find(marker)
                    continue
                count += 1
                pos = data.find(marker, pos + len(marker) - 1)
    except (OSError, UnknownFormatError):  # the serial path reports it
        return None
    workers = worker_count(jobs, count + 1, minimum=_PARALLEL_MINIMUM)
    return Plan(source, begin, indent, workers, peeked=jobs != 1)


Place = tuple[int | None, int | None]
"""A record's line and column."""


@dataclass(slots=True)
class _Task:
    data: bytes
    first_line: int
    before: int
    count: int
    last: bool
    source: str
    dialect: str
    options: dict[str, Any]


@dataclass(slots=True)
class _Done:
    proven: bool
    before: int
    text: str = ""
    ids: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    read: list[Diagnostic] = field(default_factory=list)
    written: list[list[Diagnostic]] = field(default_factory=list)
    parents: set[str] = field(default_factory=set)
    """Parents the slice's records name outside their batch (taken as written elsewhere)."""
    new_keys: bool = False
    """Whether an id of the slice needs another key (the batches cannot give the output)."""


def _slices(plan: Plan, dialect: str, options: dict[str, Any]) -> Iterator[_Task]:
    """The file cut before every :data:`BATCH`-th item's line, read a block at a time.

    The markers are skipped over by the regular-expression engine (twice as fast as a loop
    of ``bytes.find`` here), a slice's worth at a time.
    """
    marker = b"\n" + plan.indent + b"{"
    skip = len(marker) - 1
    pattern = re.compile(re.escape(marker))
    with open(plan.source, "rb") as handle:
        buf = handle.read(_BLOCK)
        begin = plan.begin
        line = buf.count(b"\n", 0, begin) + 1
        before, count = 0, 1
        pos = begin + len(plan.indent)  # the first item's "{"
        while True:
            # the marker of the next slice's first item: the (BATCH - count + 1)-th from pos
            found = next(islice(pattern.finditer(buf, pos), BATCH - count, None), None)
            if found is None:
                more = handle.read(_BLOCK)
                count += buf.count(marker, pos)
                if not more:
                    break
                searched = max(pos, len(buf) - skip) - begin
                buf = buf[begin:] + more
                pos, begin = searched, 0
                continue
            hit = found.start()
            yield _Task(buf[begin : hit + 1], line, before, BATCH, False,
                        plan.source, dialect, options)  # fmt: skip
            line += buf.count(b"\n", begin, hit + 1)
            before, count, begin = before + BATCH, 1, hit + 1
            pos = hit + skip
        yield _Task(buf[begin:], line, before, count, True, plan.source, dialect, options)


@collector_paused()  # records and entries are trees; collections in the worker find nothing
def _convert(task: _Task) -> _Done:
    """Worker: read, check, normalise and write one slice (``proven=False``: it cannot)."""
    from citekit.readers import add_item
    from citekit.readers._csljson_fast import array_items
    from citekit.readers.csljson import MAX_DEPTH, _check_item, _decode, _Lines
    from citekit.writers._bib import write_bib
    from citekit.writers._bib_stream import needs_new_key, outside_parents

    unproven = _Done(False, task.before)
    try:
        text = task.data.decode("utf-8")
    except UnicodeDecodeError:
        return unproven
    body = text.rstrip(" \t\r\n")
    if "\x00" in text or not body.endswith("]" if task.last else ","):
        return unproven
    # The slice's items as a document of their own: "[" and "\n" before them (so the first
    # starts its line as in the file), offsets 2 more than in the slice.
    positioned = array_items("[\n" + body[:-1] + "\n]", 0, _decode, MAX_DEPTH)
    if positioned is None or len(positioned) != task.count:
        return unproven
    source = task.source
    reader = Diagnostics()
    lines = _Lines(text)
    shift = task.first_line - 1
    library = Library()
    for number, (item, pos, duplicates, deep) in enumerate(positioned, start=task.before + 1):
        line, column = lines.line_col(int(pos or 0) - 2)
        line += shift
        if duplicates or deep:  # as csljson._read does after its fast path (no surrogates)
            item = _check_item(
                item, duplicates, number, reader, deep=deep, surrogates=False,
                source=source, line=line, column=column,
            )  # fmt: skip
        add_item(library, item, number, reader, source=source, line=line, column=column,
                 owned=True)  # fmt: skip
    if len(library.records) != task.count:  # pragma: no cover - items are objects here
        return unproven
    done = _Done(True, task.before, read=reader.items)
    texts: list[str] = []
    for start in range(0, task.count, BATCH):
        batch = Library(
            library.records[start : start + BATCH],
            locations=library.locations[start : start + BATCH],
        )
        written = Diagnostics()
        elsewhere = outside_parents(batch.records)
        done.parents.update(elsewhere)
        texts.append(
            write_bib(batch, dialect=task.dialect, diagnostics=written, jobs=1,
                      _parents_elsewhere=elsewhere, **task.options)
        )  # fmt: skip
        done.written.append(written.items)
    done.text = "\n".join(texts)
    done.ids = [str(record.get("id", "")) for record in library.records]
    done.new_keys = any(needs_new_key(record_id) for record_id in done.ids)
    done.places = [
        (where.line, where.column) if where else (None, None) for where in library.locations
    ]
    return done


def pieces(
    plan: Plan,
    *,
    dialect: str,
    options: dict[str, Any],
    diagnostics: Diagnostics,
    counted: list[int],
) -> Iterator[str]:
    """The ``.bib`` text of ``plan.source`` in pieces; the diagnostics go in at the end.

    Args:
        plan: From :func:`plan`.
        dialect: ``bibtex`` or ``biblatex``.
        options: The writer options (``profile``, ``ascii``, ``carry_csl``).
        diagnostics: Receives every diagnostic, in the serial path's order, after the last
            piece (strict mode raises there: the atomic output is then not written).
        counted: Receives the number of records written (appended).
    """
    options = {name: value for name, value in options.items() if name != "jobs"}
    # Imported once here rather than in every forked worker (measured at 10k: 0.05 s more
    # CPU here, 0.11 s less in the two workers); the writer came with this module's import
    # of citekit.writers._bib_stream.
    import citekit.readers.csljson  # noqa: F401

    ids = IdChecker(Diagnostics())
    read: list[Diagnostic] = []
    written: list[list[Diagnostic]] = []
    records = 0
    started = False
    fallback = False
    pending: set[str] = set()
    results = ordered_map(_convert, _slices(plan, dialect, options), jobs=plan.jobs)
    try:
        for done in results:
            if not done.proven:
                fallback = True
                break
            read.extend(done.read)
            written.extend(done.written)
            ids.check_many(plan.source, done.ids, done.places)
            if done.new_keys:
                raise StreamMismatch("an id needs another key")
            pending.update(done.parents)
            records += len(done.ids)
            yield ("\n" if started else "") + done.text
            started = True
    finally:
        results.close()  # type: ignore[attr-defined]
    if fallback:
        read = []
        total: list[int] = []
        for text in _rest(
            plan.source, records, dialect, options, ids, read, written, total, plan.jobs, pending
        ):
            yield ("\n" if started else "") + text
            started = True
        records = total[0]
    if any(parent not in ids.ids for parent in pending):
        raise StreamMismatch("a record names a parent that is not in the file")
    counted.append(records)
    _report(diagnostics, read, written, ids.found, records, plan)


def _rest(
    source: str,
    done: int,
    dialect: str,
    options: dict[str, Any],
    ids: IdChecker,
    read: list[Diagnostic],
    written: list[list[Diagnostic]],
    total: list[int],
    jobs: int,
    pending: set[str],
) -> Iterator[str]:
    """After an unproven slice: the file read whole as the serial path reads it.

    The records before the slice (``done``, a multiple of :data:`BATCH`) are those already
    written, the reader's diagnostics (into ``read``) are the whole read's, and the records
    from the slice on are written in batches here (their text yielded). The number of
    records is appended to ``total``. ``jobs`` processes write them. The parents the
    batches name outside themselves go into ``pending``.
    """
    from pathlib import Path

    from citekit._io import decode_bytes
    from citekit.readers.csljson import read_text
    from citekit.writers._bib_stream import needs_new_key, outside_parents, write_batch

    found = Diagnostics()
    text = decode_bytes(Path(source).read_bytes(), source=source, diagnostics=found)
    library = read_text(text, source=source, diagnostics=found)
    read.extend(found.items)
    records = library.records
    total.append(len(records))
    del text, found

    # Every CSL-JSON record has an id (the reader gives "item-N" otherwise), so the serial
    # writer's batches are plain runs of 500 records and no key is generated. They are
    # written by the streaming writer's own worker function, as on the path before.
    def batches() -> Iterator[tuple[Library, None, str, dict[str, Any], frozenset[str]]]:
        for start in range(done, len(records), BATCH):
            batch = Library(
                records[start : start + BATCH], locations=library.locations[start : start + BATCH]
            )
            batch_ids = [str(record.get("id", "")) for record in batch.records]
            ids.check_many(
                source,
                batch_ids,
                [(w.line, w.column) if w else (None, None) for w in batch.locations],
            )
            if any(needs_new_key(record_id) for record_id in batch_ids):
                raise StreamMismatch("an id needs another key")
            elsewhere = outside_parents(batch.records)
            pending.update(elsewhere)
            yield batch, None, dialect, {**options, "jobs": 1}, elsewhere

    for text, batch_found in ordered_map(write_batch, batches(), jobs=jobs):
        written.append(batch_found)
        yield text


def _report(
    diagnostics: Diagnostics,
    read: list[Diagnostic],
    written: list[list[Diagnostic]],
    duplicates: list[Diagnostic],
    records: int,
    plan: Plan,
) -> None:
    """Hand the diagnostics over in the order of the streaming writer with ``plan.jobs`` workers.

    There, the whole file is read first (reader diagnostics), then batches are written; the
    duplicate-id warnings come when the reader is exhausted, which is when the writer asks
    for batch ``records // 500`` (0-based). With workers, batches are written a few ahead of
    the text, so by then the results of all but the last ``2 * jobs - 1`` batches asked for
    have been reported. In one process every batch before it has been written, unless the
    writer's look-ahead (the first :data:`_PEEK` batches, taken to choose the workers)
    already exhausted the reader: then no batch has.
    """
    diagnostics.extend(read)
    full = records // BATCH
    if plan.jobs > 1:
        before = max(0, full - 2 * plan.jobs + 1)
    else:
        before = 0 if plan.peeked and full < _PEEK else full
    for found in written[:before]:
        diagnostics.extend(found)
    diagnostics.items.extend(duplicates)
    for found in written[before:]:
        diagnostics.extend(found)

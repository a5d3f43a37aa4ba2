"""Parallel streaming ``.bib`` reading: segments parsed, mapped and normalised in worker processes.

The parent reads the file in segments (:mod:`citekit.syntax.segments`) and ships each
segment with the macro table *as of its start* and the crossref/xdata resolutions of its
entries (from the serial pre-pass). The parent evaluates no ``@string`` block itself: a
segment that has some is the last one sent until its worker has returned the table as of
its end (``@string`` blocks are usually all at the top of a file, so this holds back only
the first segments, while the pre-pass keeps the other CPU busy). A worker tokenizes,
maps and normalises the segment exactly as the serial reader does and returns each record
with the diagnostics reported up to it; the parent replays them in order, so records,
locations and diagnostics (and strict mode's first error) are those of the serial reader.
See :mod:`citekit._parallel`.

With ``serialise`` (a picklable function, e.g. a writer's one-record serialiser) the workers
also turn each record into its output text, and only ``(id, text)`` comes back, or, when
the serialiser names the writer's item separator, whole runs of records as one text with
their ids: the parent then does almost nothing per entry (see
:func:`citekit._stream_convert.convert_stream`).
"""

from __future__ import annotations

import importlib
import itertools
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import count
from typing import TYPE_CHECKING

from citekit._gc import collector_paused
from citekit._parallel import ordered_map
from citekit._stream_ids import SerialisedRun
from citekit.errors import Diagnostic, Diagnostics
from citekit.model import BibExtras, Record, SourceLocation
from citekit.readers._bibtex_shared import MacroTable, keep_writable_macros
from citekit.readers.bibtex import _Converter, _one
from citekit.syntax.bibtex import RawEntry, iter_entries_segmented

if TYPE_CHECKING:
    import multiprocessing.connection
    import multiprocessing.process

__all__ = ["Resolution", "iter_parallel"]

Segments = Callable[[], Iterator[tuple[str, int]]]
Serialise = Callable[[Record], str]
Serialised = tuple[str, str]
"""``(record id, the record's output text)``: what comes back instead of a record."""
Resolved = dict[tuple[int, str, int], tuple[dict[str, str], dict[str, str]]]
_STRING_HINT = re.compile(r"^[ \t]*@[ \t]*string[ \t]*[{(]", re.IGNORECASE | re.MULTILINE)
_STRING_NL = re.compile(r"\n[ \t]*@[ \t]*string[ \t]*[{(]", re.IGNORECASE)
_STRING_UTF8 = rb"[ \t]*@[ \t]*(?:[sS]|\xc5\xbf)[tT][rR](?:[iI]|\xc4[\xb0\xb1])[nN][gG][ \t]*[{(]"
_STRING_BYTES = re.compile(_STRING_UTF8)
_STRING_NL_BYTES = re.compile(b"\n" + _STRING_UTF8)
""":data:`_STRING_HINT` for UTF-8 (ignoring case, ``s`` matches ``ſ``, ``i`` ``İ`` and ``ı``)."""
# (``^`` with re.MULTILINE is tried at every character; a leading newline is searched for
# at C speed: the first line is matched on its own.)


@dataclass(slots=True)
class _Task:
    text: str | bytes
    """The segment (as UTF-8 bytes when the parent did not decode it)."""
    first_line: int
    index: int
    source: str
    macros: MacroTable | None
    """The table as of the segment's start; ``None`` when every worker already holds it."""
    table_id: tuple[str, int]
    dialect: str
    sentence_case: bool
    resolved: Resolved | None
    """crossref/xdata resolutions; ``None`` while not known (entries that use them come back
    unconverted and the parent converts them)."""
    extras: bool
    serialise: Serialise | None = None
    next_id: tuple[str, int] | None = None
    """Set when the segment has ``@string`` blocks: the worker returns the table as of the
    segment's end (in :attr:`_Done.table`) and holds it under this id."""


Item = tuple[Record | Serialised | SerialisedRun | RawEntry, int, int, list[Diagnostic]]
"""A record (or its serialised form, or a run of serialised records, or an entry left to
convert), its line and column (of the run's first record), and the diagnostics before it."""


@dataclass(slots=True)
class _Done:
    items: list[Item] = field(default_factory=list)
    tail: list[Diagnostic] = field(default_factory=list)
    extras: BibExtras | None = None
    worker: int = 0
    """The process that parsed the segment, which now holds the task's macro table."""
    missing: bool = False
    """The task came without its macro table and the worker did not hold it (not parsed)."""
    table: MacroTable | None = None
    """The table as of the segment's end, when the task has a ``next_id``."""
    """The task came without its macro table and the worker did not hold it (not parsed)."""


_CONVERTERS: dict[tuple[str, str, bool], _Converter] = {}
_CALLS = count()
_TABLE: list[tuple[tuple[str, int], MacroTable]] = []
"""The last macro table this worker received, with its id (at most one)."""


@collector_paused()  # a segment's records are trees; collections in the worker find nothing
def _parse(task: _Task) -> _Done:
    """Worker: the records of one segment, each with the diagnostics reported before it."""
    sink = Diagnostics()
    key = (task.source, task.dialect, task.sentence_case)
    converter = _CONVERTERS.get(key)
    if converter is None:
        _CONVERTERS.clear()
        converter = _CONVERTERS[key] = _Converter(
            task.source, sink, task.dialect, task.sentence_case
        )
    converter.diagnostics = sink
    done = _Done(extras=BibExtras() if task.extras else None, worker=os.getpid())
    given = task.macros
    if given is not None:
        _TABLE[:] = [(task.table_id, given)]
    elif _TABLE and _TABLE[0][0] == task.table_id:
        given = _TABLE[0][1]
    else:
        done.missing = True
        return done
    table = given.copy()  # the segment's own @string blocks go into the copy
    serialise = task.serialise
    separator: str | None = getattr(serialise, "separator", None)
    items = done.items
    run = _Run(items, task.source, separator) if separator is not None else None
    mark = 0
    text = task.text if isinstance(task.text, str) else task.text.decode()
    for entry in iter_entries_segmented(
        [(text, task.first_line)],
        source=task.source,
        diagnostics=sink,
        extras=done.extras,
        macros=table,
    ):
        keep_writable_macros(entry, table)
        inherited: dict[str, str] = {}
        if task.resolved is None:
            if "crossref" in entry.fields or "xdata" in entry.fields:
                if run is not None:
                    run.close()
                items.append((entry, entry.line, entry.column, sink.items[mark:]))
                mark = len(sink.items)
                continue
        else:
            hit = task.resolved.get((task.index, entry.key, entry.line))
            if hit is not None:
                entry.fields, inherited = hit
        record, _ = _one(converter, entry, inherited, task.source, sink)
        if run is not None:
            assert serialise is not None
            if len(sink.items) > mark:  # diagnostics before it: a run starts with it
                run.close()
                run.found = sink.items[mark:]
                mark = len(sink.items)
            run.add(str(record.get("id", "")), serialise(record), entry.line, entry.column)
            continue
        item = record if serialise is None else (str(record.get("id", "")), serialise(record))
        items.append((item, entry.line, entry.column, sink.items[mark:]))
        mark = len(sink.items)
    if run is not None:
        run.close()
    done.tail = sink.items[mark:]
    if task.next_id is not None:
        done.table = table
        _TABLE[:] = [(task.next_id, table)]
    return done


class _Run:
    """Worker: consecutive serialised records gathered into one :class:`SerialisedRun` item.

    The run's text is encoded here (the parent writes it as it comes, and bytes cost less
    to send than text).

    Only the first record of a run may have diagnostics before it (a record with some
    starts a new run), so the parent reports every diagnostic before the record it
    preceded, as it would one record at a time. A run ends once its texts reach
    :data:`RUN_CHARS`.
    """

    def __init__(self, items: list[Item], source: str, separator: str) -> None:
        self.items = items
        self.length = 0
        self.source = source
        self.separator = separator
        self.ids: list[str] = []
        self.texts: list[str] = []
        self.places: list[int] = []
        self.found: list[Diagnostic] = []

    def add(self, record_id: str, text: str, line: int, column: int) -> None:
        self.ids.append(record_id)
        self.texts.append(text)
        self.places += (line, column)
        self.length += len(text)
        if self.length >= RUN_CHARS:
            self.close()

    def close(self) -> None:
        """Append the run gathered so far (if any) to the items and start a new one."""
        if not self.ids:
            return
        try:
            text = self.separator.join(self.texts).encode()
        except UnicodeEncodeError:  # a lone surrogate: one at a time, for the writer to reject
            found, places = self.found, self.places
            for index, (record_id, item) in enumerate(zip(self.ids, self.texts, strict=True)):
                self.items.append(
                    ((record_id, item), places[2 * index], places[2 * index + 1], found)
                )
                found = []
        else:
            run = SerialisedRun(self.ids, text, self.source, self.places)
            self.items.append((run, self.places[0], self.places[1], self.found))
        self.ids, self.texts, self.places, self.found = [], [], [], []
        self.length = 0


RUN_CHARS = 1 << 15
"""Characters of output text in one run at most (about, plus one record). Longer texts in
the parent (~300 KB for a whole segment) raised glibc's mmap threshold and its peak memory
by 10 MB on full.bib; with 32 K-character runs it stays as it was."""


def _subset(
    resolved: Resolved | None, index: int, first_line: int, text: str | bytes
) -> Resolved | None:
    if resolved is None:
        return None
    if not resolved:
        return {}
    last = first_line + (text.count("\n") if isinstance(text, str) else text.count(b"\n")) + 1
    return {k: v for k, v in resolved.items() if k[0] == index and first_line < k[2] <= last}


def _warm() -> None:
    """Load in this process what every worker would otherwise load on its first entries.

    The converter imports pybtex (unusual names) and pylatexenc (LaTeX beyond the fast
    decoder) and builds pylatexenc's macro databases on first use: done once here, before
    the workers are forked, they inherit it instead of each paying it again (measured:
    ~25 ms of CPU per worker; the serial reader pays it once too).
    """
    from citekit.syntax import latex_to_unicode

    for name in ("pybtex.errors", "pybtex.database", "pybtex.bibtex.utils"):
        importlib.import_module(name)
    latex_to_unicode._load_pylatexenc()


def iter_parallel(
    open_segments: Segments,
    *,
    index: int,
    source: str,
    macros: MacroTable,
    resolved: Resolution,
    converter: _Converter,
    diagnostics: Diagnostics,
    extras: BibExtras | None,
    jobs: int,
    serialise: Serialise | None = None,
) -> Iterator[tuple[int, Record | Serialised | SerialisedRun, SourceLocation]]:
    """The records of one file, parsed by ``jobs`` processes, as the serial loop yields them.

    ``macros`` is the table as of the file's start and is left as of its end. With
    ``serialise``, ``(id, serialise(record))`` is yielded instead of each record; when
    ``serialise`` has a ``separator`` (an :class:`~citekit._stream_csljson.ItemSerialiser`),
    runs of consecutive records come as one :class:`~citekit._stream_ids.SerialisedRun`
    (located at its first record; every diagnostic is still reported before the record it
    preceded).
    ``resolved`` may still be computing in another process: segments are parsed meanwhile
    (at most :data:`WAIT_AHEAD` of them held), and nothing is reported before it is known.
    """
    _warm()
    token = f"{os.getpid()}.{next(_CALLS)}"
    version = 0
    snapshot = macros.copy()
    holders: dict[int, tuple[str, int]] = {}  # worker process -> id of the table it holds
    sent: deque[_Task] = deque()  # the tasks in flight with their tables (not their texts)
    tables: dict[tuple[str, int], MacroTable] = {}  # tables returned, not yet taken
    # The pieces undecoded when the file offers them (the workers decode them).
    pieces: Callable[[], Iterator[tuple[str | bytes, int]]] = getattr(
        open_segments, "encoded", open_segments
    )

    def tasks() -> Iterator[_Task]:
        nonlocal version, snapshot
        for text, first_line in pieces():
            strings = _has_strings(text)
            task = _Task(
                text, first_line, index, source, snapshot, (token, version), converter.dialect,
                converter.sentence_case, _subset(resolved.known, index, first_line, text),
                extras is not None, serialise, (token, version + 1) if strings else None,
            )  # fmt: skip
            sent.append(replace(task, text=""))
            # The table travels until every worker has said it holds it (usually it changes
            # in the first segments only: pickling it for every segment cost the parent
            # 0.2 s for full.bib's 8,189 macros).
            yield replace(task, macros=None) if _held(holders, jobs, task.table_id) else task
            if strings:  # ordered_map has passed this task's result on: its table is kept
                version += 1
                snapshot = tables.pop((token, version))
        _assign(macros, snapshot)

    def results() -> Iterator[_Done]:
        barrier: Callable[[_Task], bool] = _wants_table
        for done in ordered_map(_parse, tasks(), jobs=jobs, barrier=barrier):
            task = sent.popleft()
            if done.missing:  # a worker that did not hold the table (kept safe; not expected)
                text = next(t for t, line in pieces() if line == task.first_line)
                done = _parse(replace(task, text=text))
            else:
                holders[done.worker] = task.next_id or task.table_id
            if task.next_id is not None:
                assert done.table is not None
                tables[task.next_id] = done.table
                done.table = None
            yield done

    done_ones = results()
    held: list[_Done] = []
    if resolved.known is None:  # parse ahead while crossref/xdata are resolved elsewhere
        for done in done_ones:
            held.append(done)
            if len(held) >= WAIT_AHEAD or resolved.ready():
                break
    known = resolved.wait(diagnostics)  # its diagnostics come first, as on the serial path
    for done in itertools.chain(held, done_ones):
        for item, line, column, found in done.items:
            if found:
                diagnostics.extend(found)
            if isinstance(item, RawEntry):  # parsed before the resolutions were known
                item = _convert(item, known, index, source, converter, diagnostics, serialise)
            yield index, item, SourceLocation(source, line, column)
        diagnostics.extend(done.tail)
        if extras is not None and done.extras is not None:
            for name, raw in done.extras.strings.items():
                extras.strings.setdefault(name, raw)
            extras.preambles.extend(done.extras.preambles)
            extras.comments.extend(done.extras.comments)
        del done


def _has_strings(text: str | bytes) -> bool:
    """Whether a line of ``text`` (or of its UTF-8 bytes) starts a ``@string`` block."""
    if isinstance(text, bytes):
        return _STRING_BYTES.match(text) is not None or _STRING_NL_BYTES.search(text) is not None
    return _STRING_HINT.match(text) is not None or _STRING_NL.search(text) is not None


def _wants_table(task: _Task) -> bool:
    return task.next_id is not None


def _assign(table: MacroTable, values: MacroTable) -> None:
    """Make ``table`` hold what ``values`` holds (values and first values)."""
    dict.clear(table)
    dict.update(table, values)
    table.first = dict(values.first)


def _held(holders: dict[int, tuple[str, int]], jobs: int, table_id: tuple[str, int]) -> bool:
    """Whether every worker has said it holds the table ``table_id``."""
    return len(holders) >= jobs and all(held == table_id for held in holders.values())


def _convert(
    entry: RawEntry,
    resolved: Resolved,
    index: int,
    source: str,
    converter: _Converter,
    diagnostics: Diagnostics,
    serialise: Serialise | None,
) -> Record | Serialised:
    """What the worker would have made of ``entry`` had the resolutions been known."""
    inherited: dict[str, str] = {}
    hit = resolved.get((index, entry.key, entry.line))
    if hit is not None:
        entry.fields, inherited = hit
    record, _ = _one(converter, entry, inherited, source, diagnostics)
    return record if serialise is None else (str(record.get("id", "")), serialise(record))


WAIT_AHEAD = 6
"""Segments parsed and held at most while the crossref/xdata resolutions are computed (each
~256 KB of input; the resolutions take about as long as 8 segments of full.bib, but every
segment held adds to the peak memory)."""


class Resolution:
    """The crossref/xdata resolutions of a read: known, or being computed in a child process.

    ``compute()`` returns the resolutions and the diagnostics reported while finding them.
    With ``background``, it runs in a forked process (the parent reads and parses
    meanwhile); if that process fails, :meth:`wait` computes them here.
    """

    def __init__(
        self,
        compute: Callable[[], tuple[Resolved, list[Diagnostic]]],
        *,
        background: bool,
    ) -> None:
        self.known: Resolved | None = None
        self._compute = compute
        self._process: multiprocessing.process.BaseProcess | None = None
        self._found: list[Diagnostic] = []
        if not background:
            self.known, self._found = compute()
            return
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_send_result, args=(compute, send), daemon=True)
        self._process.start()
        send.close()

    def ready(self) -> bool:
        """Whether :meth:`wait` would not block."""
        return self.known is not None or self._receive.poll()

    def wait(self, diagnostics: Diagnostics) -> Resolved:
        """The resolutions; the first call reports their diagnostics into ``diagnostics``."""
        if self.known is None:
            try:
                ok, value = self._receive.recv()
            except (EOFError, OSError):
                ok, value = False, None
            self.close()
            self.known, self._found = value if ok else self._compute()
        found, self._found = self._found, []
        diagnostics.extend(found)
        return self.known

    def close(self) -> None:
        """End the child process if it still runs."""
        process, self._process = self._process, None
        if process is not None:
            self._receive.close()
            if process.is_alive():
                process.terminate()
            process.join()


def _send_result(
    compute: Callable[[], tuple[Resolved, list[Diagnostic]]],
    send: multiprocessing.connection.Connection,
) -> None:
    result: tuple[bool, object]
    try:
        result = (True, compute())
    except BaseException:  # the parent computes it again and sees the error
        result = (False, None)
    send.send(result)
    send.close()

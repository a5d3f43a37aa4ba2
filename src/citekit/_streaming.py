"""Streaming conversion: records flow from reader to writer without a whole Library in memory.

``citekit convert big.bib -t csl-json -o out.json`` holds a few hundred kilobytes of input and
one batch of records at a time, so its memory stays flat as the input grows; the output is
byte-identical to the Library path (:func:`citekit.api.convert`). Example::

    from citekit.api import convert_stream, iter_read, write_stream

    result = convert_stream("big.bib", "big.json", to_format="csl-json")
    print(result.count, [str(d) for d in result.diagnostics])

    records = (r for r in iter_read("big.bib") if r.get("type") == "book")
    write_stream(records, "books.bib", format="bibtex")

Module protocol (both optional; without them the whole input is read, or the whole output
built, as on the Library path):

* reader: ``iter_segments(open_segments, *, source, diagnostics, **options)`` takes a
  function returning a fresh iterator of ``(text, first_line)`` pieces that end between
  blocks (see :mod:`citekit.syntax.segments`; it may read the file more than once) and
  yields ``(record, SourceLocation | None)``;
* writer: ``iter_write(items, *, diagnostics, **options)`` takes an iterable of
  ``(record, SourceLocation | None)`` and yields text pieces whose concatenation is what
  ``write_text`` would return.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from citekit._io import decode_bytes, write_output
from citekit._stream_csljson import chunked
from citekit._stream_ids import IdChecker as _IdChecker
from citekit._stream_ids import SerialisedRun
from citekit.errors import Diagnostic, Diagnostics, Severity, UnknownFormatError
from citekit.model import Library, Record, SourceLocation
from citekit.registry import Format, detect_format, get_format, load_reader, load_writer

__all__ = [
    "Item",
    "PathLike",
    "StreamResult",
    "iter_located",
    "iter_read",
    "iter_read_located",
    "output_format",
    "write_stream",
    "writer_pieces",
]

PathLike = str | os.PathLike[str]
Located = tuple[Record, SourceLocation | None]
Item = tuple[Record | tuple[str, str] | SerialisedRun, SourceLocation | None]
"""A record, or one serialised by a reader's worker (``(id, text)``), or a run of those."""
_SNIFF_BYTES = 4096
_T = TypeVar("_T")


@dataclass(slots=True)
class StreamResult:
    """What a streaming conversion did: how many records, and every diagnostic."""

    count: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        """Diagnostics of error severity."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


def _module_function(module_name: str | None, name: str) -> Callable[..., Any] | None:
    if module_name is None:
        return None
    function: Callable[..., Any] | None = getattr(importlib.import_module(module_name), name, None)
    return function


def iter_read_located(
    path: PathLike | Iterable[PathLike],
    *,
    format: str | None = None,
    diagnostics: Diagnostics | None = None,
    _checker: _IdChecker | None = None,
    strings: Iterable[PathLike] = (),
    jobs: int | None = None,
    **options: Any,
) -> Iterator[Located]:
    """Like :func:`iter_read`, yielding ``(record, SourceLocation | None)`` pairs."""
    items = iter_located(path, format, diagnostics, _checker, strings, jobs, None, options)
    return items  # type: ignore[return-value]  # records only: no serialiser


def iter_located(
    path: PathLike | Iterable[PathLike],
    format: str | None,
    diagnostics: Diagnostics | None,
    checker: _IdChecker | None,
    strings: Iterable[PathLike],
    jobs: int | None,
    serialise: Callable[[Record], str] | None,
    options: dict[str, Any],
) -> Iterator[Item]:
    """The records of ``path`` with their locations (the work of :func:`iter_read_located`).

    With ``serialise``, streamed ``.bib`` records may come as ``(id, serialise(record))``
    pairs, made in the reader's worker processes.
    """
    paths = [path] if isinstance(path, (str, os.PathLike)) else list(path)
    sink = diagnostics if diagnostics is not None else Diagnostics()
    own = checker is None
    checker = checker if checker is not None else _IdChecker(sink)
    # jobs, the serialiser, and the macro table once a .bib input comes
    shared: dict[str, Any] = {"jobs": jobs, "serialise": serialise}
    strings = list(strings)
    if strings:
        from citekit._multiread import load_strings

        shared["macros"], _ = load_strings(strings, diagnostics=sink)
    check = checker.check
    for record, where in _iter_inputs(paths, format, sink, options, shared):
        if isinstance(record, SerialisedRun):  # records serialised by the workers, joined
            checker.check_run(record.source, record.ids, record.places)
        else:
            check(record, where)
        yield record, where
    if own:
        checker.finish()


def _open_input(path: PathLike, format: str | None) -> tuple[Format | None, bool]:
    """(format, whether it can be read in segments); ``None`` for standard input."""
    from citekit.syntax.segments import is_plain_utf8

    source = os.fspath(path)
    if source == "-":
        return None, False
    with open(source, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)
        handle.seek(0)
        fmt = (
            get_format(format) if format else detect_format(source, head.decode("utf-8", "replace"))
        )
        streamable = _module_function(fmt.reader, "iter_segments_many") is not None and (
            is_plain_utf8(handle)
        )
    return fmt, streamable


def _shares_macros(fmt: Format) -> bool:
    return _module_function(fmt.reader, "read_texts") is not None


def _iter_inputs(
    paths: list[PathLike],
    format: str | None,
    sink: Diagnostics,
    options: dict[str, Any],
    shared: dict[str, Any],
) -> Iterator[Item]:
    r"""The records of ``paths`` in order; the ``.bib`` inputs are one BibTeX database.

    ``@string`` macros carry across every ``.bib`` input (as in BibTeX's ``\bibdata``),
    and crossref/xdata parents are found across a run of consecutive ``.bib`` inputs.
    """
    run: list[tuple[str, Format]] = []
    for path in paths:
        fmt, streamable = _open_input(path, format)
        if run and (not streamable or fmt != run[0][1]):
            yield from _iter_run(run, sink, options, shared)
            run = []
        if streamable and fmt is not None:
            run.append((os.fspath(path), fmt))
            continue
        yield from _iter_whole(path, format, sink, options, shared)
    if run:
        yield from _iter_run(run, sink, options, shared)


def _macros(shared: dict[str, Any]) -> Any:
    if "macros" not in shared:
        from citekit.readers._bibtex_shared import MacroTable

        shared["macros"] = MacroTable()
    return shared["macros"]


def _iter_whole(
    path: PathLike,
    format: str | None,
    sink: Diagnostics,
    options: dict[str, Any],
    shared: dict[str, Any],
) -> Iterator[Located]:
    source = os.fspath(path)
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    text = decode_bytes(data, source=source, diagnostics=sink)
    fmt = get_format(format) if format else detect_format(source, text)
    extra = {"macros": _macros(shared)} if _shares_macros(fmt) else {}
    library: Library = load_reader(fmt)(text, source=source, diagnostics=sink, **extra, **options)
    yield from zip(library.records, library.locations, strict=True)


def _iter_run(
    run: list[tuple[str, Format]],
    sink: Diagnostics,
    options: dict[str, Any],
    shared: dict[str, Any],
) -> Iterator[Item]:
    from citekit.syntax.segments import iter_segments, with_encoded

    fmt = run[0][1]
    reader = _module_function(fmt.reader, "iter_segments_many")
    assert reader is not None

    def opener(source: str) -> Callable[[], Iterator[tuple[str, int]]]:
        def open_segments() -> Iterator[tuple[str, int]]:
            with open(source, "rb") as handle:
                yield from iter_segments(handle)

        return with_encoded(open_segments, source)

    parts = [(opener(source), source) for source, _ in run]
    threshold = getattr(importlib.import_module(str(fmt.reader)), "PARALLEL_MIN_BYTES", None)
    jobs = 1
    if threshold is not None:
        from citekit._parallel import choose_jobs

        size = sum(os.path.getsize(source) for source, _ in run)
        jobs = choose_jobs(shared["jobs"], size=size, threshold=threshold)
    extra: dict[str, Any] = {"jobs": jobs} if jobs > 1 else {}
    if shared.get("serialise") is not None:
        extra["serialise"] = shared["serialise"]
    for _, record, where in reader(
        parts,
        diagnostics=sink,
        macros=_macros(shared),
        **extra,
        **{**fmt.reader_options, **options},
    ):
        yield record, where


def iter_read(
    path: PathLike | Iterable[PathLike],
    *,
    format: str | None = None,
    diagnostics: Diagnostics | None = None,
    strings: Iterable[PathLike] = (),
    jobs: int | None = None,
    **options: Any,
) -> Iterator[Record]:
    """Yield the records of a bibliography file (or several) one by one, in input order.

    A ``.bib`` file (UTF-8) is read in segments of a few hundred kilobytes, so memory does not
    grow with the file; other inputs are read whole first. Several ``.bib`` files are read
    as one BibTeX database: ``@string`` macros carry from file to file and crossref parents
    may be in any of them. Records are exactly those of
    :func:`citekit.api.read`; the diagnostics (including duplicate-id warnings) go to
    ``diagnostics`` as they are found.

    Args:
        path: The file (``"-"`` for standard input, read whole), or several files.
        format: Input format; from the suffix when omitted.
        diagnostics: Collector for what the reader reports (pass ``Diagnostics(strict=True)``
            to stop at the first error).
        strings: ``.bib`` files whose ``@string`` macros are defined first (their entries are
            not read).
        jobs: Processes that parse a large ``.bib`` input (``1``: this process only; ``None``:
            the idle CPUs for inputs of 2 MB or more). Records, locations and diagnostics are the
            same either way.
        **options: Reader options (see each reader).
    """
    for record, _ in iter_read_located(
        path, format=format, diagnostics=diagnostics, strings=strings, jobs=jobs, **options
    ):
        yield record


def writer_pieces(
    fmt: Format, items: Iterable[Located], sink: Diagnostics, options: dict[str, Any]
) -> Iterator[str]:
    writer = _module_function(fmt.writer, "iter_write")
    if writer is not None:
        yield from writer(items, diagnostics=sink, **{**fmt.writer_options, **options})
        return
    library = Library()
    for record, where in items:
        library.add(record, where)
    yield load_writer(fmt)(library, diagnostics=sink, **options)


def write_stream(
    records: Iterable[Record],
    path: PathLike,
    *,
    format: str | None = None,
    diagnostics: Diagnostics | None = None,
    **options: Any,
) -> int:
    """Write records from any iterable to ``path`` as they come; return how many.

    The output is what :func:`citekit.api.write` writes for a Library of the same records,
    written atomically (``"-"``: standard output). CSL-JSON and BibTeX/BibLaTeX are written
    incrementally; other formats collect the records first.

    Args:
        records: The records (a generator is fine, e.g. :func:`iter_read`).
        path: Output file; the format comes from its suffix unless ``format`` is given.
        format: Output format.
        diagnostics: Collector for what the writer reports.
        **options: Writer options (see each writer).
    """
    target = os.fspath(path)
    fmt = output_format(format, target)
    sink = diagnostics if diagnostics is not None else Diagnostics()
    counter = _Counter()
    items = counter.wrap((record, None) for record in records)
    write_output(target, chunked(writer_pieces(fmt, items, sink, options)))
    return counter.count


class _Counter:
    def __init__(self) -> None:
        self.count = 0

    def wrap(self, items: Iterable[_T]) -> Iterator[_T]:
        for item in items:
            self.count += 1
            yield item


def output_format(format: str | None, target: str | None) -> Format:
    """The format ``format`` names, else the one ``target``'s suffix implies."""
    if format is not None:
        return get_format(format)
    if target is None or target == "-":
        raise UnknownFormatError("(no output format given)")
    return detect_format(target)

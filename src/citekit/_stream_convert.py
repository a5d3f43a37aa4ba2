"""Streaming conversion (``citekit convert``): reader to writer, a batch at a time.

:func:`convert_stream` chooses the way: CSL-JSON → ``.bib`` a slice at a time
(:mod:`citekit._stream_tobib`), or the records of :mod:`citekit._streaming`'s readers through
the writer's ``iter_write``. Its output bytes are those of :func:`citekit.api.convert`. A
``.bib`` writer's batches cannot always give them (an entry's key and inherited fields depend
on other entries, see :mod:`citekit.writers._bib_stream`): then the stream raises
:class:`~citekit.writers._bib_stream.StreamMismatch` before anything reaches the target, and
the whole library is read and written instead.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from citekit._io import write_output, write_output_bytes
from citekit._stream_csljson import chunked, csl_json_serialiser, encoded_pieces
from citekit._stream_ids import IdChecker, SerialisedRun
from citekit._streaming import (
    Item,
    PathLike,
    StreamResult,
    iter_located,
    output_format,
    writer_pieces,
)
from citekit.errors import Diagnostics
from citekit.registry import Format, load_writer

__all__ = ["convert_stream"]


@dataclass(frozen=True, slots=True)
class _Job:
    """One conversion's inputs and options, as :func:`convert_stream` was given them."""

    paths: list[PathLike]
    fmt: Format
    from_format: str | None
    strict: bool
    read_options: dict[str, Any]
    options: dict[str, Any]
    strings: list[PathLike]
    jobs: int | None


def convert_stream(
    inputs: PathLike | Iterable[PathLike],
    output: PathLike,
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    strict: bool = False,
    read_options: dict[str, Any] | None = None,
    write_options: dict[str, Any] | None = None,
    strings: Iterable[PathLike] = (),
    jobs: int | None = None,
) -> StreamResult:
    """Convert like :func:`citekit.api.convert`, streaming records from reader to writer.

    The output bytes are those of :func:`citekit.api.convert`; diagnostics come in the same
    order except that duplicate ids across inputs are reported per input. Options that need
    the whole library first (``keep_macros``, ``key_pattern``) make the BibTeX writer
    collect the records, and so does a ``.bib`` output whose batches cannot give the
    whole-library text (an id that needs another key, a ``crossref`` parent missing from the
    input: see :mod:`citekit.writers._bib_stream`); such output to standard output goes
    through a temporary file.

    Several ``.bib`` inputs are one BibTeX database (shared ``@string`` macros, crossref
    across files); ``strings`` names ``.bib`` files whose macros are defined first. ``jobs``
    is as for :func:`citekit._streaming.iter_read`.

    Returns:
        How many records were written and every diagnostic.

    Raises:
        StrictModeError: ``strict`` is set and an input has an error (the output is then
            left untouched).
    """
    target = os.fspath(output)
    job = _Job(
        paths=[inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs),
        fmt=output_format(to_format, target),
        from_format=from_format,
        strict=strict,
        read_options=dict(read_options or {}),
        options=dict(write_options or {}),
        strings=list(strings),
        jobs=jobs,
    )
    writer = job.fmt.writer
    exact = bool(writer) and getattr(importlib.import_module(str(writer)), "EXACT_STREAM", False)
    if not exact:
        return _convert_streamed(job, target, exact=False)
    from citekit.writers._bib_stream import StreamMismatch

    try:
        with _spooled(target) as out:
            return _convert_streamed(job, out, exact=True)
    except StreamMismatch:
        # Batches cannot give what the whole library gives here (an id that needs another
        # key, a crossref parent not in the input): write the whole library, as
        # citekit.api.convert does. Nothing was written to the target yet.
        return _convert_whole(job, target)


def _fused(job: _Job) -> Any:
    """The :mod:`citekit._stream_tobib` plan for this conversion, or ``None``.

    One CSL-JSON file to BibTeX/BibLaTeX. (Standard output in strict mode needs no exception
    any more: ``.bib`` output to it is spooled, so an error stops it before anything is
    written, on this path as on the serial one.)
    """
    if len(job.paths) != 1 or job.fmt.name not in ("bibtex", "biblatex") or job.read_options:
        return None
    if job.strings:
        return None
    from citekit._stream_tobib import plan

    writer = {**job.fmt.writer_options, **job.options}
    return plan(
        os.fspath(job.paths[0]),
        from_format=job.from_format,
        options=writer,
        jobs=job.options.get("jobs"),
    )


def _convert_streamed(job: _Job, target: str, *, exact: bool) -> StreamResult:
    """The streamed conversion of ``job`` into ``target``."""
    fmt, options = job.fmt, job.options
    sink = Diagnostics(strict=job.strict)
    fused = _fused(job)
    if fused is not None:  # CSL-JSON → .bib a slice at a time (_stream_tobib)
        from citekit._stream_tobib import pieces as fused_pieces

        counted: list[int] = []
        writer = {**fmt.writer_options, **options}
        tobib = fused_pieces(
            fused, dialect=fmt.name, options=writer, diagnostics=sink, counted=counted
        )
        write_output(target, chunked(tobib))
        return StreamResult(counted[0], sink.items)
    checker = IdChecker(sink)
    count = 0
    serialise = csl_json_serialiser(fmt.name, {**fmt.writer_options, **options})

    def chained() -> Iterator[Item]:
        nonlocal count
        for item in iter_located(
            job.paths, job.from_format, sink, checker, job.strings, job.jobs, serialise,
            dict(job.read_options),
        ):  # fmt: skip
            record = item[0]
            count += len(record.ids) if isinstance(record, SerialisedRun) else 1
            yield item
        checker.finish()

    if serialise is not None and not exact:  # CSL-JSON: the workers' runs written as they come
        write_output_bytes(target, encoded_pieces(chained(), serialise))
    else:
        extra = {"exact": checker.ids} if exact else {}
        pieces = writer_pieces(fmt, chained(), sink, {**options, **extra})  # type: ignore[arg-type]
        write_output(target, chunked(pieces))
    return StreamResult(count, sink.items)


def _convert_whole(job: _Job, target: str) -> StreamResult:
    """The Library path (:func:`citekit.api.convert`), reading every input whole."""
    from citekit._multiread import read_one, read_paths

    read, strict = job.read_options, job.strict
    if len(job.paths) == 1 and not job.strings:
        library = read_one(job.paths[0], format=job.from_format, strict=strict, **read)
    else:
        library = read_paths(
            job.paths, format=job.from_format, strict=strict, strings=job.strings, **read
        )
    sink = Diagnostics(items=library.diagnostics, strict=strict)
    text = load_writer(job.fmt)(library, diagnostics=sink, **job.options)
    write_output(target, (text,))
    return StreamResult(len(library.records), sink.items)


@contextlib.contextmanager
def _spooled(target: str) -> Iterator[str]:
    """``target``; for standard output, a temporary file copied there at the end.

    So that a stream which turns out to need the whole library
    (:class:`~citekit.writers._bib_stream.StreamMismatch`) has not written anything yet. The
    output goes through the disk, not memory.
    """
    if target != "-":
        yield target
        return
    directory = tempfile.mkdtemp(prefix="citekit-")
    spool = os.path.join(directory, "out")
    try:
        yield spool
        if os.path.exists(spool):
            with open(spool, encoding="utf-8", newline="") as handle:
                while block := handle.read(1 << 16):
                    sys.stdout.write(block)
            sys.stdout.flush()
    finally:
        shutil.rmtree(directory, ignore_errors=True)

r"""Reading several inputs as one database: ``@string`` macros and crossref shared across files.

BibTeX reads the files of ``\bibdata{abbrev,refs}`` in order into one database (biber does
the same with its data sources): a macro of ``abbrev.bib`` is visible in ``refs.bib``, a
later ``@string`` redefinition wins for the entries after it, and a ``crossref`` parent may
live in any file. :func:`read_paths` does that for :func:`citekit.api.read_many` (and so for
``convert``, ``check``, ``format`` and ``aux``); ``strings`` preloads macros from files whose
entries are not wanted (``citekit.read("refs.bib", strings=["abbrev.bib"])``). Inputs of other
formats are read on their own; the records keep input order.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from citekit._gc import collector_paused
from citekit._io import decode_bytes
from citekit.errors import Diagnostics
from citekit.model import BibExtras, Library
from citekit.registry import Format, detect_format, get_format, load_reader

__all__ = ["load_strings", "read_one", "read_paths", "read_segmented"]

PathLike = str | os.PathLike[str]
_DUPLICATES = ("library.duplicate-id", "library.id-case-collision")


def _read_source(path: PathLike, format: str | None, sink: Diagnostics) -> tuple[str, str, Format]:
    source = os.fspath(path)
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    text = decode_bytes(data, source=source, diagnostics=sink)
    fmt = get_format(format) if format is not None else detect_format(source, text)
    return source, text, fmt


def read_one(path: PathLike, *, format: str | None, strict: bool, **options: Any) -> Library:
    """Read one file whole in this process (:func:`citekit.api.read` with ``jobs=1``)."""
    diagnostics = Diagnostics(strict=strict)
    source, text, fmt = _read_source(path, format, diagnostics)
    library: Library = load_reader(fmt)(text, source=source, diagnostics=diagnostics, **options)
    library.check_ids(diagnostics)
    library.diagnostics = diagnostics.items
    return library


def _shared_reader(fmt: Format) -> Callable[..., list[Library]] | None:
    """The reader's ``read_texts`` (several texts as one database), if it has one."""
    if fmt.reader is None:
        return None
    function: Callable[..., list[Library]] | None = getattr(
        importlib.import_module(fmt.reader), "read_texts", None
    )
    return function


def load_strings(
    paths: Iterable[PathLike], *, diagnostics: Diagnostics, macros: Any = None
) -> tuple[Any, BibExtras]:
    """The ``@string`` macros of ``paths`` (read in order; their entries are ignored).

    Diagnostics about the ``@string`` blocks themselves (a bad value, an undefined macro
    inside one) are reported; the files' entries are not read further.

    Returns:
        The macro table (a :class:`citekit.readers._bibtex_shared.MacroTable`, ``macros``
        updated when given) and the definitions as written, for ``--keep-macros`` output.
    """
    from citekit.readers._bibtex_shared import MacroTable
    from citekit.syntax.bibtex import iter_entries

    table = macros if macros is not None else MacroTable()
    extras = BibExtras()
    for path in paths:
        source, text, _ = _read_source(path, "bibtex", diagnostics)
        own = Diagnostics()
        names = BibExtras()
        for _ in iter_entries(text, source=source, diagnostics=own, extras=names, macros=table):
            pass
        folded = {name.lower() for name in names.strings}
        diagnostics.items.extend(
            d for d in own.items if d.key is not None and d.key.lower() in folded
        )
        for name, raw in names.strings.items():
            extras.strings.setdefault(name, raw)
    return table, extras


def read_paths(
    paths: Iterable[PathLike],
    *,
    format: str | None = None,
    strict: bool = False,
    strings: Iterable[PathLike] = (),
    progress: Callable[[str], None] | None = None,
    **options: Any,
) -> Library:
    """Read ``paths`` into one library, ``.bib`` files as one BibTeX database.

    Args:
        paths: Input files in order (``"-"``: standard input).
        format: Input format of every file (default: from each suffix or text).
        strict: Raise at the first error diagnostic.
        strings: ``.bib`` files whose ``@string`` macros are defined before the first input
            (their entries are not read).
        progress: Called with each file name once it is read.
        **options: Reader options.

    Returns:
        The records in input order with every diagnostic; duplicate ids across files are
        reported once, at the end.
    """
    from citekit.readers._bibtex_shared import MacroTable

    sink = Diagnostics(strict=strict)
    table, preloaded = load_strings(strings, diagnostics=sink, macros=MacroTable())
    loaded = [_read_source(path, format, sink) for path in paths]
    parts: list[Library | None] = [None] * len(loaded)
    groups: dict[tuple[str, tuple[tuple[str, Any], ...]], list[int]] = {}
    for index, (_, _, fmt) in enumerate(loaded):
        if _shared_reader(fmt) is not None:
            key = (str(fmt.reader), tuple(sorted(fmt.reader_options.items())))
            groups.setdefault(key, []).append(index)
    for indices in groups.values():
        fmt = loaded[indices[0]][2]
        read_texts = _shared_reader(fmt)
        assert read_texts is not None

        def texts(indices: list[int] = indices) -> Iterator[tuple[str, str]]:
            for index in indices:
                source, text, _ = loaded[index]
                yield text, source
                if progress is not None:
                    progress(os.path.basename(source))

        libraries = read_texts(
            texts(), diagnostics=sink, macros=table, **{**fmt.reader_options, **options}
        )
        for index, library in zip(indices, libraries, strict=True):
            parts[index] = library
    merged = Library()
    defined: set[str] = set()
    for index, (source, text, fmt) in enumerate(loaded):
        part = parts[index]
        if part is None:
            part = load_reader(fmt)(text, source=source, diagnostics=sink, **options)
            if progress is not None:
                progress(os.path.basename(source))
        assert part is not None
        for name, raw in [*preloaded.strings.items(), *part.extras.strings.items()]:
            if name.lower() not in defined:  # each @string once: its first definition
                defined.add(name.lower())
                merged.extras.strings[name] = raw
        merged.extras.preambles.extend(part.extras.preambles)
        merged.extras.comments.extend(part.extras.comments)
        merged.records.extend(part.records)
        merged.locations.extend(part.locations)
    merged.diagnostics = [d for d in sink.items if d.code not in _DUPLICATES]
    merged.check_ids()
    return merged


@collector_paused()  # the workers' records are trees (see citekit._gc)
def read_segmented(
    path: PathLike, *, format: str | None, strict: bool, jobs: int | None, **options: Any
) -> Library | None:
    """Read a large plain UTF-8 ``.bib`` file with worker processes (``citekit.read(jobs=)``).

    Returns ``None`` when ``jobs`` resolves to one process (automatic mode: inputs under
    the reader's ``PARALLEL_MIN_BYTES``) or the file is not a plain UTF-8 ``.bib`` file;
    the caller then reads it whole. Records, locations and extras equal the whole-file
    reader's; crossref/xdata problems are reported before the other diagnostics.
    """
    from citekit._parallel import choose_jobs
    from citekit.syntax.segments import is_plain_utf8, iter_segments, with_encoded

    source = os.fspath(path)
    if source == "-" or jobs == 1:
        return None
    with open(source, "rb") as handle:
        head = handle.read(4096)
        fmt = (
            get_format(format) if format else detect_format(source, head.decode("utf-8", "replace"))
        )
        module = importlib.import_module(fmt.reader) if fmt.reader else None
        threshold = getattr(module, "PARALLEL_MIN_BYTES", None)
        if threshold is None or head.startswith(b"\xef\xbb\xbf"):
            return None
        workers = choose_jobs(jobs, size=os.path.getsize(source), threshold=threshold)
        handle.seek(0)
        if workers <= 1 or not is_plain_utf8(handle):
            return None

    def open_segments() -> Iterator[tuple[str, int]]:
        with open(source, "rb") as stream:
            yield from iter_segments(stream)

    sink = Diagnostics(strict=strict)
    library = Library()
    for record, where in module.iter_segments(  # type: ignore[union-attr]
        with_encoded(open_segments, source),
        source=source,
        diagnostics=sink,
        extras=library.extras,
        jobs=workers,
        **{**fmt.reader_options, **options},
    ):
        library.add(record, where)
    library.check_ids(sink)
    library.diagnostics = sink.items
    return library

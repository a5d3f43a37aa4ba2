"""The public Python API: read, write and convert bibliographies.

Example::

    import citekit
    lib = citekit.read("refs.bib")                 # format from the suffix
    for d in lib.diagnostics:
        print(d)                                    # refs.bib:17:3: error: ... [key] (code)
    citekit.write(lib, "refs.json")                 # CSL-JSON, written atomically
    text = citekit.write_string(lib, format="biblatex")

Reading, writing and converting live here; the rest of the API is in the private modules
``_papers`` (what a LaTeX paper cites, lints), ``_reports`` (loss reports, round trips) and
``_formatted`` (CSL formatting), re-exported here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from citekit._io import write_output
from citekit._stream_convert import convert_stream
from citekit._streaming import (
    StreamResult,
    iter_read,
    iter_read_located,
    output_format,
    write_stream,
)
from citekit.api._common import PathLike, resolve_format
from citekit.api._formatted import format_bibliography, format_citations
from citekit.api._papers import check, cited_library
from citekit.api._reports import conversion_report, convert_report, roundtrip, roundtrip_string
from citekit.cited import MissingCitation
from citekit.errors import Diagnostics
from citekit.model import Library
from citekit.registry import get_format, load_reader, load_writer
from citekit.writers.formatted import CiteItem, FormattedBibliography, FormattedCitations

__all__ = [
    "CiteItem",
    "FormattedBibliography",
    "FormattedCitations",
    "MissingCitation",
    "check",
    "cited_library",
    "conversion_report",
    "convert",
    "convert_report",
    "format_bibliography",
    "format_citations",
    "read",
    "read_many",
    "read_string",
    "roundtrip",
    "roundtrip_string",
    "write",
    "write_string",
]


def read_string(
    text: str,
    *,
    format: str,
    source: str = "<string>",
    strict: bool = False,
    **options: Any,
) -> Library:
    """Read bibliography text.

    Args:
        text: The input, e.g. the contents of a ``.bib`` file.
        format: ``"bibtex"``, ``"biblatex"``, ``"csl-json"`` or ``"markdown"`` (or an alias).
        source: Name used in diagnostics.
        strict: Raise :class:`~citekit.errors.StrictModeError` at the first error.
        **options: Reader options (see each reader).

    Returns:
        The records and the diagnostics about them.
    """
    fmt = resolve_format(format, None, text)
    diagnostics = Diagnostics(strict=strict)
    library: Library = load_reader(fmt)(text, source=source, diagnostics=diagnostics, **options)
    library.check_ids(diagnostics)
    library.diagnostics = diagnostics.items
    return library


def read(
    path: PathLike,
    *,
    format: str | None = None,
    strict: bool = False,
    strings: Iterable[PathLike] = (),
    jobs: int | None = 1,
    **options: Any,
) -> Library:
    """Read a bibliography file (``"-"`` reads standard input).

    The format comes from ``format`` or else from the file's suffix (``.bib``, ``.json``,
    ``.md``), or, for ``-``, from the text itself. Bytes are decoded by
    :func:`citekit._io.decode_bytes` (BOMs, UTF-16, Latin-1 fallback with a diagnostic).
    ``strings`` names ``.bib`` files whose ``@string`` macros are defined first (e.g.
    ``read("refs.bib", strings=["abbrev.bib"])``; their entries are not read). ``jobs``:
    processes that parse a large ``.bib`` file (default ``1``: this process only; ``None``:
    the idle CPUs for files of 2 MB or more); the records, locations and extras are the same
    either way, but with workers crossref/xdata problems are reported before the other
    diagnostics (the streaming API keeps the exact order).

    Raises:
        OSError: The file cannot be read.
        UnknownFormatError: The format cannot be told or is not known.
        StrictModeError: ``strict`` is set and the input has an error.
    """
    strings = list(strings)
    if strings:
        from citekit._multiread import read_paths

        return read_paths([path], format=format, strict=strict, strings=strings, **options)
    if jobs != 1:
        from citekit._multiread import read_segmented

        parallel = read_segmented(path, format=format, strict=strict, jobs=jobs, **options)
        if parallel is not None:
            return parallel
    from citekit._multiread import read_one

    return read_one(path, format=format, strict=strict, **options)


def read_many(
    paths: Iterable[PathLike],
    *,
    format: str | None = None,
    strict: bool = False,
    strings: Iterable[PathLike] = (),
    jobs: int | None = 1,
    **options: Any,
) -> Library:
    r"""Read several files into one library, the ``.bib`` files as one BibTeX database.

    As BibTeX and biber read ``\bibdata{abbrev,refs}``: ``@string`` macros defined in one
    ``.bib`` file are visible in the files after it (a later redefinition wins for the
    entries after it), and ``crossref``/``xdata`` parents are found in any of the files.
    Every diagnostic keeps its own file's location; duplicate ids across files are reported.

    Args:
        paths: The inputs, in reading order.
        format: Input format of every file (default: from each suffix).
        strict: Raise :class:`~citekit.errors.StrictModeError` at the first error.
        strings: ``.bib`` files whose ``@string`` macros are defined before the first input
            (their entries are not read).
        jobs: As for :func:`read`, for a single input (several inputs are read whole).
        **options: Reader options.
    """
    from citekit._multiread import read_paths

    paths = list(paths)
    strings = list(strings)
    if len(paths) == 1 and not strings:
        return read(paths[0], format=format, strict=strict, jobs=jobs, **options)

    return read_paths(paths, format=format, strict=strict, strings=strings, **options)


def write_string(
    library: Library,
    *,
    format: str,
    diagnostics: Diagnostics | None = None,
    **options: Any,
) -> str:
    """Serialise ``library`` in ``format`` and return the text.

    Args:
        library: What to write.
        format: ``"bibtex"``, ``"biblatex"`` or ``"csl-json"`` (or an alias).
        diagnostics: Collector for what the writer reports (e.g. a CSL type with no BibTeX
            equivalent); a fresh one when omitted.
        **options: Writer options (see each writer).
    """
    fmt = get_format(format)
    sink = diagnostics if diagnostics is not None else Diagnostics()
    text: str = load_writer(fmt)(library, diagnostics=sink, **options)
    return text


def write(
    library: Library,
    path: PathLike,
    *,
    format: str | None = None,
    diagnostics: Diagnostics | None = None,
    **options: Any,
) -> None:
    """Write ``library`` to ``path`` atomically (``"-"`` writes standard output).

    The format comes from ``format`` or the suffix of ``path``. On any error the destination
    is left untouched.
    """
    target = os.fspath(path)
    fmt = resolve_format(format, None if target == "-" else target, None)
    text = write_string(library, format=fmt.name, diagnostics=diagnostics, **options)
    write_output(target, (text,))


def convert(
    inputs: PathLike | Iterable[PathLike],
    output: PathLike | None = None,
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    strict: bool = False,
    read_options: dict[str, Any] | None = None,
    write_options: dict[str, Any] | None = None,
) -> tuple[Library, str]:
    """Read one or more inputs and write them in another format.

    Returns:
        The merged library (with every diagnostic) and the written text. When ``output`` is
        given the text is also written there, atomically.
    """
    paths = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    library = read_many(paths, format=from_format, strict=strict, **(read_options or {}))
    target = os.fspath(output) if output is not None else None
    to_format = output_format(to_format, target).name
    diagnostics = Diagnostics(items=library.diagnostics)
    text = write_string(library, format=to_format, diagnostics=diagnostics, **(write_options or {}))
    if target is not None:
        write_output(target, (text,))
    return library, text


# --- Streaming (issue 7) -----------------------------------------------------------------
# Records flow from reader to writer without a whole Library in memory; the implementation
# and the reader/writer module protocol are in ``citekit._streaming``.

__all__ += ["StreamResult", "convert_stream", "iter_read", "iter_read_located", "write_stream"]

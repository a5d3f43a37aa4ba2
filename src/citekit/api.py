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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from citekit._io import atomic_write_text, decode_bytes
from citekit.errors import Diagnostics, UnknownFormatError
from citekit.mapping.report import ConversionReport
from citekit.model import Library
from citekit.registry import Format, detect_format, get_format, load_reader, load_writer
from citekit.roundtrips import RoundtripResult, roundtrip_text

__all__ = [
    "conversion_report",
    "convert",
    "convert_report",
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
    **options: Any,
) -> Library:
    """Read a bibliography file (``"-"`` reads standard input).

    The format comes from ``format`` or else from the file's suffix (``.bib``, ``.json``,
    ``.md``), or, for ``-``, from the text itself. Bytes are decoded by
    :func:`citekit._io.decode_bytes` (BOMs, UTF-16, Latin-1 fallback with a diagnostic).

    Raises:
        OSError: The file cannot be read.
        UnknownFormatError: The format cannot be told or is not known.
        StrictModeError: ``strict`` is set and the input has an error.
    """
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
    paths: Iterable[PathLike], *, format: str | None = None, strict: bool = False, **options: Any
) -> Library:
    """Read several files into one library; duplicate ids across files are reported."""
    merged = Library()
    for path in paths:
        part = read(path, format=format, strict=strict, **options)
        for diagnostic in part.diagnostics:
            if diagnostic.code not in ("library.duplicate-id", "library.id-case-collision"):
                merged.diagnostics.append(diagnostic)
        part.diagnostics = []
        merged.extend(part)
    diagnostics = Diagnostics(strict=False, items=merged.diagnostics)
    merged.check_ids(diagnostics)
    merged.diagnostics = diagnostics.items
    return merged


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
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        atomic_write_text(target, text)


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
    if to_format is None:
        if target is None or target == "-":
            raise UnknownFormatError("(no output format given)")
        to_format = detect_format(target).name
    diagnostics = Diagnostics(items=library.diagnostics)
    text = write_string(library, format=to_format, diagnostics=diagnostics, **(write_options or {}))
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    elif target is not None:
        atomic_write_text(target, text)
    return library, text


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
    target = os.fspath(output) if output is not None else None
    if to_format is None:
        if target is None or target == "-":
            raise UnknownFormatError("(no output format given)")
        to_format = detect_format(target).name
    fmt = get_format(to_format)
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

"""The public API's loss reports and round trips (``citekit convert --report``, ``roundtrip``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from citekit._io import decode_bytes
from citekit._streaming import output_format
from citekit.api._common import PathLike, resolve_format
from citekit.errors import Diagnostics
from citekit.mapping.report import ConversionReport
from citekit.model import Library
from citekit.registry import get_format
from citekit.roundtrips import RoundtripResult, roundtrip_text

__all__ = ["conversion_report", "convert_report", "roundtrip", "roundtrip_string"]


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
    from citekit.api import write_string

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
    from citekit.api import convert

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
    fmt = resolve_format(format, source, text)
    result = roundtrip_text(text, format=fmt.name, via=via, source=source, **write_options)
    result.diagnostics = list(diagnostics.items) + result.diagnostics
    return result

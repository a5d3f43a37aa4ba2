"""BibLaTeX writer: CSL-JSON records → .bib text (profile ``biblatex`` by default; see ``_bib``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from citekit.errors import Diagnostics
from citekit.model import Library, Record, SourceLocation
from citekit.writers._bib import write_bib
from citekit.writers._bib_stream import iter_bib

__all__ = ["EXACT_STREAM", "iter_write", "write_text"]

EXACT_STREAM = True
""":func:`iter_write` takes ``exact=`` (the stream's ids) and may raise
:class:`citekit.writers._bib_stream.StreamMismatch` (see :mod:`citekit._streaming`)."""


def write_text(library: Library, *, diagnostics: Diagnostics, **options: Any) -> str:
    """Write ``library`` as BibLaTeX (options: see :func:`citekit.writers._bib.write_bib`).

    Args:
        library: The records to write.
        diagnostics: Receives what the writer reports.
        **options: ``profile``, ``ascii``, ``keep_macros``, ``key_pattern``,
            ``regenerate_keys``, ``report``.
    """
    return write_bib(library, dialect="biblatex", diagnostics=diagnostics, **options)


def iter_write(
    items: Iterable[tuple[Record, SourceLocation | None]],
    *,
    diagnostics: Diagnostics,
    **options: Any,
) -> Iterator[str]:
    """Yield BibLaTeX text in batches; joined, it equals :func:`write_text`'s output."""
    return iter_bib(items, dialect="biblatex", diagnostics=diagnostics, **options)

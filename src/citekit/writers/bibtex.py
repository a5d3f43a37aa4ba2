"""BibTeX writer: CSL-JSON records → .bib text (profile ``bibtex`` by default; see ``_bib``)."""

from __future__ import annotations

from typing import Any

from citekit.errors import Diagnostics
from citekit.model import Library
from citekit.writers._bib import write_bib

__all__ = ["write_text"]


def write_text(library: Library, *, diagnostics: Diagnostics, **options: Any) -> str:
    """Write ``library`` as BibTeX (options: see :func:`citekit.writers._bib.write_bib`).

    Args:
        library: The records to write.
        diagnostics: Receives what the writer reports.
        **options: ``profile``, ``ascii``, ``keep_macros``, ``key_pattern``,
            ``regenerate_keys``, ``report``.
    """
    return write_bib(library, dialect="bibtex", diagnostics=diagnostics, **options)

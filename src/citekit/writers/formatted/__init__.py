"""Formatted references and in-text citations in any CSL style (the only user of citeproc-py).

Input is CSL-JSON records; the style is an already-resolved ``.csl`` path (see
:mod:`citekit.styles`). Output formats: ``text``, ``html``, ``markdown``, ``rst``, ``latex``.
Importing this package does not import citeproc-py; :mod:`.run` does.

Modules: ``results`` (types), ``run`` (entry points), ``engine`` (safe style loading, caches,
element fixes), ``suppress`` (group/macro suppression), ``speed`` (caches around citeproc-py's
look-ups), ``convert`` (records -> citeproc-py), ``session`` (rendering and fixes),
``markup`` (neutral markup -> output formats, escaping).
"""

from citekit.writers.formatted.results import (
    CiteItem,
    FormattedBibliography,
    FormattedCitations,
    FormattedEntry,
)

__all__ = ["OUTPUTS", "CiteItem", "FormattedBibliography", "FormattedCitations", "FormattedEntry"]

OUTPUTS = ("text", "html", "markdown", "rst", "latex")
"""Output formats of the formatting writer."""

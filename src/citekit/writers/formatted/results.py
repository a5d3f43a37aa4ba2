"""Result types of formatting: cite items, entries, bibliographies, citations (no citeproc here)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from citekit.errors import Diagnostic

__all__ = ["CiteItem", "FormattedBibliography", "FormattedCitations", "FormattedEntry"]


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One cited item inside a citation.

    Attributes:
        id: The record id (case-sensitive).
        locator: A pinpoint such as ``"12-14"``.
        label: The locator's CSL label (``page``, ``chapter``, ``section``, ...).
        prefix: Text before the item (``"see "``).
        suffix: Text after the item.
    """

    id: str
    locator: str | None = None
    label: str = "page"
    prefix: str | None = None
    suffix: str | None = None


@dataclass(frozen=True, slots=True)
class FormattedEntry:
    """One bibliography entry: the record id and its rendered text in the output format."""

    id: str
    text: str


def _document(pieces: Sequence[str], output: str, wrapper: str) -> str:
    if output == "html":
        body = "".join(f'  <div class="{wrapper}">{p}</div>\n' for p in pieces)
        return f'<div class="csl-bib-body">\n{body}</div>\n' if wrapper == "csl-entry" else body
    separator = "\n" if output == "text" else "\n\n"
    return separator.join(pieces) + ("\n" if pieces else "")


@dataclass(slots=True)
class FormattedBibliography:
    """A rendered bibliography.

    ``str(bib)`` / ``bib.text`` is the whole document in the output format (HTML entries are
    wrapped in ``<div class="csl-entry">`` inside a ``csl-bib-body`` div).
    """

    entries: list[FormattedEntry]
    output: str
    style: str
    locale: str
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The whole bibliography as one document."""
        return _document([e.text for e in self.entries], self.output, "csl-entry")

    def __str__(self) -> str:
        return self.text

    def __iter__(self) -> Iterator[FormattedEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(slots=True)
class FormattedCitations:
    """Rendered in-text citations, one string per input citation, in document order.

    A citation that could not be rendered is ``""`` with a diagnostic. ``bibliography`` holds
    the entries of the cited records (for numeric styles, numbered in citation order).
    """

    citations: list[str]
    output: str
    style: str
    locale: str
    bibliography: list[FormattedEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def text(self) -> str:
        """One citation per line (HTML: ``<span class="csl-citation">`` per citation)."""
        if self.output == "html":
            return "".join(f'<span class="csl-citation">{c}</span>\n' for c in self.citations)
        return "".join(f"{c}\n" for c in self.citations)

    def __str__(self) -> str:
        return self.text

    def __iter__(self) -> Iterator[str]:
        return iter(self.citations)

    def __len__(self) -> int:
        return len(self.citations)

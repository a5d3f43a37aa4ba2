"""The ``.bib`` entry the CSL → BibTeX/BibLaTeX mapping builds: fields, entry, builder."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from citekit.mapping.encoding import LatexEncoder
from citekit.mapping.report import EntryReport

__all__ = ["BibEntry", "BibField", "EntryBuilder"]


@dataclass(slots=True)
class BibField:
    """One field of an entry: its name and its value, already encoded.

    ``raw`` values (``@string`` references, ``jan``, ``a # " b"``) are written without braces.
    """

    name: str
    value: str
    raw: bool = False


@dataclass(slots=True)
class BibEntry:
    """One ``@type{key, ...}`` block, ready to serialise."""

    type: str
    key: str
    fields: list[BibField] = field(default_factory=list)

    def get(self, name: str) -> BibField | None:
        """The field called ``name`` (case-insensitive), if written."""
        lowered = name.lower()
        for item in self.fields:
            if item.name.lower() == lowered:
                return item
        return None


class EntryBuilder:
    """Accumulates the fields of one entry and the notes about them."""

    def __init__(self, entry: BibEntry, report: EntryReport | None, enc: LatexEncoder) -> None:
        self.entry, self.report, self.enc = entry, report, enc
        self.names: set[str] = set()
        self.custom_names: frozenset[str] = frozenset()

    def has(self, name: str) -> bool:
        """Whether a field called ``name`` (any case) was written."""
        return name in self.names or name.lower() in self.names  # ``names`` is lower-case

    def add(self, name: str, value: str, raw: bool = False) -> None:
        """Append a field (``raw``: a macro expression, written without braces)."""
        self.entry.fields.append(BibField(name, value, raw))
        self.names.add(name.lower())

    def note(self, kind: Any, source: str, target: str | None = None, detail: str = "") -> None:
        """Record what happened to ``source`` in the entry's conversion report, if any."""
        if self.report is not None:
            self.report.add(kind, source, target, detail)

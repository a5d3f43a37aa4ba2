"""Library: the ordered records of one or more inputs, with their diagnostics and origins."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from citekit.errors import Diagnostic, Diagnostics, Severity
from citekit.model.record import Record

__all__ = ["BibExtras", "Library", "SourceLocation"]


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where a record came from: file name and 1-based line (and column)."""

    source: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.source]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(slots=True)
class BibExtras:
    r"""The parts of a ``.bib`` file that are not entries, kept for ``--keep-macros`` rewrites.

    Example: ``@string{jan = "January"}`` is ``strings["jan"] == '"January"'`` (the raw
    expression as written); ``@preamble{"\\newcommand{\\x}{y}"}`` is one ``preambles`` item.
    """

    strings: dict[str, str] = field(default_factory=dict)
    """Macro name (as written) → raw value expression, in file order."""
    preambles: list[str] = field(default_factory=list)
    """Raw ``@preamble`` expressions."""
    comments: list[str] = field(default_factory=list)
    """``@comment`` bodies and text between entries that is not whitespace."""


@dataclass(slots=True)
class Library:
    """An ordered collection of CSL-JSON records plus what was said about them.

    Records keep their input order. ``diagnostics`` holds every report from reading;
    ``locations`` maps a record's position to where it was read from.
    """

    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    locations: list[SourceLocation | None] = field(default_factory=list)
    extras: BibExtras = field(default_factory=BibExtras)

    def add(self, record: Record, location: SourceLocation | None = None) -> None:
        """Append ``record``, remembering where it came from."""
        self.records.append(record)
        self.locations.append(location)

    def extend(self, other: Library) -> None:
        """Append every record, diagnostic and extra of ``other`` (merging inputs)."""
        self.records.extend(other.records)
        self.locations.extend(other.locations)
        self.diagnostics.extend(other.diagnostics)
        self.extras.strings.update(other.extras.strings)
        self.extras.preambles.extend(other.extras.preambles)
        self.extras.comments.extend(other.extras.comments)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __contains__(self, record_id: object) -> bool:
        return any(record.get("id") == record_id for record in self.records)

    def get(self, record_id: str) -> Record | None:
        """The first record whose id is exactly ``record_id``, or ``None``."""
        for record in self.records:
            if record.get("id") == record_id:
                return record
        return None

    def __getitem__(self, record_id: str) -> Record:
        record = self.get(record_id)
        if record is None:
            raise KeyError(record_id)
        return record

    def location(self, record_id: str) -> SourceLocation | None:
        """Where the record with ``record_id`` was read from, if known."""
        for record, location in zip(self.records, self.locations, strict=True):
            if record.get("id") == record_id:
                return location
        return None

    @property
    def ids(self) -> list[str]:
        """Record ids in order."""
        return [str(record.get("id", "")) for record in self.records]

    @property
    def errors(self) -> list[Diagnostic]:
        """Diagnostics of error severity."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    def select(self, keep: Iterable[str]) -> Library:
        """A new library with only the records whose ids are in ``keep`` (input order kept)."""
        wanted = set(keep)
        out = Library(diagnostics=list(self.diagnostics), extras=self.extras)
        for record, location in zip(self.records, self.locations, strict=True):
            if record.get("id") in wanted:
                out.add(record, location)
        return out

    def check_ids(self, diagnostics: Diagnostics | None = None) -> list[Diagnostic]:
        """Report duplicate ids and ids that differ only in case.

        Case-only collisions matter because citeproc-py (and BibTeX itself) compare keys
        case-insensitively. New diagnostics are appended to ``self.diagnostics`` and, when
        given, reported to ``diagnostics`` too; they are also returned.
        """
        found: list[Diagnostic] = []
        seen: dict[str, int] = {}
        folded: dict[str, str] = {}
        for index, record in enumerate(self.records):
            record_id = str(record.get("id", ""))
            where = self.locations[index]
            extra = {
                "source": where.source if where else None,
                "line": where.line if where else None,
                "column": where.column if where else None,
                "key": record_id,
            }
            if record_id in seen:
                first = self.locations[seen[record_id]]
                at = f" (first at {first})" if first else ""
                found.append(
                    Diagnostic(
                        Severity.WARNING,
                        "library.duplicate-id",
                        f"duplicate id {record_id!r}{at}",
                        **extra,  # type: ignore[arg-type]
                    )
                )
                continue
            seen[record_id] = index
            key = record_id.casefold()
            if key in folded and folded[key] != record_id:
                found.append(
                    Diagnostic(
                        Severity.WARNING,
                        "library.id-case-collision",
                        f"id {record_id!r} differs from {folded[key]!r} only in case",
                        **extra,  # type: ignore[arg-type]
                    )
                )
            folded.setdefault(key, record_id)
        self.diagnostics.extend(found)
        if diagnostics is not None:
            for diagnostic in found:
                diagnostics.items.append(diagnostic)
        return found

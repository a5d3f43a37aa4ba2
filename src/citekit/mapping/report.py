"""The loss report of a conversion: per entry, what was mapped, kept in custom, guessed or lost.

Writers fill a :class:`ConversionReport` when given one (``report=`` option); the CLI prints
it for ``citekit convert --report``. Example line of :meth:`ConversionReport.format_text`::

    smith2020 (bill → @misc): 9 mapped, 2 custom, 0 guessed, 2 carried, 0 lost
      carried: type → entrysubtype (no bibtex entry type for it)
      carried: archive_location → csl-archive_location (no bibtex field for it)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["ConversionReport", "EntryReport", "FieldNote", "NoteKind"]

NoteKind = Literal["mapped", "custom", "guessed", "carried", "lost"]
_KINDS: tuple[NoteKind, ...] = ("mapped", "custom", "guessed", "carried", "lost")


@dataclass(frozen=True, slots=True)
class FieldNote:
    """What happened to one variable or field.

    Attributes:
        kind: ``mapped`` (a table rule wrote it to a native field), ``custom`` (restored
            from, or sent to, ``custom``), ``guessed`` (a choice citekit made: a type
            fallback, an inferred field), ``carried`` (the target has no native field; kept
            in a namespaced carrier field such as ``csl-source`` or ``entrysubtype``, which
            citekit reads back exactly) or ``lost`` (the target cannot represent it).
        source: The variable or field it came from (``title``, ``custom.bibtex.timestamp``).
        target: Where it went (``title``, ``eprint``), or ``None`` when lost.
        detail: A short human explanation.
    """

    kind: NoteKind
    source: str
    target: str | None = None
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        out: dict[str, Any] = {"kind": self.kind, "source": self.source}
        if self.target is not None:
            out["target"] = self.target
        if self.detail:
            out["detail"] = self.detail
        return out


@dataclass(slots=True)
class EntryReport:
    """Everything noted about one record during a conversion."""

    key: str
    source_type: str
    target_type: str
    notes: list[FieldNote] = field(default_factory=list)

    def add(self, kind: NoteKind, source: str, target: str | None = None, detail: str = "") -> None:
        """Record one note."""
        self.notes.append(FieldNote(kind, source, target, detail))

    def of_kind(self, kind: NoteKind) -> list[FieldNote]:
        """Notes of one kind, in the order they were made."""
        return [note for note in self.notes if note.kind == kind]

    @property
    def lossless(self) -> bool:
        """``True`` when nothing was lost."""
        return not any(note.kind == "lost" for note in self.notes)

    def counts(self) -> dict[str, int]:
        """Number of notes of each kind."""
        counter = Counter(note.kind for note in self.notes)
        return {kind: counter.get(kind, 0) for kind in _KINDS}

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "key": self.key,
            "source_type": self.source_type,
            "target_type": self.target_type,
            "counts": self.counts(),
            "notes": [note.to_json() for note in self.notes],
        }


@dataclass(slots=True)
class ConversionReport:
    """The per-entry loss report of writing one library to one target format."""

    target: str
    entries: list[EntryReport] = field(default_factory=list)

    def entry(self, key: str, source_type: str, target_type: str) -> EntryReport:
        """Start (and keep) the report of one entry."""
        report = EntryReport(key, source_type, target_type)
        self.entries.append(report)
        return report

    def totals(self) -> dict[str, int]:
        """Notes of each kind over all entries, plus ``entries`` and ``entries_with_loss``."""
        out: dict[str, int] = dict.fromkeys(_KINDS, 0)
        for entry in self.entries:
            for kind, number in entry.counts().items():
                out[kind] += number
        out["entries"] = len(self.entries)
        out["entries_with_loss"] = sum(1 for entry in self.entries if not entry.lossless)
        return out

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form: target, totals and every entry."""
        return {
            "target": self.target,
            "totals": self.totals(),
            "entries": [entry.to_json() for entry in self.entries],
        }

    def format_text(self, *, verbose: bool = False) -> str:
        """Human-readable report: one line per entry, details for guesses and losses.

        Args:
            verbose: Also list mapped and custom notes.
        """
        lines: list[str] = []
        for entry in self.entries:
            c = entry.counts()
            lines.append(
                f"{entry.key} ({entry.source_type} → {entry.target_type}): "
                f"{c['mapped']} mapped, {c['custom']} custom, {c['guessed']} guessed, "
                f"{c['carried']} carried, {c['lost']} lost"
            )
            for note in entry.notes:
                if verbose or note.kind in ("guessed", "carried", "lost"):
                    arrow = f" → {note.target}" if note.target else ""
                    detail = f" ({note.detail})" if note.detail else ""
                    lines.append(f"  {note.kind}: {note.source}{arrow}{detail}")
        t = self.totals()
        lines.append(
            f"total: {t['entries']} entries to {self.target}, {t['entries_with_loss']} with loss; "
            f"{t['mapped']} mapped, {t['custom']} custom, {t['guessed']} guessed, "
            f"{t['carried']} carried, {t['lost']} lost"
        )
        return "\n".join(lines) + "\n"

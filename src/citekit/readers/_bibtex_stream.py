"""Streaming BibTeX reading: records of a ``.bib`` file in order, in memory that stays flat.

The file comes as consecutive text pieces (:mod:`citekit.syntax.segments`), so only a few
hundred kilobytes of it are held. crossref/xdata need entries that may come later (BibTeX
puts parents after their children), so a file that uses them is read twice: a quick scan
finds the keys that are referenced, a first pass keeps only those entries and the ones that
refer to others and resolves inheritance exactly as :func:`citekit.readers.bibtex.iter_records`
does, and the second pass converts every entry in file order. Records equal the whole-text
reader's; the diagnostics are the same, but inheritance problems are reported first.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

from citekit.errors import Diagnostics
from citekit.mapping.inherit import Inheritable, resolve_inheritance
from citekit.model import BibExtras, Record, SourceLocation
from citekit.readers.bibtex import _DIALECTS, _Converter, _one
from citekit.syntax.bibtex import RawEntry, iter_entries_segmented
from citekit.syntax.segments import BLOCK_LINE as _BLOCK_LINE

__all__ = ["iter_segments"]

Segments = Callable[[], Iterator[tuple[str, int]]]
_HEAD_LINE = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]\s*([^,\s{}()=\"#%']*)", re.MULTILINE)
_HEAD = re.compile(r"[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]\s*([^,\s{}()=\"#%']*)")
_REF = re.compile(r"(?i)\b(?:crossref|xdata)\s*=\s*(?:\{([^{}]*)\}|\"([^\"]*)\"|([^\s,}#]+))")


class _Discard(dict[str, str]):
    """A mapping that forgets what is stored in it."""

    def __setitem__(self, key: str, value: str) -> None:
        pass


class _DiscardList(list[str]):
    """A list that forgets what is appended to it."""

    def append(self, item: str) -> None:
        pass


def _scan_refs(segments: Iterator[tuple[str, int]]) -> tuple[set[str], set[str]] | None:
    """Keys that look referenced by crossref/xdata (case-folded) and keys written twice.

    ``None`` when no crossref/xdata field appears at all (the file is then read once).
    """
    found: set[str] | None = None
    seen: set[str] = set()
    twice: set[str] = set()
    for text, _ in segments:
        for match in _REF.finditer(text):
            found = found if found is not None else set()
            value = next(g for g in match.groups() if g is not None)
            found.update(k.strip().casefold() for k in value.split(",") if k.strip())
        for head in _HEAD_LINE.finditer(text):
            key = head.group(1)
            (twice if key in seen else seen).add(key)
    return None if found is None else (found, twice)


def _relevant(
    segments: Iterator[tuple[str, int]], refs: set[str], twice: set[str]
) -> Iterator[tuple[str, int]]:
    """The pieces with every block blanked that inheritance cannot need.

    Kept: ``@string`` blocks, entries whose key is referenced or written twice, and entries
    that use crossref/xdata. Everything else becomes as many newlines as it had, so line
    numbers and the blocks kept are exactly those of the file.
    """
    for text, first_line in segments:
        starts = [m.start() for m in _BLOCK_LINE.finditer(text)]
        bounds = [0, *starts, len(text)] if not starts or starts[0] else [*starts, len(text)]
        parts: list[str] = []
        for start, end in itertools.pairwise(bounds):
            piece = text[start:end]
            head = _HEAD.match(piece)
            keep = head is not None and (
                head.group(1).lower() == "string"
                or head.group(2).casefold() in refs
                or head.group(2) in twice
                or _REF.search(piece) is not None
            )
            parts.append(piece if keep else "\n" * piece.count("\n"))
        yield "".join(parts), first_line


def _ref_keys(fields: dict[str, str]) -> set[str]:
    keys = {k.strip().casefold() for k in fields.get("xdata", "").split(",") if k.strip()}
    crossref = fields.get("crossref", "").strip()
    if crossref:
        keys.add(crossref.casefold())
    return keys


def _resolve(
    open_segments: Segments, source: str, converter: _Converter
) -> dict[tuple[str, int], tuple[dict[str, str], dict[str, str]]]:
    """(key, line) → (fields, inherited) of every entry whose fields inheritance changes."""
    scanned = _scan_refs(open_segments())
    if scanned is None:
        return {}
    refs, twice = scanned
    while True:
        store: dict[str, Inheritable] = {}
        entries: dict[str, RawEntry] = {}
        seen: set[str] = set()
        wanted: set[str] = set()
        for entry in iter_entries_segmented(
            _relevant(open_segments(), refs, twice), source=source, diagnostics=Diagnostics()
        ):
            if entry.key in seen:
                continue  # only the first entry of a key takes part, as in iter_records
            seen.add(entry.key)
            uses = "crossref" in entry.fields or "xdata" in entry.fields
            if uses:
                wanted |= _ref_keys(entry.fields)
            if uses or entry.key.casefold() in refs:
                store[entry.key] = Inheritable(entry.type, entry.key, entry.fields, {})
                entries[entry.key] = entry
        if wanted <= refs:
            break
        refs |= wanted  # a reference the quick scan missed (e.g. through a macro)

    def report(key: str, code: str, message: str, field: str | None) -> None:
        converter.entry = entries.get(key)
        converter.report(code, message, field)

    resolve_inheritance(store, report)
    return {
        (key, entries[key].line): (item.fields, item.inherited)
        for key, item in store.items()
        if "crossref" in item.fields or "xdata" in item.fields
    }


def iter_segments(
    open_segments: Segments,
    *,
    source: str = "<string>",
    diagnostics: Diagnostics,
    dialect: str = "bibtex",
    extras: BibExtras | None = None,
    sentence_case: bool = False,
    **options: object,
) -> Iterator[tuple[Record, SourceLocation]]:
    """Yield ``(record, location)`` for every entry of a ``.bib`` file given in pieces.

    Args:
        open_segments: Returns a fresh iterator of ``(text, first_line)`` pieces each time
            it is called (the file is read twice when it uses crossref/xdata).
        source: File name for diagnostics and locations.
        diagnostics: Where problems are reported.
        dialect: ``bibtex`` or ``biblatex``.
        extras: Receives ``@string``/``@preamble``/``@comment`` contents.
        sentence_case: See :func:`citekit.readers.bibtex.read_text`.
        **options: Unknown options are reported and ignored.
    """
    for name in options:
        diagnostics.warning(
            "bibtex.unknown-option", f"unknown reader option {name!r} ignored", source=source
        )
    if dialect not in _DIALECTS:
        diagnostics.warning(
            "bibtex.unknown-dialect",
            f"unknown dialect {dialect!r}; read as 'bibtex'",
            source=source,
        )
        dialect = "bibtex"
    converter = _Converter(source, diagnostics, dialect, sentence_case)
    resolved = _resolve(open_segments, source, converter)
    if extras is None:  # nobody wants them: do not let them grow with the file
        extras = BibExtras(_Discard(), _DiscardList(), _DiscardList())
    for entry in iter_entries_segmented(
        open_segments(), source=source, diagnostics=diagnostics, extras=extras
    ):
        inherited: dict[str, str] = {}
        hit = resolved.get((entry.key, entry.line))
        if hit is not None:
            entry.fields, inherited = hit
        yield _one(converter, entry, inherited, source, diagnostics)

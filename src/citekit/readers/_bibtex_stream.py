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

import re
from collections.abc import Callable, Iterator

from citekit.errors import Diagnostics
from citekit.mapping.inherit import Inheritable, resolve_inheritance
from citekit.model import BibExtras, Record, SourceLocation
from citekit.readers.bibtex import _DIALECTS, _Converter, _one
from citekit.syntax.bibtex import RawEntry, iter_entries_segmented

__all__ = ["iter_segments"]

Segments = Callable[[], Iterator[tuple[str, int]]]
_REF = re.compile(r"(?i)\b(?:crossref|xdata)\s*=\s*(?:\{([^{}]*)\}|\"([^\"]*)\"|([^\s,}#]+))")


class _Discard(dict[str, str]):
    """A mapping that forgets what is stored in it."""

    def __setitem__(self, key: str, value: str) -> None:
        pass


class _DiscardList(list[str]):
    """A list that forgets what is appended to it."""

    def append(self, item: str) -> None:
        pass


def _scan_refs(segments: Iterator[tuple[str, int]]) -> set[str] | None:
    """Case-folded keys that look referenced by crossref/xdata (``None``: no such field)."""
    found: set[str] | None = None
    for text, _ in segments:
        for match in _REF.finditer(text):
            found = found if found is not None else set()
            value = next(g for g in match.groups() if g is not None)
            found.update(k.strip().casefold() for k in value.split(",") if k.strip())
    return found


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
    refs = _scan_refs(open_segments())
    if refs is None:
        return {}
    while True:
        store: dict[str, Inheritable] = {}
        entries: dict[str, RawEntry] = {}
        seen: set[str] = set()
        wanted: set[str] = set()
        for entry in iter_entries_segmented(
            open_segments(), source=source, diagnostics=Diagnostics()
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

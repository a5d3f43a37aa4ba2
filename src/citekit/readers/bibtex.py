r"""BibTeX/BibLaTeX reader: ``.bib`` text → a :class:`~citekit.model.Library` of CSL-JSON records.

Pipeline: :func:`citekit.syntax.bibtex.iter_entries` (split, macros, located damage) →
:func:`citekit.mapping.inherit.resolve_inheritance` (crossref/xdata) →
:func:`citekit.mapping.bib_to_csl.entry_to_csl` (tables, names, LaTeX → Unicode) →
:func:`citekit.model.normalize_record`. Reading is lenient: one broken entry is reported
(``refs.bib:17:1``) and skipped, every other one converts. Example::

    library = read_text("@book{k, title={T}, year=2020}", source="refs.bib",
                        diagnostics=Diagnostics())
    library.records[0]["issued"] == {"date-parts": [[2020]]}
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from citekit._gc import collector_paused
from citekit.errors import Diagnostics
from citekit.mapping.bib_to_csl import MapContext, entry_to_csl
from citekit.mapping.casing import JOURNAL_TYPES, SENTENCE_CASE_VARIABLES, sentence_case
from citekit.mapping.inherit import Inheritable, resolve_inheritance
from citekit.mapping.names import NameParser, plain_name
from citekit.model import BibExtras, Library, Name, Record, SourceLocation, normalize_record
from citekit.readers._bibtex_shared import MacroTable, keep_writable_macros
from citekit.syntax.bibtex import RawEntry, iter_entries
from citekit.syntax.latex_to_unicode import VERBATIM_FIELDS, latex_to_unicode, plain_text

PARALLEL_MIN_BYTES = 2 << 20
"""Automatic ``jobs`` reads ``.bib`` input of at least this size with every CPU (streaming)."""

__all__ = [
    "PARALLEL_MIN_BYTES",
    "iter_records",
    "iter_records_many",
    "read_text",
    "read_texts",
    "sniff",
]

_DIALECTS = ("bibtex", "biblatex")


def sniff(text: str) -> bool:
    """Whether ``text`` looks like a ``.bib`` file (an ``@type{`` before anything else)."""
    head = text.lstrip("\ufeff \t\r\n")[:2000]
    return head.startswith(("@", "%")) or "\n@" in head


class _Converter:
    """Holds per-read state: caches for names and decoded values, and the current entry."""

    def __init__(
        self, source: str, diagnostics: Diagnostics, dialect: str, sentence_case: bool = False
    ) -> None:
        self.sentence_case = sentence_case
        self.source = source
        self.diagnostics = diagnostics
        self.dialect = dialect
        self.entry: RawEntry | None = None
        self._decoded: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}
        self.capture: list[str] | None = None
        names = _Names(self, dialect=dialect)
        self.context = MapContext(self.decode, self.report, dialect=dialect, names=names)
        self._useprefix = _Names(self, dialect=dialect, useprefix=True)
        self._plain_names = names

    def where(self, field: str | None) -> dict[str, object]:
        entry = self.entry
        if entry is None:
            return {"source": self.source}
        if field and field in entry.field_lines:
            line, column = entry.field_lines[field], entry.field_columns.get(field)
        else:
            line, column = entry.line, entry.column
        return {"source": self.source, "line": line, "column": column, "key": entry.key,
                "field": field}  # fmt: skip

    def report(self, code: str, message: str, field: str | None) -> None:
        self.diagnostics.warning(code, message, **self.where(field))  # type: ignore[arg-type]

    def decode(self, field: str, value: str, mode: str) -> str:
        if field in VERBATIM_FIELDS or mode == "verbatim":
            return value.strip()
        plain = plain_text(value)
        if plain is not None:  # nothing to decode, no problems: not worth a cache entry
            return plain
        cache_key = (mode, value)
        cached = self._decoded.get(cache_key)
        if cached is None:
            decoded = latex_to_unicode(value, mode=mode)  # type: ignore[arg-type]
            cached = (decoded.text, decoded.problems)
            if len(self._decoded) >= 4096:
                self._decoded.clear()  # bounded, so streaming reads stay flat in memory
            self._decoded[cache_key] = cached
        if cached[1]:
            self.report(
                "bibtex.latex-undecoded",
                f"{field}: could not decode {', '.join(cached[1])}; kept as written",
                field,
            )
        return cached[0]

    def decode_name(self, value: str) -> str:
        """Decode one part of a name (reporting what cannot be decoded, as for fields)."""
        if "\\" not in value and "{" not in value and "~" not in value:
            return value
        decoded = self.decode("author", value, "text")
        if self.capture is not None and self._decoded.get(("text", value), ("", ()))[1]:
            self.capture.append(value)
        return decoded

    def convert(self, entry: RawEntry, fields: dict[str, str], inherited: dict[str, str]) -> Record:
        self.entry = entry
        options = fields.get("options")
        if options:
            options = options.replace(" ", "").lower()
            self.context.names = (
                self._useprefix if "useprefix=true" in options or "useprefix," in f"{options},"
                else self._plain_names
            )  # fmt: skip
        else:  # the common case: no options (the same names as an empty options string)
            self.context.names = self._plain_names
        record = entry_to_csl(entry.type, entry.key, fields, entry.macros, self.context)
        if inherited:
            record["custom"]["bibtex"]["inherited"] = dict(inherited)
        if self.sentence_case and str(record.get("language", "en")).lower().startswith("en"):
            original: dict[str, str] = {}
            for variable in SENTENCE_CASE_VARIABLES:
                if variable == "container-title" and record.get("type") in JOURNAL_TYPES:
                    continue
                value = record.get(variable)
                if isinstance(value, str):
                    converted = sentence_case(value)
                    if converted != value:
                        original[variable] = value
                        record[variable] = converted
            if original:
                record["custom"]["bibtex"]["original-case"] = original
        return record


class _Names(NameParser):
    """A name parser whose cached names report their LaTeX problems again, like a first parse.

    Without this, whether ``bibtex.latex-undecoded`` is reported for a name would depend on
    whether the name is still in the (bounded, per-process) cache, so the diagnostics of a
    parallel read would differ from a serial one.
    """

    def __init__(self, converter: _Converter, *, dialect: str, useprefix: bool = False) -> None:
        super().__init__(converter.decode_name, dialect=dialect, useprefix=useprefix)
        self._converter = converter
        self._noisy: dict[str, tuple[str, ...]] = {}

    def parse_one(self, raw: str) -> tuple[Name, tuple[str, ...]]:
        """See :meth:`NameParser.parse_one`."""
        plain = plain_name(raw)
        if plain is not None:  # nothing to decode, no problems: no cache needed
            return plain, ()
        if raw in self._cache:
            for value in self._noisy.get(raw, ()):
                self._converter.decode_name(value)
            return super().parse_one(raw)
        self._converter.capture = []
        try:
            result = super().parse_one(raw)
        finally:
            captured, self._converter.capture = self._converter.capture, None
        if len(self._noisy) >= 4096:
            self._noisy.clear()
        if captured:
            self._noisy[raw] = tuple(captured)
        return result


def _finish(record: Record, entry: RawEntry, source: str, diagnostics: Diagnostics) -> Record:
    normalized = normalize_record(
        record, diagnostics, fallback_id=entry.key, owned=True, source=source,
        line=entry.line, column=entry.column,
    )  # fmt: skip
    return normalized if normalized is not None else record


def iter_records(
    text: str,
    *,
    source: str = "<string>",
    diagnostics: Diagnostics,
    dialect: str = "bibtex",
    extras: BibExtras | None = None,
    sentence_case: bool = False,
    macros: MacroTable | None = None,
) -> Iterator[tuple[Record, SourceLocation]]:
    """Yield ``(record, location)`` per entry, streaming when no entry uses crossref/xdata.

    Entries that use ``crossref``/``xdata`` (and, to resolve them, every later entry) are held
    back until the end of the file, because a parent may follow its children.

    Args:
        text: The ``.bib`` text.
        source: File name for diagnostics and locations.
        diagnostics: Where problems are reported.
        dialect: ``bibtex`` or ``biblatex`` (name particles, see :mod:`citekit.mapping.names`).
        extras: Receives ``@string``/``@preamble``/``@comment`` contents.
        sentence_case: Convert English title-case titles to sentence case (as pandoc does);
            the titles as written go to ``custom["bibtex"]["original-case"]``.
        macros: The macro table to start from and update (macros of earlier files).
    """
    if dialect not in _DIALECTS:
        diagnostics.warning(
            "bibtex.unknown-dialect", f"unknown dialect {dialect!r}; read as 'bibtex'",
            source=source,
        )  # fmt: skip
        dialect = "bibtex"
    for _, record, location in iter_records_many(
        [(text, source, extras)],
        diagnostics=diagnostics,
        dialect=dialect,
        sentence_case=sentence_case,
        macros=macros,
    ):
        yield record, location


def iter_records_many(
    parts: Iterable[tuple[str, str, BibExtras | None]],
    *,
    diagnostics: Diagnostics,
    dialect: str = "bibtex",
    sentence_case: bool = False,
    macros: MacroTable | None = None,
) -> Iterator[tuple[int, Record, SourceLocation]]:
    r"""The records of several ``.bib`` texts read as one database, as BibTeX reads ``\bibdata``.

    ``@string`` macros carry from one text to the next (a redefinition wins for the entries
    after it) and ``crossref``/``xdata`` parents are found in any text; every location and
    diagnostic names its own text. Entries that use ``crossref``/``xdata``, and every entry
    after the first of them, are held back until the end.

    Args:
        parts: ``(text, source, extras)`` per file, in order (taken lazily).
        diagnostics: Where problems are reported.
        dialect: ``bibtex`` or ``biblatex``.
        sentence_case: See :func:`iter_records`.
        macros: The macro table to start from and update (a fresh one when ``None``).

    Yields:
        ``(index of the part, record, location)``.
    """
    if dialect not in _DIALECTS:
        diagnostics.warning(
            "bibtex.unknown-dialect", f"unknown dialect {dialect!r}; read as 'bibtex'",
        )  # fmt: skip
        dialect = "bibtex"
    table = macros if macros is not None else MacroTable()
    converter = _Converter("<string>", diagnostics, dialect, sentence_case)
    held: list[tuple[int, str, RawEntry]] = []
    by_key: dict[str, Inheritable] = {}
    for index, (text, source, extras) in enumerate(parts):
        for entry in iter_entries(
            text, source=source, diagnostics=diagnostics, extras=extras, macros=table
        ):
            keep_writable_macros(entry, table)
            by_key.setdefault(entry.key, Inheritable(entry.type, entry.key, entry.fields, {}))
            if held or "crossref" in entry.fields or "xdata" in entry.fields:
                held.append((index, source, entry))
                continue
            yield index, *_one(converter, entry, {}, source, diagnostics)
    if not held:
        return

    first: dict[str, tuple[int, str, RawEntry]] = {}  # key → its first held entry

    def report(key: str, code: str, message: str, field: str | None) -> None:
        if not first:  # built once, when the first problem is reported
            for item in held:
                first.setdefault(item[2].key, item)
        found = first.get(key)
        converter.entry = found[2] if found else None
        converter.source = found[1] if found else converter.source
        converter.report(code, message, field)

    resolve_inheritance(by_key, report)
    for index, source, entry in held:
        item = by_key.get(entry.key)
        inherited = item.inherited if item is not None and item.fields is entry.fields else {}
        yield index, *_one(converter, entry, inherited, source, diagnostics)


def _one(
    converter: _Converter,
    entry: RawEntry,
    inherited: dict[str, str],
    source: str,
    diagnostics: Diagnostics,
) -> tuple[Record, SourceLocation]:
    converter.source = source
    try:
        record = converter.convert(entry, entry.fields, inherited)
    except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
        diagnostics.error(
            "bibtex.internal", f"could not convert entry: {type(exc).__name__}: {exc}",
            source=source, line=entry.line, column=entry.column, key=entry.key,
        )  # fmt: skip
        record = {
            "id": entry.key, "type": "document",
            "custom": {"bibtex": {"type": entry.type, "key": entry.key,
                                  "fields": dict(entry.fields)}},
        }  # fmt: skip
    return _finish(record, entry, source, diagnostics), SourceLocation(
        source, entry.line, entry.column
    )


@collector_paused()  # the records are trees: collections while building find nothing
def read_text(
    text: str,
    *,
    source: str = "<string>",
    diagnostics: Diagnostics,
    dialect: str = "bibtex",
    sentence_case: bool = False,
    macros: Mapping[str, str] | None = None,
    **options: object,
) -> Library:
    """Read a whole ``.bib`` text into a :class:`~citekit.model.Library`.

    Args:
        text: The ``.bib`` text.
        source: File name for diagnostics and locations.
        diagnostics: Where problems are reported (``api`` copies them onto the library).
        dialect: ``bibtex`` (default) or ``biblatex``.
        sentence_case: Convert English titles to sentence case (off by default: lossless).
        macros: Macros defined before this text (lower-case name → value), e.g. those of an
            ``abbrev.bib`` read first; a :class:`MacroTable` passed here is updated in place.
        **options: Unknown options are reported and ignored.

    Returns:
        The records in file order, their locations, and the file's macros/preambles/comments.
    """
    for name in options:
        diagnostics.warning(
            "bibtex.unknown-option", f"unknown reader option {name!r} ignored", source=source
        )
    library = Library()
    table = macros if isinstance(macros, MacroTable) else MacroTable(macros or {})
    for record, location in iter_records(
        text,
        source=source,
        diagnostics=diagnostics,
        dialect=dialect,
        extras=library.extras,
        sentence_case=sentence_case,
        macros=table,
    ):
        library.add(record, location)
    return library


@collector_paused()  # the records are trees: collections while building find nothing
def read_texts(
    parts: Iterable[tuple[str, str]],
    *,
    diagnostics: Diagnostics,
    dialect: str = "bibtex",
    sentence_case: bool = False,
    macros: Mapping[str, str] | None = None,
    **options: object,
) -> list[Library]:
    """Read several ``.bib`` texts as one database (shared macros, crossref across files).

    Args:
        parts: ``(text, source)`` per file in reading order (taken lazily, one at a time).
        diagnostics: Where problems are reported.
        dialect: ``bibtex`` (default) or ``biblatex``.
        sentence_case: See :func:`read_text`.
        macros: Macros defined before the first text; a :class:`MacroTable` is updated.
        **options: Unknown options are reported and ignored.

    Returns:
        One library per text, in order, each with its own records, locations and extras.
    """
    libraries: list[Library] = []

    def with_extras() -> Iterator[tuple[str, str, BibExtras | None]]:
        for text, source in parts:
            for name in options:
                diagnostics.warning(
                    "bibtex.unknown-option",
                    f"unknown reader option {name!r} ignored",
                    source=source,
                )
            libraries.append(Library())
            yield text, source, libraries[-1].extras

    table = macros if isinstance(macros, MacroTable) else MacroTable(macros or {})
    for index, record, location in iter_records_many(
        with_extras(),
        diagnostics=diagnostics,
        dialect=dialect,
        sentence_case=sentence_case,
        macros=table,
    ):
        libraries[index].add(record, location)
    return libraries


def iter_segments(*args: Any, **kwargs: Any) -> Iterator[tuple[Record, SourceLocation]]:
    """Streaming read of a ``.bib`` file in pieces (see :mod:`citekit.readers._bibtex_stream`)."""
    from citekit.readers._bibtex_stream import iter_segments as stream

    return stream(*args, **kwargs)


def iter_segments_many(*args: Any, **kwargs: Any) -> Iterator[tuple[int, Record, SourceLocation]]:
    """Streaming read of several ``.bib`` files as one database (shared macros, crossref)."""
    from citekit.readers._bibtex_stream import iter_segments_many as stream

    return stream(*args, **kwargs)

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

import bisect
import itertools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from citekit.errors import Diagnostic, Diagnostics
from citekit.mapping.inherit import Inheritable, resolve_inheritance
from citekit.model import BibExtras, Record, SourceLocation
from citekit.readers._bibtex_shared import MacroTable, keep_writable_macros
from citekit.readers.bibtex import _DIALECTS, _Converter, _one
from citekit.syntax.bibtex import RawEntry, iter_entries_segmented
from citekit.syntax.segments import BLOCK_LINE as _BLOCK_LINE

if TYPE_CHECKING:  # the parallel module (and its pool) loads only when workers are used
    from citekit.readers._bibtex_parallel import Resolution, Serialise

__all__ = ["iter_segments", "iter_segments_many"]

Segments = Callable[[], Iterator[tuple[str, int]]]
_HEAD_LINE = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]\s*([^,\s{}()=\"#%']*)", re.MULTILINE)
_HEAD = re.compile(r"[ \t]*@[ \t]*([A-Za-z]+)[ \t]*[{(]\s*([^,\s{}()=\"#%']*)")
_REF = re.compile(r"(?i)\b(?:crossref|xdata)\s*=\s*(?:\{([^{}]*)\}|\"([^\"]*)\"|([^\s,}#]+))")


class _Discard(dict[str, str]):
    """A mapping that forgets what is stored in it."""

    def __setitem__(self, key: str, value: str) -> None:
        pass

    def setdefault(self, key: str, default: str = "", /) -> str:
        return default


class _DiscardList(list[str]):
    """A list that forgets what is appended to it."""

    def append(self, item: str) -> None:
        pass


def _ref_matches(text: str) -> list[re.Match[str]]:
    """``list(_REF.finditer(text))``, found by a plain substring search first.

    The case-insensitive pattern alone costs as much as tokenizing, and so does lower-casing
    a text that is not all ASCII; the two names are looked up in the ASCII-lower-cased
    UTF-8 bytes instead (no other character case-folds to a letter of ``crossref`` or
    ``xdata`` than ``ſ``, for which the pattern runs on its own) and the pattern is tried
    only there.
    """
    if "\u017f" in text:
        return list(_REF.finditer(text))
    raw = text.encode("utf-8", "surrogatepass").lower()
    if b"crossref" not in raw and b"xdata" not in raw:
        return []
    ascii_only = len(raw) == len(text)
    starts = sorted(at for name in (b"crossref", b"xdata") for at in _find_all(raw, name))
    found: list[re.Match[str]] = []
    end = 0
    done_bytes = done_chars = 0  # a byte offset and the character offset it corresponds to
    for at in starts:
        if not ascii_only:  # an ASCII byte is always a character boundary
            done_chars += len(raw[done_bytes:at].decode("utf-8", "surrogatepass"))
            done_bytes = at
            at = done_chars
        if at < end:
            continue  # inside the previous match, which finditer would not look into
        match = _REF.match(text, at)  # ``\b`` looks at the character before ``at``
        if match is not None:
            found.append(match)
            end = match.end()
    return found


def _find_all(text: bytes, word: bytes) -> Iterator[int]:
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


_HEAD_NL = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]\s*([^,\s{}()=\"#%']*)")
_BLOCK_NL = re.compile(r"\n[ \t]*@\w*[ \t]*[{(]")
# ``^`` with re.MULTILINE is tried at every character (about 10 ns each); a pattern that
# starts with a literal newline is searched for at C speed, so the first line is looked at
# on its own and the rest through the newline before each line.


def _head_keys(text: str) -> list[str]:
    """``_HEAD_LINE.findall(text)``: the keys of the lines that start a block."""
    first = _HEAD_LINE.match(text)
    if first is None:
        return _HEAD_NL.findall(text)
    keys: list[str] = _HEAD_NL.findall(text, first.end())
    keys.insert(0, first.group(1))
    return keys


def _block_starts(text: str) -> list[int]:
    """``[m.start() for m in BLOCK_LINE.finditer(text)]``: the offsets of the block lines."""
    starts = [match.start() + 1 for match in _BLOCK_NL.finditer(text)]
    if _BLOCK_LINE.match(text) is not None:
        starts.insert(0, 0)
    return starts


_SEEN_BITS = 1 << 23
"""Bits of the map that tells keys seen before (1 MB, whatever the size of the input)."""


def _scan_refs(parts: list[tuple[Segments, str]]) -> tuple[set[str], set[str]] | None:
    """Keys that look referenced by crossref/xdata (case-folded) and keys maybe written twice.

    ``None`` when no crossref/xdata field appears at all (the files are then read once).
    Both sets may hold more keys than needed (they only decide which blocks the first pass
    keeps, and keeping more is safe): keys written twice are told by a fixed-size map of
    key hashes, so this scan holds no per-entry memory (a hash clash only keeps a block).
    """
    found: set[str] | None = None
    seen = bytearray(_SEEN_BITS >> 3)
    mask = _SEEN_BITS - 1
    twice: set[str] = set()
    for open_segments, _ in parts:
        for text, _ in open_segments():
            for match in _ref_matches(text):
                found = found if found is not None else set()
                value = next(g for g in match.groups() if g is not None)
                found.update(k.strip().casefold() for k in value.split(",") if k.strip())
            for key in _head_keys(text):
                bit = hash(key) & mask
                if seen[bit >> 3] & (1 << (bit & 7)):
                    twice.add(key)
                else:
                    seen[bit >> 3] |= 1 << (bit & 7)
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
        matches = _ref_matches(text)
        uses = [match.start() for match in matches]
        ends = [match.end() for match in matches]  # sorted too: the matches do not overlap
        starts = _block_starts(text)
        bounds = [0, *starts, len(text)] if not starts or starts[0] else [*starts, len(text)]
        parts: list[str] = []
        blank = 0  # start of the run of blanked blocks not yet written
        for start, end in itertools.pairwise(bounds):
            head = _HEAD.match(text, start)
            keep = head is not None and (
                head.group(1).lower() == "string"
                or head.group(2).casefold() in refs
                or head.group(2) in twice
                or _overlaps(uses, ends, start, end)
            )
            if keep:
                parts.append("\n" * text.count("\n", blank, start))
                parts.append(text[start:end])
                blank = end
        parts.append("\n" * text.count("\n", blank, len(text)))
        yield "".join(parts), first_line


def _overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Whether a match (``starts[i]:ends[i]``) overlaps ``start:end``.

    A match that began in an earlier block and runs into this one counts too, so every
    block in which ``_REF.search`` alone would find a match is kept (keeping more is safe).
    """
    index = bisect.bisect_right(ends, start)
    return index < len(starts) and starts[index] < end


def _ref_keys(fields: dict[str, str]) -> set[str]:
    keys = {k.strip().casefold() for k in fields.get("xdata", "").split(",") if k.strip()}
    crossref = fields.get("crossref", "").strip()
    if crossref:
        keys.add(crossref.casefold())
    return keys


Resolved = dict[tuple[int, str, int], tuple[dict[str, str], dict[str, str]]]


def _resolve(
    parts: list[tuple[Segments, str]], converter: _Converter, macros: MacroTable
) -> Resolved:
    """(part, key, line) → (fields, inherited) of every entry whose fields inheritance changes.

    The files are one database: a parent may be in any of them (the first entry of a key,
    over all files, is the one that counts), and macros carry from file to file.
    """
    scanned = _scan_refs(parts)
    if scanned is None:
        return {}
    refs, twice = scanned
    while True:
        store: dict[str, Inheritable] = {}
        entries: dict[str, tuple[int, str, RawEntry]] = {}
        seen: set[str] = set()
        wanted: set[str] = set()
        table = macros.copy()
        for index, (open_segments, source) in enumerate(parts):
            for entry in iter_entries_segmented(
                _relevant(open_segments(), refs, twice),
                source=source,
                diagnostics=Diagnostics(),
                macros=table,
            ):
                if entry.key in seen:
                    continue  # only the first entry of a key takes part, as in iter_records
                seen.add(entry.key)
                uses = "crossref" in entry.fields or "xdata" in entry.fields
                if uses:
                    wanted |= _ref_keys(entry.fields)
                if uses or entry.key.casefold() in refs:
                    store[entry.key] = Inheritable(entry.type, entry.key, entry.fields, {})
                    entries[entry.key] = (index, source, entry)
        if wanted <= refs:
            break
        refs |= wanted  # a reference the quick scan missed (e.g. through a macro)

    def report(key: str, code: str, message: str, field: str | None) -> None:
        found = entries.get(key)
        converter.entry = found[2] if found else None
        converter.source = found[1] if found else converter.source
        converter.report(code, message, field)

    resolve_inheritance(store, report)
    return {
        (entries[key][0], key, entries[key][2].line): (item.fields, item.inherited)
        for key, item in store.items()
        if "crossref" in item.fields or "xdata" in item.fields
    }


def _check_options(
    options: dict[str, object], dialect: str, source: str, diagnostics: Diagnostics
) -> str:
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
        return "bibtex"
    return dialect


def iter_segments(
    open_segments: Segments,
    *,
    source: str = "<string>",
    diagnostics: Diagnostics,
    dialect: str = "bibtex",
    extras: BibExtras | None = None,
    sentence_case: bool = False,
    macros: Mapping[str, str] | None = None,
    jobs: int = 1,
    serialise: Serialise | None = None,
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
        macros: Macros defined before this file; a :class:`MacroTable` is updated in place.
        jobs: Worker processes (see :func:`iter_segments_many`).
        serialise: See :func:`iter_segments_many` (records then come as ``(id, text)``).
        **options: Unknown options are reported and ignored.
    """
    for _, record, location in iter_segments_many(
        [(open_segments, source)],
        diagnostics=diagnostics,
        dialect=dialect,
        extras=extras,
        sentence_case=sentence_case,
        macros=macros,
        jobs=jobs,
        serialise=serialise,
        **options,
    ):
        yield record, location


def iter_segments_many(
    parts: Sequence[tuple[Segments, str]],
    *,
    diagnostics: Diagnostics,
    dialect: str = "bibtex",
    extras: BibExtras | None = None,
    sentence_case: bool = False,
    macros: Mapping[str, str] | None = None,
    jobs: int = 1,
    serialise: Serialise | None = None,
    **options: object,
) -> Iterator[tuple[int, Any, SourceLocation]]:
    """Stream several ``.bib`` files as one database (macros and crossref shared, in order).

    Args:
        parts: ``(open_segments, source)`` per file, in reading order.
        diagnostics: Where problems are reported.
        dialect: ``bibtex`` or ``biblatex``.
        extras: Receives the ``@string``/``@preamble``/``@comment`` contents of every file.
        sentence_case: See :func:`citekit.readers.bibtex.read_text`.
        macros: Macros defined before the first file; a :class:`MacroTable` is updated.
        jobs: Worker processes that parse the segments (``1``: this process only); the
            records, locations and diagnostics are the same either way
            (:mod:`citekit.readers._bibtex_parallel`).
        serialise: A picklable function that turns a record into text (e.g. a writer's
            one-record serialiser): then ``(record id, serialise(record))`` is yielded
            instead of each record, computed in the worker processes when there are any.
            With worker processes and a serialiser that has a ``separator``
            (:class:`citekit._stream_csljson.ItemSerialiser`), consecutive records may come
            as one :class:`citekit._stream_ids.SerialisedRun`.
        **options: Unknown options are reported and ignored.

    Yields:
        ``(index of the file in parts, record, location)``; with ``serialise`` the record is
        a :data:`~citekit.readers._bibtex_parallel.Serialised` ``(id, text)`` pair.
    """
    from citekit.readers._bibtex_parallel import Resolution

    for _, source in parts:
        dialect = _check_options(dict(options), dialect, source, diagnostics)
    table = macros if isinstance(macros, MacroTable) else MacroTable(macros or {})
    first = parts[0][1] if parts else "<string>"
    converter = _Converter(first, diagnostics, dialect, sentence_case)
    if jobs > 1:
        from citekit._parallel import fork_available

        start = table.copy()

        def compute() -> tuple[Resolved, list[Diagnostic]]:
            sink = Diagnostics()
            own = _Converter(first, sink, dialect, sentence_case)
            return _resolve(list(parts), own, start), sink.items

        # The crossref pre-pass reads the files twice: in a child process, while the
        # workers already parse (it cost the parent a third of its time).
        resolution = Resolution(compute, background=fork_available())
    else:
        resolution = Resolution(
            lambda: (_resolve(list(parts), converter, table), []), background=False
        )
    try:
        yield from _records(
            parts, resolution, table, converter, diagnostics, extras, jobs, serialise
        )
    finally:
        resolution.close()


def _records(
    parts: Sequence[tuple[Segments, str]],
    resolution: Resolution,
    table: MacroTable,
    converter: _Converter,
    diagnostics: Diagnostics,
    extras: BibExtras | None,
    jobs: int,
    serialise: Serialise | None,
) -> Iterator[tuple[int, Any, SourceLocation]]:
    from citekit.readers._bibtex_parallel import iter_parallel

    resolved = resolution.known or {}
    wanted = extras
    if extras is None:  # nobody wants them: do not let them grow with the file
        extras = BibExtras(_Discard(), _DiscardList(), _DiscardList())
    for index, (open_segments, source) in enumerate(parts):
        if jobs > 1:
            yield from iter_parallel(
                open_segments, index=index, source=source, macros=table, resolved=resolution,
                converter=converter, diagnostics=diagnostics, extras=wanted, jobs=jobs,
                serialise=serialise,
            )  # fmt: skip
            continue
        for entry in iter_entries_segmented(
            open_segments(), source=source, diagnostics=diagnostics, extras=extras, macros=table
        ):
            keep_writable_macros(entry, table)
            inherited: dict[str, str] = {}
            hit = resolved.get((index, entry.key, entry.line))
            if hit is not None:
                entry.fields, inherited = hit
            record, where = _one(converter, entry, inherited, source, diagnostics)
            if serialise is None:
                yield index, record, where
            else:
                yield index, (str(record.get("id", "")), serialise(record)), where

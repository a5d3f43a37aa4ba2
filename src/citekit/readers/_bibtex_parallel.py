"""Parallel streaming ``.bib`` reading: segments parsed, mapped and normalised in worker processes.

The parent reads the file in segments (:mod:`citekit.syntax.segments`), evaluates the
``@string`` blocks of each segment in order (cheap: every other block is skipped) and ships
the segment with the macro table *as of its start* and the crossref/xdata resolutions of its
entries (from the serial pre-pass). A worker tokenizes, maps and normalises the segment
exactly as the serial reader does and returns each record with the diagnostics reported up
to it; the parent replays them in order, so records, locations and diagnostics (and strict
mode's first error) are those of the serial reader. See :mod:`citekit._parallel`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from citekit._parallel import ordered_map
from citekit.errors import Diagnostic, Diagnostics
from citekit.model import BibExtras, Record, SourceLocation
from citekit.readers._bibtex_shared import MacroTable, keep_writable_macros
from citekit.readers.bibtex import _Converter, _one
from citekit.syntax.bibtex import iter_entries_segmented
from citekit.syntax.segments import BLOCK_LINE

__all__ = ["iter_parallel"]

Segments = Callable[[], Iterator[tuple[str, int]]]
Resolved = dict[tuple[int, str, int], tuple[dict[str, str], dict[str, str]]]
_STRING_HINT = re.compile(r"^[ \t]*@[ \t]*string[ \t]*[{(]", re.IGNORECASE | re.MULTILINE)


@dataclass(slots=True)
class _Task:
    text: str
    first_line: int
    index: int
    source: str
    macros: MacroTable
    dialect: str
    sentence_case: bool
    resolved: Resolved
    extras: bool


@dataclass(slots=True)
class _Done:
    items: list[tuple[Record, SourceLocation, list[Diagnostic]]] = field(default_factory=list)
    tail: list[Diagnostic] = field(default_factory=list)
    extras: BibExtras | None = None


_CONVERTERS: dict[tuple[str, str, bool], _Converter] = {}


def _parse(task: _Task) -> _Done:
    """Worker: the records of one segment, each with the diagnostics reported before it."""
    sink = Diagnostics()
    key = (task.source, task.dialect, task.sentence_case)
    converter = _CONVERTERS.get(key)
    if converter is None:
        _CONVERTERS.clear()
        converter = _CONVERTERS[key] = _Converter(
            task.source, sink, task.dialect, task.sentence_case
        )
    converter.diagnostics = sink
    done = _Done(extras=BibExtras() if task.extras else None)
    table = task.macros
    mark = 0
    for entry in iter_entries_segmented(
        [(task.text, task.first_line)],
        source=task.source,
        diagnostics=sink,
        extras=done.extras,
        macros=table,
    ):
        keep_writable_macros(entry, table)
        inherited: dict[str, str] = {}
        hit = task.resolved.get((task.index, entry.key, entry.line))
        if hit is not None:
            entry.fields, inherited = hit
        record, where = _one(converter, entry, inherited, task.source, sink)
        done.items.append((record, where, sink.items[mark:]))
        mark = len(sink.items)
    done.tail = sink.items[mark:]
    return done


def _advance(text: str, first_line: int, source: str, table: MacroTable) -> None:
    """Evaluate the ``@string`` blocks of ``text`` into ``table`` (everything else skipped)."""
    if _STRING_HINT.search(text) is None:
        return
    starts = [m.start() for m in BLOCK_LINE.finditer(text)]
    bounds = [0, *starts, len(text)] if not starts or starts[0] else [*starts, len(text)]
    kept = []
    for start, end in itertools.pairwise(bounds):
        piece = text[start:end]
        kept.append(piece if _STRING_HINT.match(piece) else "\n" * piece.count("\n"))
    for _ in iter_entries_segmented(
        [("".join(kept), first_line)], source=source, diagnostics=Diagnostics(), macros=table
    ):
        pass


def _subset(resolved: Resolved, index: int, first_line: int, text: str) -> Resolved:
    if not resolved:
        return {}
    last = first_line + text.count("\n") + 1
    return {k: v for k, v in resolved.items() if k[0] == index and first_line < k[2] <= last}


def iter_parallel(
    open_segments: Segments,
    *,
    index: int,
    source: str,
    macros: MacroTable,
    resolved: Resolved,
    converter: _Converter,
    diagnostics: Diagnostics,
    extras: BibExtras | None,
    jobs: int,
) -> Iterator[tuple[int, Record, SourceLocation]]:
    """The records of one file, parsed by ``jobs`` processes, as the serial loop yields them.

    ``macros`` is the table as of the file's start and is left as of its end.
    """

    def tasks() -> Iterator[_Task]:
        for text, first_line in open_segments():
            snapshot = macros.copy()
            _advance(text, first_line, source, macros)
            yield _Task(
                text, first_line, index, source, snapshot, converter.dialect,
                converter.sentence_case, _subset(resolved, index, first_line, text),
                extras is not None,
            )  # fmt: skip

    for done in ordered_map(_parse, tasks(), jobs=jobs):
        for record, where, found in done.items:
            diagnostics.extend(found)
            yield index, record, where
        diagnostics.extend(done.tail)
        if extras is not None and done.extras is not None:
            for name, raw in done.extras.strings.items():
                extras.strings.setdefault(name, raw)
            extras.preambles.extend(done.extras.preambles)
            extras.comments.extend(done.extras.comments)

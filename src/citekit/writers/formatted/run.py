"""Formatting entry points below the API: records + resolved style path -> results."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from citekit._parallel import fork_available, worker_count
from citekit.errors import Diagnostic, Diagnostics
from citekit.model import Library, Record
from citekit.writers.formatted.engine import LOCK, load_style
from citekit.writers.formatted.markup import OUTPUTS, render
from citekit.writers.formatted.results import (
    CiteItem,
    FormattedBibliography,
    FormattedCitations,
    FormattedEntry,
)
from citekit.writers.formatted.session import LABEL_SEPARATOR, Session

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

__all__ = ["PARALLEL_MIN", "bibliography", "citations", "workers"]


def _records(data: Library | Iterable[Record]) -> list[Record]:
    return list(data.records) if isinstance(data, Library) else list(data)


def _entry_text(marked: str, output: str) -> str:
    label, sep, body = marked.partition(LABEL_SEPARATOR)
    if not sep:
        return render(marked, output)
    if output == "html":
        return (
            f'<div class="csl-left-margin">{render(label, output)}</div>'
            f'<div class="csl-right-inline">{render(body, output)}</div>'
        )
    return f"{render(label, output)} {render(body, output)}"


def _check_output(output: str) -> None:
    if output not in OUTPUTS:
        raise ValueError(f"unknown output format {output!r} (known: {', '.join(OUTPUTS)})")


def bibliography(
    records: Library | Iterable[Record],
    style_path: Path,
    *,
    output: str = "text",
    locale: str | None = None,
    ids: Sequence[str] | None = None,
    jobs: int | None = None,
) -> FormattedBibliography:
    """Format a bibliography of ``records`` (all of them, or ``ids`` in that order).

    With ``jobs`` > 1 and at least :data:`PARALLEL_MIN` entries, entries are rendered by that
    many processes (sorting and disambiguation stay in this one, so output is identical);
    ``jobs`` ``None`` or ``0`` chooses automatically (see :func:`workers`).

    Raises:
        StyleError: The style cannot be loaded.
        ValueError: ``output`` is not one of :data:`OUTPUTS`.
    """
    _check_output(output)
    diagnostics = Diagnostics()
    with LOCK:
        style = load_style(style_path, locale)
        diagnostics.extend(style.warnings)
        all_records = _records(records)
        session = Session(style, all_records, diagnostics)
        wanted = list(ids) if ids is not None else session.ids
        for missing in (i for i in wanted if i not in session.key_of):
            diagnostics.warning("format.unknown-key", "id not in the library", key=missing)
        session.register(wanted)
        processes = workers(jobs, len(session.bib.items))
        if processes > 1:
            marked = _parallel(session, style_path, locale, all_records, processes, diagnostics)
        else:
            marked = session.entries()
        entries = [FormattedEntry(i, _entry_text(t, output)) for i, t in marked]
    return FormattedBibliography(entries, output, style_path.stem, style.locale, diagnostics.items)


PARALLEL_MIN = 200
"""Below this many entries, starting processes costs more than it saves."""


def workers(jobs: int | None, entries: int) -> int:
    """Processes to render ``entries`` bibliography entries with (``1``: this one only).

    ``jobs`` ``None``/``0`` is automatic: forked workers on every CPU, from
    :data:`PARALLEL_MIN` entries on and only while the load average leaves half a CPU idle
    (:func:`citekit._parallel.worker_count`). ``n`` > 1 uses ``n`` processes from
    :data:`PARALLEL_MIN` entries on (a spawned pool where fork is not available).
    """
    if jobs is not None and jobs < 0:
        raise ValueError(f"jobs must be >= 0, not {jobs}")
    if not jobs:
        return worker_count(None, entries, minimum=PARALLEL_MIN)
    return jobs if entries >= PARALLEL_MIN else 1


def _render_chunk(
    job: tuple[str, str | None, list[Record], list[str], dict[str, str], list[str], int, int],
) -> tuple[list[tuple[str, str]], list[Diagnostic]]:
    path, locale, records, order, suffixes, flagged, start, stop = job
    diagnostics = Diagnostics()
    with LOCK:
        session = Session(load_style(Path(path), locale), records, Diagnostics())
        session.diagnostics = diagnostics
        session.adopt(order, suffixes, flagged)
        return session.entries(start, stop), diagnostics.items


def _can_fork() -> bool:
    """Whether worker processes can be forked safely (Linux, and :func:`fork_available`)."""
    return sys.platform.startswith("linux") and fork_available()


def _forked_child(session: Session, start: int, stop: int, conn: Connection) -> None:
    """Render entries ``[start:stop]`` of an inherited session and send them to the parent."""
    diagnostics = Diagnostics()
    session.diagnostics = diagnostics
    try:
        conn.send((session.entries(start, stop), diagnostics.items))
    finally:
        conn.close()


def _forked(session: Session, jobs: int) -> list[tuple[str, str]]:
    """Render the entries in ``jobs`` chunks: the first here, the others in forked children.

    The children inherit the loaded style and the sorted, disambiguated session (nothing is
    pickled but the rendered text); a child that fails is replaced by rendering its chunk here.
    Entries and diagnostics come back in bibliography order, as in a serial run.
    """
    total = len(session.bib.items)
    size = -(-total // jobs)
    bounds = [(start, min(start + size, total)) for start in range(0, total, size)]
    import multiprocessing  # only when workers start: keeps `citekit format` start-up light

    context = multiprocessing.get_context("fork")
    children = []
    for start, stop in bounds[1:]:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_forked_child, args=(session, start, stop, send))
        child.daemon = True
        child.start()
        send.close()
        children.append((child, receive, start, stop))
    marked = session.entries(*bounds[0])
    for child, receive, start, stop in children:
        try:
            part, found = receive.recv()
        except (EOFError, OSError):  # the child died: render its chunk here
            part, found = None, []
        finally:
            receive.close()
            child.join()
        if part is None:
            part = session.entries(start, stop)
        marked.extend(part)
        session.diagnostics.extend(found)
    return marked


def _parallel(
    session: Session,
    style_path: Path,
    locale: str | None,
    records: list[Record],
    jobs: int,
    diagnostics: Diagnostics,
) -> list[tuple[str, str]]:
    if _can_fork():
        return _forked(session, jobs)
    order, suffixes, flagged = session.state()
    size = -(-len(order) // jobs)
    chunks = [
        (str(style_path), locale, records, order, suffixes, flagged, start, start + size)
        for start in range(0, len(order), size)
    ]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    marked: list[tuple[str, str]] = []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for part, found in pool.map(_render_chunk, chunks):
            marked.extend(part)
            diagnostics.extend(found)
    return marked


def citations(
    records: Library | Iterable[Record],
    cites: Sequence[Sequence[str | CiteItem]],
    style_path: Path,
    *,
    output: str = "text",
    locale: str | None = None,
) -> FormattedCitations:
    """Format in-text citations in document order (each citation is a sequence of ids/CiteItems).

    Raises:
        StyleError: The style cannot be loaded.
        ValueError: ``output`` is not one of :data:`OUTPUTS`.
    """
    _check_output(output)
    diagnostics = Diagnostics()
    normalised = [
        [c if isinstance(c, CiteItem) else CiteItem(str(c)) for c in cite] for cite in cites
    ]
    with LOCK:
        style = load_style(style_path, locale)
        diagnostics.extend(style.warnings)
        session = Session(style, _records(records), diagnostics)
        session.register(list(dict.fromkeys(c.id for cite in normalised for c in cite)))
        rendered: list[str] = []
        for cite in normalised:
            marked = session.citation(cite)
            rendered.append("" if marked is None else render(marked, output))
        entries = [FormattedEntry(i, _entry_text(t, output)) for i, t in session.entries()]
    return FormattedCitations(
        rendered, output, style_path.stem, style.locale, entries, diagnostics.items
    )

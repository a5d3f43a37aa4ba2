"""What a LaTeX paper cites: the cited records of a library, with crossref parents and misses.

:func:`citekit.api.cited_library` reads the paper's ``.aux``/``.bcf`` and its libraries; this
module selects from the library what the paper cites (issue 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from citekit.errors import Diagnostics
from citekit.model import Library
from citekit.syntax.aux import AuxCitation, AuxData

__all__ = ["MissingCitation", "select_cited"]

_PARENT_FIELDS = ("crossref", "xdata", "xref")


@dataclass(frozen=True, slots=True)
class MissingCitation:
    """A key the paper cites that no library holds, with every place it is cited."""

    key: str
    places: tuple[AuxCitation, ...]

    def __str__(self) -> str:
        where = ", ".join(
            f"{place.source}:{place.line}" if place.line else place.source for place in self.places
        )
        return f"{self.key} (cited at {where})"


def _parents(record: dict[str, Any]) -> list[str]:
    """Keys named by ``crossref``/``xdata``/``xref`` in a record (or its raw bib fields)."""
    found: list[str] = []
    custom = record.get("custom")
    bib = custom.get("bibtex") if isinstance(custom, dict) else None
    fields = bib.get("fields") if isinstance(bib, dict) else None
    sources = [record]
    extra = custom.get("extra-variables") if isinstance(custom, dict) else None
    if isinstance(extra, dict):
        sources.append({str(name).lower(): value for name, value in extra.items()})
    if isinstance(fields, dict):
        sources.append({str(name).lower(): value for name, value in fields.items()})
    for source in sources:
        for name in _PARENT_FIELDS:
            value = source.get(name)
            if isinstance(value, str):
                found.extend(part.strip(" {}") for part in value.split(",") if part.strip(" {}"))
    return found


def select_cited(
    full: Library, aux: AuxData, diagnostics: Diagnostics, *, source: str
) -> tuple[Library, list[MissingCitation]]:
    r"""The records of ``full`` that ``aux`` cites, and the cited keys ``full`` lacks.

    Keys are matched exactly, then case-insensitively (as BibTeX does) with a warning;
    records named by a cited record's ``crossref``/``xdata``/``xref`` are added. Every
    missing key gets an ``aux.missing-key`` error in ``diagnostics``, and the returned
    library carries ``full``'s diagnostics followed by those of ``diagnostics``. ``source``
    (the paper's ``.aux``/``.bcf`` path) locates a missing crossref parent, which no
    ``\citation`` does.
    """
    by_id = {record_id: index for index, record_id in reversed(list(enumerate(full.ids)))}
    folded = {record_id.casefold(): index for record_id, index in reversed(by_id.items())}
    wanted: dict[int, None] = {}
    missing: dict[str, list[AuxCitation]] = {}
    if aux.cite_all:
        wanted.update((index, None) for index in range(len(full.records)))
    for citation in aux.citations:
        if citation.key == "*":
            continue
        index = by_id.get(citation.key)
        if index is None and citation.key.casefold() in folded:
            index = folded[citation.key.casefold()]
            diagnostics.warning(
                "aux.key-case",
                f"cited as {citation.key!r} but the library has {full.ids[index]!r}",
                source=citation.source,
                line=citation.line,
                key=citation.key,
            )
        if index is None:
            missing.setdefault(citation.key, []).append(citation)
        else:
            wanted.setdefault(index, None)
    queue = list(wanted)
    while queue:
        for parent in _parents(full.records[queue.pop()]):
            index = by_id.get(parent, folded.get(parent.casefold()))
            if index is None:
                missing.setdefault(parent, [])
            elif index not in wanted:
                wanted[index] = None
                queue.append(index)
    out = Library(diagnostics=list(full.diagnostics), extras=full.extras)
    for index in sorted(wanted):
        out.add(full.records[index], full.locations[index])
    result = [MissingCitation(key, tuple(places)) for key, places in missing.items()]
    for item in result:
        first = item.places[0] if item.places else None
        how = "cited" if item.places else "named as a crossref/xdata parent"
        diagnostics.error(
            "aux.missing-key",
            f"{item.key!r} is {how} but not in any library"
            + (
                f" (also cited at {len(item.places) - 1} more places)"
                if len(item.places) > 1
                else ""
            ),
            source=first.source if first else source,
            line=first.line if first else None,
            key=item.key,
        )
    out.diagnostics.extend(diagnostics.items)
    return out, result

"""crossref and xdata inheritance between raw entries, with biblatex's renaming rules.

A child inherits every field it lacks from its ``xdata`` sources and its ``crossref``
parent; ``title`` of a ``@proceedings`` parent becomes ``booktitle`` of an
``@inproceedings`` child, and so on (:data:`~citekit.mapping.bib_tables.INHERIT_RULES`).
Parents are resolved first (chains work); cycles and missing parents are reported.
Keys are matched exactly, then case-insensitively (as BibTeX does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from citekit.mapping.bib_tables import INHERIT_NEVER, INHERIT_RULES

__all__ = ["MAX_DEPTH", "Inheritable", "resolve_inheritance"]

MAX_DEPTH = 64
"""Longest crossref/xdata chain followed (biber stops much earlier; this bounds recursion)."""

Report = Callable[[str, str, str, str | None], None]
"""``report(key, code, message, field)`` for a problem in entry ``key``."""


@dataclass(slots=True)
class Inheritable:
    """The parts of an entry inheritance needs; ``fields`` is updated in place."""

    type: str
    key: str
    fields: dict[str, str]
    inherited: dict[str, str]
    """Field → key of the entry it came from (filled here)."""


def _targets(parent_type: str, child_type: str) -> dict[str, tuple[str, ...]]:
    mapping: dict[str, tuple[str, ...]] = {}
    for rule in INHERIT_RULES:
        if parent_type in rule.parents and child_type in rule.children:
            for source, target in rule.fields:
                mapping[source] = (*mapping.get(source, ()), target)
    return mapping


def _copy(child: Inheritable, parent: Inheritable, *, renames: bool) -> None:
    targets = _targets(parent.type, child.type) if renames else {}
    fields = child.fields
    # Renamed fields first: they win over a same-named field of the parent.
    for source, names in targets.items():
        if source not in parent.fields:
            continue
        for target in names:
            if target and target not in fields:
                fields[target] = parent.fields[source]
                child.inherited[target] = parent.key
    for name, value in parent.fields.items():
        if name in INHERIT_NEVER or name in targets or name in fields:
            continue
        fields[name] = value
        child.inherited[name] = parent.key


def resolve_inheritance(entries: Mapping[str, Inheritable], report: Report) -> None:
    """Apply xdata then crossref inheritance to every entry of ``entries`` (key → entry)."""
    folded: dict[str, Inheritable] = {}
    for key, entry in entries.items():
        folded.setdefault(key.casefold(), entry)
    done: set[str] = set()

    def lookup(key: str) -> Inheritable | None:
        return entries.get(key) or folded.get(key.casefold())

    def resolve(entry: Inheritable, stack: tuple[str, ...]) -> None:
        if entry.key in done:
            return
        if entry.key in stack:
            return
        if len(stack) >= MAX_DEPTH:
            report(entry.key, "bibtex.crossref-too-deep",
                   f"crossref/xdata chain longer than {MAX_DEPTH}; not followed further",
                   "crossref")  # fmt: skip
            done.add(entry.key)
            return
        stack = (*stack, entry.key)
        xdata = entry.fields.get("xdata", "")
        for source_key in (k.strip() for k in xdata.split(",") if k.strip()):
            source = lookup(source_key)
            if source is None:
                report(entry.key, "bibtex.xdata-missing",
                       f"xdata entry {source_key!r} not found", "xdata")  # fmt: skip
                continue
            if source.key in stack:
                report(entry.key, "bibtex.xdata-cycle",
                       f"xdata cycle through {source_key!r}; not followed", "xdata")  # fmt: skip
                continue
            resolve(source, stack)
            _copy(entry, source, renames=False)
        parent_key = entry.fields.get("crossref", "").strip()
        if parent_key:
            parent = lookup(parent_key)
            if parent is None:
                report(entry.key, "bibtex.crossref-missing",
                       f"crossref parent {parent_key!r} not found", "crossref")  # fmt: skip
            elif parent.key in stack or parent is entry:
                message = f"crossref cycle through {parent_key!r}; not followed"
                report(entry.key, "bibtex.crossref-cycle", message, "crossref")
            else:
                resolve(parent, stack)
                _copy(entry, parent, renames=True)
        done.add(entry.key)

    for entry in entries.values():
        if "crossref" in entry.fields or "xdata" in entry.fields:
            resolve(entry, ())

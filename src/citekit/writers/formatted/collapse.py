"""Cite grouping and collapsing in citations (CSL 1.0.2 ``collapse``); citeproc-py has none.

* ``collapse="citation-number"``: runs of three or more consecutive numbers become
  ``first–last`` (``[1–4]``);
* ``collapse="year"``: cites whose rendered names are identical form a group and the later
  cites of a group leave their names out: ``(Doe, 2000, 2001; Roe, 1999)``;
* ``collapse="year-suffix"``: as ``year``, and a cite of the same year as the one before it
  in the group shows only its suffix: ``(Doe 2000a, b)``; ``year-suffix-ranged`` also turns
  runs of three or more suffixes into ``a–c``;
* ``cite-group-delimiter`` alone groups cites without leaving anything out.

As in citeproc-js, only adjacent cites are grouped unless the citation has a ``cs:sort``
(then a group gathers every cite with the same names at its first cite's place). Delimiters:
``cite-group-delimiter`` (default ``", "``) inside a group, ``year-suffix-delimiter`` between
collapsed suffixes (default: the cite-group delimiter when the style sets one, else the
layout's delimiter; the CSL test suite expects this), ``after-collapse-delimiter`` after a
group of several cites (default: the layout's delimiter). Cites with a locator keep their
year; a citation with cite prefixes or suffixes is left as it is.

Each cite is rendered on its own, with and without its names (the first ``cs:names`` that
renders, through :func:`names_render`); when the pieces do not join to exactly the text
citeproc-py rendered for the whole citation, the citation is left as it is.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from citeproc import model as cp_model

from citekit.writers.formatted.markup import strip_markers

__all__ = ["Cite", "Options", "collapse_numbers", "collapse_years", "names_render", "probe"]

_YEAR_COLLAPSES = ("year", "year-suffix", "year-suffix-ranged")


@dataclass
class _Probe:
    suppress: bool
    depth: int = 0
    names: str | None = None
    done: bool = False


_PROBE: _Probe | None = None


@contextlib.contextmanager
def probe(*, suppress: bool) -> Iterator[_Probe]:
    """Record (and with ``suppress`` leave out) the first ``cs:names`` output rendered."""
    global _PROBE
    previous, _PROBE = _PROBE, _Probe(suppress)
    try:
        yield _PROBE
    finally:
        _PROBE = previous


def names_render(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
    """``cs:names`` rendering that a :func:`probe` can watch (citeproc-py's otherwise)."""
    watching = _PROBE
    if watching is None or watching.done or kwargs.get("sort_options") is not None:
        return cp_model.Names.render(self, item, *args, **kwargs)
    watching.depth += 1
    try:
        text = cp_model.Names.render(self, item, *args, **kwargs)
    finally:
        watching.depth -= 1
    if watching.depth == 0 and text is not None and not watching.done:
        watching.done = True
        watching.names = str(text)
        if watching.suppress:
            return None
    return text


@dataclass(frozen=True)
class Options:
    """The grouping and collapsing options of a style's ``cs:citation``."""

    collapse: str
    layout_delimiter: str
    group_delimiter: str | None
    suffix_delimiter: str | None
    after_collapse: str | None
    sorted: bool

    @classmethod
    def of(cls, citation: Any) -> Options:
        """Read the options from a loaded style's ``cs:citation`` element."""
        return cls(
            collapse=(citation.get("collapse") or "").strip(),
            layout_delimiter=citation.layout.get("delimiter", ""),
            group_delimiter=citation.get("cite-group-delimiter"),
            suffix_delimiter=citation.get("year-suffix-delimiter"),
            after_collapse=citation.get("after-collapse-delimiter"),
            sorted=citation.find("{http://purl.org/net/xbiblio/csl}sort") is not None,
        )

    @property
    def groups(self) -> bool:
        """Whether cites are grouped by names at all."""
        return self.collapse in _YEAR_COLLAPSES or self.group_delimiter is not None

    @property
    def active(self) -> bool:
        """Whether citations are collapsed or grouped at all (an unknown value: not)."""
        return self.collapse == "citation-number" or self.groups


@dataclass
class Cite:
    """One rendered cite of a citation: whole, without its names, and what groups it."""

    full: str
    bare: str | None
    names: str | None
    suffix: str | None
    locator: bool


def collapse_numbers(pieces: Sequence[tuple[int, str]], delimiter: str) -> str:
    """Join numbered pieces in number order, runs of 3+ consecutive numbers as ranges."""
    runs: list[list[tuple[int, str]]] = []
    for number, piece in sorted(pieces):
        if runs and runs[-1][-1][0] + 1 == number:
            runs[-1].append((number, piece))
        elif not runs or runs[-1][-1][0] != number:
            runs.append([(number, piece)])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(run[0][1] + "\u2013" + run[-1][1])
        else:
            parts.extend(p for _, p in run)
    return delimiter.join(parts)


def _groups(cites: Sequence[Cite], gather: bool) -> list[list[Cite]]:
    groups: list[list[Cite]] = []
    index: dict[str, list[Cite]] = {}
    for cite in cites:
        if cite.names is not None and groups and groups[-1][0].names == cite.names:
            groups[-1].append(cite)
        elif gather and cite.names is not None and cite.names in index:
            index[cite.names].append(cite)
        else:
            groups.append([cite])
            if cite.names is not None:
                index.setdefault(cite.names, groups[-1])
    return groups


def _same_but_suffix(first: Cite, other: Cite) -> bool:
    if first.locator or other.locator or not first.suffix or not other.suffix:
        return False
    if first.bare is None or other.bare is None:
        return False
    at = _suffix_at(first.bare, first.suffix)
    if at is None:
        return False
    rest = first.bare[at + len(first.suffix) :]
    if strip_markers(rest):
        return False  # only a suffix that ends the cite can have others put after it
    return other.bare == first.bare[:at] + other.suffix + rest


def _suffix_at(text: str, suffix: str) -> int | None:
    found = None
    for match in re.finditer(r"(?<=\d)" + re.escape(suffix) + r"(?![a-z])", text):
        found = match.start()
    return found


def _runs(letters: list[str], ranged: bool) -> list[list[str]]:
    """Consecutive one-letter suffixes as runs (``ranged``), else each suffix alone."""
    runs: list[list[str]] = []
    for letter in letters:
        last = runs[-1][-1] if runs else ""
        if ranged and len(letter) == len(last) == 1 and ord(letter) == ord(last) + 1:
            runs[-1].append(letter)
        else:
            runs.append([letter])
    return runs


def _with_suffixes(text: str, letters: list[str], ranged: bool, delimiter: str) -> str:
    """A cite's ``text`` (showing ``letters[0]``) followed by the suffixes collapsed into it."""
    runs = _runs(letters, ranged)
    tokens: list[str] = []
    for index, run in enumerate(runs):
        if len(run) >= 3 and ranged:
            if index == 0:
                text += "\u2013" + run[-1]
            else:
                tokens.append(run[0] + "\u2013" + run[-1])
        else:
            tokens.extend(run[1:] if index == 0 else run)
    return text + (delimiter + delimiter.join(tokens) if tokens else "")


def _render_group(group: list[Cite], options: Options) -> str:
    """One group's text: its first cite whole, the others without names (or suffix only)."""
    inner = options.group_delimiter if options.group_delimiter is not None else ", "
    if options.collapse not in _YEAR_COLLAPSES:
        return inner.join(c.full for c in group)
    suffix_delimiter = options.suffix_delimiter
    if suffix_delimiter is None:
        suffix_delimiter = (
            options.group_delimiter
            if options.group_delimiter is not None
            else options.layout_delimiter
        )
    # (text, head cite, suffixes after the head's own): cites of the head's year that
    # differ only in their suffix are collapsed into it
    segments: list[tuple[str, Cite, list[str]]] = [(group[0].full, group[0], [])]
    for cite in group[1:]:
        head = segments[-1][1]
        if options.collapse != "year" and _same_but_suffix(head, cite) and cite.suffix:
            segments[-1][2].append(cite.suffix)
        else:
            segments.append((cite.bare if cite.bare is not None else cite.full, cite, []))
    ranged = options.collapse == "year-suffix-ranged"
    return inner.join(
        _with_suffixes(text, [head.suffix or "", *suffixes], ranged, suffix_delimiter)
        if suffixes
        else text
        for text, head, suffixes in segments
    )


def collapse_years(cites: Sequence[Cite], options: Options) -> str:
    """The joined cites of one citation, grouped and collapsed as ``options`` say."""
    groups = _groups(cites, gather=options.sorted)
    after = options.after_collapse
    out = ""
    for index, group in enumerate(groups):
        if index:
            previous = groups[index - 1]
            out += after if after is not None and len(previous) > 1 else options.layout_delimiter
        out += _render_group(group, options)
    return out


def render_cites(
    layout: Any, items: Sequence[Any], suffix_of: Callable[[Any], str | None]
) -> list[Cite] | None:
    """Each item's cite rendered alone, with and without names (``None``: a render failed)."""
    cites: list[Cite] = []
    for item in items:
        with probe(suppress=False) as seen:
            layout.repressed = {}
            full = layout.render_children(item)
        with probe(suppress=True):
            layout.repressed = {}
            bare = layout.render_children(item)
        if full is None:
            return None
        cites.append(
            Cite(
                str(full),
                None if bare is None else str(bare),
                seen.names,
                suffix_of(item),
                "locator" in item,
            )
        )
    return cites

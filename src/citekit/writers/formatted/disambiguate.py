"""CSL disambiguation of cites by names: add-names, add-givenname (all rules), per cited item.

citeproc-py 0.11.1 has no disambiguation (upstream). citekit adds year suffixes itself
(:mod:`.session`); this module runs the two CSL steps that come before them:

1. ``disambiguate-add-names``: for a set of cites that render the same, names hidden by
   et-al abbreviation are added one by one until the cites differ;
2. ``disambiguate-add-givenname``: names are expanded, first to the long form with
   ``initialize-with`` (initials) and then with the full given name, following
   ``givenname-disambiguation-rule``: ``by-cite`` (default; only ambiguous cites, name by name,
   only expansions that help), ``all-names``, ``all-names-with-initials``, ``primary-name``,
   ``primary-name-with-initials`` (global: every name whose family name is shared by different
   persons among the cited items is expanded in every cite; the ``-with-initials`` rules stop
   at initials; the ``primary-`` rules only touch the first name of each list).

What is decided is a per-item :class:`.overrides.Override`, rendered by :mod:`.overrides`.
Overrides apply to citations, not to bibliography entries (CSL: these methods disambiguate
cites). Step 4, ``disambiguate="true"``, is decided in :mod:`.session` from the cites still
ambiguous after these steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from citekit.writers.formatted.overrides import FULL, INITIALS, Override, active

__all__ = ["Options", "disambiguate_names", "global_levels", "options", "renders_issued"]

NAME_VARIABLES = (
    "author", "editor", "translator", "composer", "director", "collection-editor",
    "container-author", "editorial-director", "illustrator", "interviewer",
    "original-author", "recipient", "reviewed-author",
)  # fmt: skip
_RULES = (
    "by-cite",
    "all-names",
    "all-names-with-initials",
    "primary-name",
    "primary-name-with-initials",
)
_NS = {"cs": "http://purl.org/net/xbiblio/csl"}


@dataclass(frozen=True)
class Options:
    """The disambiguation options of a style's ``cs:citation``."""

    add_names: bool
    add_givenname: bool
    rule: str
    use_first: int
    condition: bool = False
    """The style has ``disambiguate="true"`` conditions."""
    year: bool = True
    """The citation can render the issued date (only cites of one year can be the same)."""

    @property
    def enabled(self) -> bool:
        """Whether there is anything for :func:`disambiguate_names` to do."""
        return self.add_names or self.add_givenname


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def options(root: Any) -> Options:
    """Read the disambiguation options of a loaded style's root element."""
    citation = root.citation
    rule = (citation.get("givenname-disambiguation-rule") or "by-cite").strip()
    use_first = citation.get("et-al-use-first")
    if use_first is None:  # the first cs:name of the citation that sets it
        for name in citation.iter("{http://purl.org/net/xbiblio/csl}name"):
            use_first = name.get("et-al-use-first")
            if use_first is not None:
                break
    try:
        first = int(use_first) if use_first is not None else 1
    except ValueError:
        first = 1
    return Options(
        _true(citation.get("disambiguate-add-names")),
        _true(citation.get("disambiguate-add-givenname")),
        rule if rule in _RULES else "by-cite",
        max(first, 1),
        bool(root.xpath("boolean(//cs:*[@disambiguate='true'])", namespaces=_NS)),
        renders_issued(root),
    )


def renders_issued(root: Any) -> bool:
    """Whether the style's citation layout (macros included) can render the issued date."""
    seen: set[str] = set()
    stack = [root.citation]
    while stack:
        for node in stack.pop().iter():
            tag = node.tag.rpartition("}")[2] if isinstance(node.tag, str) else ""
            if tag == "date" and "issued" in (node.get("variable") or "").split():
                return True
            macro = node.get("macro") if tag == "text" else None
            if macro and macro not in seen:
                seen.add(macro)
                found = root.xpath("cs:macro[@name=$name]", namespaces=_NS, name=macro)
                stack.extend(found)
    return False


# --- deciding the overrides -----------------------------------------------------------------


def _name_lists(reference: Any) -> list[tuple[str, list[Any]]]:
    found = []
    for variable in NAME_VARIABLES:
        names = reference.get(variable.replace("-", "_"))
        if names:
            found.append((variable, list(names)))
    return found


_SPLIT = re.compile(r"[\s.\-]+")
_GIVEN = re.compile(r"[\s.]+")


def _initials(given: str) -> str:
    return "".join(part[0] for part in _SPLIT.split(given) if part)


def _person(name: Any) -> tuple[str, str] | None:
    given, family, _dp, ndp, _suffix = name.parts()
    if not family or not given:
        return None
    # "J. J." and "J.J." are one person (spacing and periods of initials do not count)
    return " ".join(n for n in (ndp, family) if n).lower(), " ".join(
        _GIVEN.split(str(given))
    ).strip()


def global_levels(
    keys: Sequence[str], reference: Callable[[str], Any], rule: str
) -> dict[str, Override]:
    """Overrides of the global rules: names shared by different persons, in every cite."""
    givens: dict[str, set[str]] = {}
    for key in keys:
        for _variable, names in _name_lists(reference(key)):
            for name in names:
                person = _person(name)
                if person is not None:
                    givens.setdefault(person[0], set()).add(person[1])
    shared = {family: found for family, found in givens.items() if len(found) > 1}
    overrides: dict[str, Override] = {}
    if not shared:
        return overrides
    initials_only = rule.endswith("-with-initials")
    for key in keys:
        for variable, names in _name_lists(reference(key)):
            limit = 1 if rule.startswith("primary-name") else len(names)
            for index, name in enumerate(names[:limit]):
                person = _person(name)
                if person is None or person[0] not in shared:
                    continue
                initials = _initials(person[1])
                others = {_initials(g) for g in shared[person[0]] if g != person[1]}
                if initials not in others:
                    level = INITIALS
                elif initials_only:
                    continue  # initials cannot tell these persons apart; the rule stops there
                else:
                    level = FULL
                overrides.setdefault(key, Override()).levels[(variable, index)] = level
    return overrides


class _Resolver:
    """by-cite name additions and expansions for sets of cites that render the same."""

    def __init__(
        self,
        opts: Options,
        overrides: dict[str, Override],
        render: Callable[[str], str | None],
        reference: Callable[[str], Any],
    ) -> None:
        self.opts = opts
        self.overrides = overrides
        self.render = render
        self.reference = reference
        self.texts: dict[str, str | None] = {}  # the cite of each key in its current state

    def partition(self, group: Sequence[str]) -> list[list[str]]:
        classes: dict[str, list[str]] = {}
        for key in group:
            text = self.texts[key] = self.render(key)
            classes.setdefault(text or "", []).append(key)
        return list(classes.values())

    def _snapshot(self, group: Sequence[str]) -> dict[str, Override | None]:
        return {k: (self.overrides[k].copy() if k in self.overrides else None) for k in group}

    def _restore(self, saved: dict[str, Override | None]) -> None:
        for key, override in saved.items():
            self.texts.pop(key, None)  # rendered in another state
            if override is None:
                self.overrides.pop(key, None)
            else:
                self.overrides[key] = override

    def resolve(self, group: list[str]) -> None:
        """Add names / expand given names for ``group`` until its cites differ (or give up)."""
        best = self._snapshot(group)
        shown = max((self.overrides[k].names or 0) if k in self.overrides else 0 for k in group)
        shown = max(shown, self.opts.use_first)
        longest = max(
            (len(names) for k in group for _v, names in _name_lists(self.reference(k))),
            default=0,
        )
        by_cite = self.opts.add_givenname and self.opts.rule == "by-cite"
        tried: set[int] = set()  # expanding a name that did not help once never helps
        while True:
            if by_cite:
                for index in range(min(shown, longest)):
                    if index in tried:
                        continue
                    tried.add(index)
                    if not self._may_tell_apart(group, index):
                        continue
                    for level in (INITIALS, FULL):
                        split = self._try_levels(group, index, level)
                        if split is not None:
                            self._continue(split)
                            return
            if not self.opts.add_names or shown >= longest:
                break
            shown += 1
            for key in group:
                self.overrides.setdefault(key, Override()).names = shown
            if not self._added_name_differs(group, shown):
                continue  # the same name (and truncation) everywhere: the cites stay equal
            split = self.partition(group)
            if len(split) > 1:
                self._continue(split)
                return
        self._restore(best)  # nothing helped: back to the last state that did

    def _may_tell_apart(self, group: list[str], index: int) -> bool:
        """Whether name ``index`` is one family name of different persons in ``group``."""
        givens: dict[tuple[str, str], set[str]] = {}
        for key in group:
            for variable, names in _name_lists(self.reference(key)):
                person = _person(names[index]) if index < len(names) else None
                if person is not None:
                    givens.setdefault((variable, person[0]), set()).add(person[1])
        return any(len(found) > 1 for found in givens.values())

    def _added_name_differs(self, group: list[str], shown: int) -> bool:
        """Whether showing ``shown`` names can render the cites of ``group`` differently."""
        seen = set()
        for key in group:
            signature = tuple(
                (
                    variable,
                    tuple(names[shown - 1].parts()) if shown <= len(names) else None,
                    len(names) > shown,
                )
                for variable, names in _name_lists(self.reference(key))
            )
            seen.add(signature)
            if len(seen) > 1:
                return True
        return False

    def _try_levels(self, group: list[str], index: int, level: int) -> list[list[str]] | None:
        saved = self._snapshot(group)
        changed = False
        for key in group:
            for variable, names in _name_lists(self.reference(key)):
                if index < len(names) and _person(names[index]) is not None:
                    override = self.overrides.setdefault(key, Override())
                    if override.levels.get((variable, index), 0) < level:
                        override.levels[(variable, index)] = level
                        changed = True
        if changed:
            split = self.partition(group)
            if len(split) > 1:
                return split
        self._restore(saved)
        return None

    def _continue(self, split: list[list[str]]) -> None:
        for part in split:
            if len(part) > 1:
                self.resolve(part)


def disambiguate_names(
    opts: Options,
    keys: Sequence[str],
    candidates: Sequence[str],
    render: Callable[[str], str | None],
    reference: Callable[[str], Any],
) -> tuple[dict[str, Override], dict[str, str | None]]:
    """Overrides for the cited ``keys``: global given-name rules, then by-cite steps.

    ``candidates`` are the keys that may render the same cite as another (the others are
    never rendered here); ``render(key)`` renders the cite of ``key`` alone with the
    overrides being built in effect (see :func:`active`). Also returns the final cite text
    of the candidates known at the end (for the year-suffix step; others must be rendered).
    """
    overrides: dict[str, Override] = {}
    if opts.add_givenname and opts.rule != "by-cite":
        overrides = global_levels(keys, reference, opts.rule)
    if not candidates:
        return overrides, {}
    resolver = _Resolver(opts, overrides, render, reference)
    with active(overrides):
        for group in resolver.partition(candidates):
            if len(group) > 1:
                resolver.resolve(group)
    return overrides, resolver.texts

"""Rendering with disambiguation state: per-item name overrides and ``disambiguate="true"``.

:mod:`.disambiguate` decides, per cited item, an :class:`Override` (how many names to show,
and a level per name: ``1`` initials, ``2`` full given name) and which items' cites stay
ambiguous. While :func:`active` is in effect, the ``cs:name`` elements of a loaded style
render an overridden item through :func:`name_process`, which hands citeproc-py's own
``Name.process`` option overrides and stand-in names; every other item takes citeproc-py's
path unchanged. :func:`condition` is the value of ``disambiguate="true"`` (citeproc-py ignores
the attribute; upstream).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from citeproc import model as cp_model

__all__ = ["FULL", "INITIALS", "Override", "active", "condition", "name_process"]

INITIALS, FULL = 1, 2


@dataclass
class Override:
    """How one cited item's names render in citations (``None``/empty: as the style says)."""

    names: int | None = None
    levels: dict[tuple[str, int], int] = field(default_factory=dict)

    def copy(self) -> Override:
        """An independent copy (levels are copied)."""
        return Override(self.names, dict(self.levels))


_ACTIVE: dict[str, Override] = {}
_FLAGGED: frozenset[str] | set[str] = frozenset()


@contextlib.contextmanager
def active(
    overrides: dict[str, Override], flagged: frozenset[str] | set[str] = frozenset()
) -> Iterator[None]:
    """Render with ``overrides`` (item key -> :class:`Override`) in effect.

    ``disambiguate="true"`` conditions are then true for the item keys in ``flagged``.
    """
    global _ACTIVE, _FLAGGED
    previous = _ACTIVE, _FLAGGED
    _ACTIVE, _FLAGGED = overrides, flagged
    try:
        yield
    finally:
        _ACTIVE, _FLAGGED = previous


def condition(item: Any) -> bool:
    """The value of a ``disambiguate="true"`` condition for ``item`` (CSL step 4).

    True only for items whose cites stay ambiguous after names were added and expanded
    (citeproc-py ignores the attribute, so the branch always rendered).
    """
    return item.key in _FLAGGED


class _StandIn:
    """A name as ``Name.process`` reads it (``parts()``), with the given name pre-rendered."""

    __slots__ = ("_parts",)

    def __init__(self, parts: tuple[Any, Any, Any, Any, Any]) -> None:
        self._parts = parts

    def parts(self) -> tuple[Any, Any, Any, Any, Any]:
        return self._parts


def name_process(
    self: Any, item: Any, variable: str, context: Any = None, sort_options: Any = None, **kw: Any
) -> Any:
    """``Name.process`` honouring the active :class:`Override` of ``item`` (if any)."""
    if _ACTIVE and sort_options is None:
        override = _ACTIVE.get(item.key)
        if override is not None:
            return _process_override(self, item, variable, context, override, kw)
    return cp_model.Name.process(self, item, variable, context, sort_options, **kw)


def _process_override(
    self: Any, item: Any, variable: str, context: Any, override: Override, kw: dict[str, Any]
) -> Any:
    names = item.reference.get(variable, [])
    forced: dict[str, Any] = {}
    if override.names is not None:
        if override.names >= len(names):
            forced["et-al-min"] = 0  # all names, joined with "and" as an untruncated list
        else:
            forced["et-al-use-first"] = override.names
    levels = [override.levels.get((variable, i), 0) for i in range(len(names))]
    form = self.get_option("form", context) if any(levels) else None
    if form in ("short", "long"):  # (``count`` has no given names to expand)
        mark = self.get_option("initialize-with", context)
        stand_ins = []
        for name, level in zip(names, levels, strict=True):
            given, family, dp, ndp, suffix = name.parts()
            if level == 0 and form == "short":
                short = " ".join(n for n in (ndp, family) if n)
                stand_ins.append(_StandIn((None, short, None, None, None)))
                continue
            if given is not None and mark is not None and level < FULL:
                given = self.initialize(given, mark, context)
            stand_ins.append(_StandIn((given, family, dp, ndp, suffix)))
        forced["form"] = "long"
        forced["initialize-with"] = None
        reference = item.reference
        # citeproc-py reads the names from the item's reference (``get(variable)``): swap
        # the stand-ins in for this call
        dict.__setitem__(reference, variable, stand_ins)
        try:
            return cp_model.Name.process(self, item, variable, context, forced or None, **kw)
        finally:
            dict.__setitem__(reference, variable, names)
    return cp_model.Name.process(self, item, variable, context, forced or None, **kw)

"""Per-entry mapping state shared by the BibTeX → CSL mapping modules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from citekit.mapping.names import NameParser
from citekit.model import Record

__all__ = ["Decode", "MapContext", "MapState", "Report"]

Decode = Callable[[str, str, str], str]
"""``decode(field, value, mode)`` → Unicode; mode is ``title``/``rich``/``text``/``verbatim``."""
Report = Callable[[str, str, str | None], None]
"""``report(code, message, field)``: a warning about the current entry."""


@dataclass(slots=True)
class MapContext:
    """What the mapping needs besides the entry: dialect, decoders and a problem sink."""

    decode: Decode
    report: Report
    dialect: str = "bibtex"
    names: NameParser = field(default_factory=NameParser)
    biblatex_names: NameParser | None = None


@dataclass(slots=True)
class MapState:
    """The record under construction plus bookkeeping for one entry."""

    entry_type: str
    fields: Mapping[str, str]
    record: Record
    custom: dict[str, Any]
    unmapped: dict[str, str]
    guessed: list[str]
    ctx: MapContext

    def keep(self, name: str) -> None:
        if name in self.fields:
            self.unmapped[name] = self.fields[name]

    def set(self, variable: str, value: Any, source: str) -> bool:
        """Set ``variable`` unless already set (then ``source`` is kept in custom)."""
        if value in (None, "", []):
            self.keep(source)
            return False
        if variable in self.record:
            self.keep(source)
            return False
        self.record[variable] = value
        return True

    def text(self, name: str, mode: str) -> str:
        return self.ctx.decode(name, self.fields[name], mode)

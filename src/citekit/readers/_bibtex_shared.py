r"""The ``@string`` table shared by the ``.bib`` files of one read, as BibTeX shares it.

BibTeX and biber read the files of ``\bibdata{abbrev,refs}`` (or every
``\addbibresource``) in order into one database: a macro defined in ``abbrev.bib`` is visible
in ``refs.bib``, and a later ``@string`` of the same name replaces the value for the entries
after it. :class:`MacroTable` is that table; it remembers each macro's first value, because
``--keep-macros`` output writes each ``@string`` once (the first definition, at the top), so
an entry read while a macro had a *different* later value must be written with its value
instead of the macro reference (:func:`keep_writable_macros`). Example::

    table = MacroTable()
    for entry in iter_entries(abbrev, source="abbrev.bib", diagnostics=d, macros=table): ...
    for entry in iter_entries(refs, source="refs.bib", diagnostics=d, macros=table): ...
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from citekit.syntax.bibtex import RawEntry

__all__ = ["MacroTable", "keep_writable_macros", "macro_names"]


class MacroTable(dict[str, str]):
    """Lower-case macro name → evaluated value, remembering every macro's first value."""

    def __init__(self, initial: Mapping[str, str] | Iterable[tuple[str, str]] = ()) -> None:
        super().__init__()
        self.first: dict[str, str] = {}
        items = initial.items() if isinstance(initial, Mapping) else initial
        for name, value in items:
            self[name.lower()] = value
        if isinstance(initial, MacroTable):
            self.first.update(initial.first)

    def __setitem__(self, key: str, value: str) -> None:
        self.first.setdefault(key, value)
        super().__setitem__(key, value)

    def changed(self, name: str) -> bool:
        """Whether ``name`` now has a value other than its first one."""
        folded = name.lower()
        return folded in self.first and self.first[folded] != self.get(folded)

    def copy(self) -> MacroTable:
        """An independent table with the same values and first values (copied at C speed)."""
        return _rebuild(dict(self), dict(self.first))

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (dict(self), dict(self.first)))


def _rebuild(values: dict[str, str], first: dict[str, str]) -> MacroTable:
    """A table holding ``values`` (names already lower-case) and ``first`` as they are."""
    table = MacroTable()
    dict.update(table, values)  # not through __setitem__: ``first`` is given
    table.first = first
    return table


_SKIP = re.compile(r'"|\{|[^\s"#{}]+')


def macro_names(expression: str) -> list[str]:
    """Lower-case macro names used in a value expression (``jacm # " 2"`` → ``["jacm"]``)."""
    names: list[str] = []
    index, end = 0, len(expression)
    while index < end:
        match = _SKIP.search(expression, index)
        if match is None:
            break
        token = match.group()
        if token in ('"', "{"):
            index = _close(expression, match.start())
            continue
        if not token.isdigit():
            names.append(token.lower())
        index = match.end()
    return names


def _close(text: str, start: int) -> int:
    """Index after the quoted or braced part that starts at ``start`` (end of text if open)."""
    depth = 0
    quote = text[start] == '"'
    for index in range(start + (1 if quote else 0), len(text)):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and not quote:
                return index + 1
        elif char == '"' and quote and depth <= 0:
            return index + 1
    return len(text)


def keep_writable_macros(entry: RawEntry, table: MacroTable) -> None:
    """Forget macro expressions of ``entry`` that the first ``@string`` values would misread.

    Called right after the entry is read, while ``table`` holds the values it was read
    with: a field that uses a macro redefined to another value keeps only its value.
    """
    if not entry.macros or not table.first:
        return
    stale = [
        name
        for name, expression in entry.macros.items()
        if any(table.changed(macro) for macro in macro_names(expression))
    ]
    for name in stale:
        del entry.macros[name]

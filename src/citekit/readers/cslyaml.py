"""CSL YAML reader: pandoc's ``references:`` block (or a bare list), item by item, located.

Example::

    ---
    "references":
    - id: doe2020
      type: book
      title: A title
      issued: 2020-05
    ...

The YAML is read with ``yaml.safe_load`` semantics (no Python objects). Each item is
normalised like CSL-JSON (:func:`citekit.model.normalize_record`) and keeps its line. YAML
dates (``2020-05-01``) and pandoc's older ``issued: [{year: 2020, month: 5}]`` form become
CSL dates. A YAML syntax error costs only the item it is in: the reader re-reads the file
item by item and reports ``file:line:col`` of the damage.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import yaml

from citekit._gc import collector_paused
from citekit.errors import Diagnostics
from citekit.model import DATE_VARIABLES, Library
from citekit.readers import add_item

__all__ = ["read_text", "sniff"]

_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_ITEM = re.compile(r"^( *)- ", re.MULTILINE)
_REFERENCES = re.compile(r"^references:[ \t]*$", re.MULTILINE)


def sniff(text: str) -> bool:
    """Whether ``text`` looks like CSL YAML (a ``references:`` block or a list of ``- id:``)."""
    head = text.lstrip("\ufeff \t\r\n")[:4000]
    return bool(_REFERENCES.search(head)) or head.startswith("- id:")


def _metadata_block(text: str) -> str:
    """The YAML part of ``text``: a leading ``---`` block is cut at its closing fence.

    Line numbers stay those of the file (only the tail is cut).
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("---"):
        return text
    start = text.index("---") + 3
    closing = _FENCE.search(text, start)
    return text if closing is None else text[: closing.start()]


def _plain(value: Any) -> Any:
    """YAML-native values → JSON-like ones (dates to ISO strings, keys to strings)."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _pandoc_date(value: Any) -> Any:
    """The pandoc 2 form ``[{year: 2020, month: 5}]`` / ``{year: 2020}`` → ``date-parts``."""
    parts_dicts = value if isinstance(value, list) else [value]
    if not parts_dicts or not all(isinstance(d, dict) and "year" in d for d in parts_dicts):
        return value
    parts = [
        [d[name] for name in ("year", "month", "day") if d.get(name) not in (None, "")]
        for d in parts_dicts[:2]
    ]
    return {"date-parts": parts}


def _item(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, dict):
        for variable in DATE_VARIABLES:
            if variable in value:
                value[variable] = _pandoc_date(value[variable])
    return value


def _items_node(root: yaml.Node | None) -> yaml.SequenceNode | None:
    if isinstance(root, yaml.SequenceNode):
        return root
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value in ("references", "items") and isinstance(value, yaml.SequenceNode):
                return value
    return None


def _compose(text: str) -> list[tuple[Any, int, int]]:
    """Items of ``text`` with 1-based line and column (raises ``yaml.YAMLError``)."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        sequence = _items_node(root)
        if sequence is None:
            if root is None:
                return []
            raise ValueError("expected a 'references:' list or a list of items")
        return [
            (
                _item(loader.construct_document(node)),
                node.start_mark.line + 1,
                node.start_mark.column + 1,
            )
            for node in sequence.value
        ]
    finally:
        loader.dispose()


def _mark(exc: yaml.YAMLError) -> tuple[int | None, int | None, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return None, None, str(problem)
    return mark.line + 1, mark.column + 1, str(problem)


def _salvage(text: str, *, source: str, diagnostics: Diagnostics) -> list[tuple[Any, int, int]]:
    """Re-read a broken file item by item (items start at the first item's indentation)."""
    references = _REFERENCES.search(text)
    first = _ITEM.search(text, references.end() if references else 0)
    if first is None:
        return []
    indent = first.group(1)
    starts = [m.start() for m in _ITEM.finditer(text, first.start()) if m.group(1) == indent]
    out: list[tuple[Any, int, int]] = []
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        offset = text.count("\n", 0, start)
        chunk = "\n" * offset + text[start:end]
        try:
            out.extend(_compose(chunk))
        except (yaml.YAMLError, ValueError) as exc:
            line, column, problem = (
                _mark(exc) if isinstance(exc, yaml.YAMLError) else (offset + 1, 1, str(exc))
            )
            diagnostics.error(
                "csl-yaml.syntax",
                f"invalid YAML: {problem}; the item here was skipped",
                source=source,
                line=line,
                column=column,
            )
    return out


def read_text(text: str, *, source: str = "<string>", diagnostics: Diagnostics) -> Library:
    """Read CSL YAML text into a Library of normalised records."""
    with collector_paused():
        return _read(text, source, diagnostics)


def _read(text: str, source: str, diagnostics: Diagnostics) -> Library:
    library = Library()
    block = _metadata_block(text)
    if not block.strip(" \t\r\n-."):
        diagnostics.warning("csl-yaml.empty", "the input is empty", source=source)
        return library
    try:
        items = _compose(block)
    except yaml.YAMLError as exc:
        found = Diagnostics()
        items = _salvage(block, source=source, diagnostics=found)
        if found.items:
            diagnostics.extend(found.items)
        else:
            line, column, problem = _mark(exc)
            diagnostics.error(
                "csl-yaml.syntax",
                f"invalid YAML: {problem}",
                source=source,
                line=line,
                column=column,
            )
    except ValueError as exc:
        diagnostics.error("csl-yaml.bad-shape", str(exc), source=source, line=1, column=1)
        return library
    for index, (item, line, column) in enumerate(items, start=1):
        add_item(library, item, index, diagnostics, source=source, line=line, column=column)
    return library

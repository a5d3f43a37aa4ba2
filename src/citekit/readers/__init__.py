"""Readers: text → :class:`~citekit.model.Library`, one module per input format.

Every reader module provides ``read_text(text, *, source, diagnostics, **options) -> Library``
and may provide ``sniff(text) -> bool`` for format detection. Decoding bytes, file names and
strictness are handled once, in :mod:`citekit.api`.
"""

from __future__ import annotations

from typing import Any

from citekit.errors import Diagnostics
from citekit.model import Library, SourceLocation, normalize_record

__all__ = ["add_item"]


def add_item(
    library: Library,
    item: Any,
    index: int,
    diagnostics: Diagnostics,
    *,
    source: str,
    line: int | None,
    column: int | None,
    owned: bool = False,
) -> None:
    """Normalise one decoded CSL item (JSON or YAML) and add it with its location.

    ``index`` (1-based) names items without an id (``item-<index>``); an item that is not
    an object is reported by :func:`~citekit.model.normalize_record` and not added.
    ``owned``: the item shares no container with anything else (a JSON decoder's fresh
    objects; not YAML, whose aliases share them), so the record may keep its values.
    """
    record = normalize_record(
        item, diagnostics, fallback_id=f"item-{index}", owned=owned,
        source=source, line=line, column=column,
    )  # fmt: skip
    if record is not None:
        library.add(record, SourceLocation(source, line, column))

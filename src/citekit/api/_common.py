"""What the public API's modules share: the path type and the choice of a format."""

from __future__ import annotations

import os

from citekit.errors import UnknownFormatError
from citekit.registry import Format, detect_format, get_format

__all__ = ["PathLike", "resolve_format"]

PathLike = str | os.PathLike[str]


def resolve_format(format: str | None, path: PathLike | None, text: str | None) -> Format:
    """The format ``format`` names, else the one ``path`` (and its ``text``) shows."""
    if format is not None:
        return get_format(format)
    if path is None:
        raise UnknownFormatError("(no format given)")
    return detect_format(os.fspath(path), text)

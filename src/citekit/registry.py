"""The format table: names, aliases and suffixes → reader and writer modules.

Modules are imported lazily, on first use, so ``citekit --help`` stays fast. Example:
``reader_for("refs.bib")`` is the BibTeX reader (which also reads BibLaTeX);
``get_format("json").name == "csl-json"``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from citekit.errors import UnknownFormatError

__all__ = [
    "FORMATS",
    "Format",
    "detect_format",
    "get_format",
    "load_reader",
    "load_writer",
    "reader_names",
    "writer_names",
]


@dataclass(frozen=True, slots=True)
class Format:
    """One interchange format and the modules that read and write it."""

    name: str
    description: str
    aliases: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    reader: str | None = None
    writer: str | None = None
    reader_options: Mapping[str, Any] = field(default_factory=dict)
    writer_options: Mapping[str, Any] = field(default_factory=dict)


FORMATS: tuple[Format, ...] = (
    Format(
        "bibtex",
        "BibTeX .bib (reading also accepts BibLaTeX)",
        aliases=("bib",),
        suffixes=(".bib", ".bibtex"),
        reader="citekit.readers.bibtex",
        writer="citekit.writers.bibtex",
        reader_options={"dialect": "bibtex"},
    ),
    Format(
        "biblatex",
        "BibLaTeX .bib for biber",
        suffixes=(".biblatex",),
        reader="citekit.readers.bibtex",
        writer="citekit.writers.biblatex",
        reader_options={"dialect": "biblatex"},
    ),
    Format(
        "csl-json",
        "CSL-JSON (citeproc-js, pandoc, Zotero)",
        aliases=("json", "csljson"),
        suffixes=(".json", ".csl.json", ".csljson"),
        reader="citekit.readers.csljson",
        writer="citekit.writers.csljson",
    ),
    Format(
        "csl-yaml",
        "CSL YAML (pandoc's references: block)",
        aliases=("yaml", "cslyaml"),
        suffixes=(".yaml", ".yml"),
        reader="citekit.readers.cslyaml",
        writer="citekit.writers.cslyaml",
    ),
    Format(
        "markdown",
        "markdown reading lists (paper notes, awesome-lists)",
        aliases=("md",),
        suffixes=(".md", ".markdown"),
        reader="citekit.readers.markdown",
    ),
)

_BY_NAME: dict[str, Format] = {}
for _format in FORMATS:
    for _name in (_format.name, *_format.aliases):
        _BY_NAME[_name] = _format


def get_format(name: str) -> Format:
    """The format called ``name`` or one of its aliases (case-insensitive)."""
    try:
        return _BY_NAME[name.strip().lower()]
    except KeyError:
        raise UnknownFormatError(name, known=[f.name for f in FORMATS]) from None


def detect_format(path: str | PurePath, text: str | None = None) -> Format:
    """Guess a format from a file name's suffix, then (for ``-`` or no suffix) from ``text``."""
    name = PurePath(path).name.lower()
    best: Format | None = None
    best_length = 0
    for fmt in FORMATS:
        for suffix in fmt.suffixes:
            if name.endswith(suffix) and len(suffix) > best_length:
                best, best_length = fmt, len(suffix)
    if best is not None:
        return best
    if text is not None:
        stripped = text.lstrip("\ufeff \t\r\n")
        if stripped.startswith(("---\nreferences:", "references:", "- id:")):
            return get_format("csl-yaml")
        if stripped[:1] in ("[", "{"):
            return get_format("csl-json")
        if stripped[:1] in ("@", "%"):
            return get_format("bibtex")
        if stripped[:1] == "#" or "](http" in stripped[:20000]:
            return get_format("markdown")
    raise UnknownFormatError(
        f"(cannot tell the format of {str(path)!r}; name it)", known=[f.name for f in FORMATS]
    )


def load_reader(fmt: Format) -> Callable[..., Any]:
    """The ``read_text`` function of ``fmt``'s reader, with the format's options bound."""
    if fmt.reader is None:
        raise UnknownFormatError(f"{fmt.name} (cannot be read)", known=reader_names())
    module = importlib.import_module(fmt.reader)
    read_text: Callable[..., Any] = module.read_text
    if not fmt.reader_options:
        return read_text
    options = dict(fmt.reader_options)

    def bound(*args: Any, **kwargs: Any) -> Any:
        return read_text(*args, **{**options, **kwargs})

    return bound


def load_writer(fmt: Format) -> Callable[..., Any]:
    """The ``write_text`` function of ``fmt``'s writer, with the format's options bound."""
    if fmt.writer is None:
        raise UnknownFormatError(f"{fmt.name} (cannot be written)", known=writer_names())
    module = importlib.import_module(fmt.writer)
    write_text: Callable[..., Any] = module.write_text
    if not fmt.writer_options:
        return write_text
    options = dict(fmt.writer_options)

    def bound(*args: Any, **kwargs: Any) -> Any:
        return write_text(*args, **{**options, **kwargs})

    return bound


def reader_names() -> list[str]:
    """Names of the formats that can be read."""
    return [f.name for f in FORMATS if f.reader]


def writer_names() -> list[str]:
    """Names of the formats that can be written."""
    return [f.name for f in FORMATS if f.writer]

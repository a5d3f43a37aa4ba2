"""citekit: correct citations out of BibTeX, BibLaTeX, CSL-JSON and markdown reading lists.

Every entry becomes a CSL-JSON record (see :mod:`citekit.model`); readers and writers
convert to and from it, and nothing a user wrote is lost.

The API functions and model types are loaded on first use (module ``__getattr__``), so
``import citekit`` and ``citekit --help`` stay fast; ``from citekit import read`` works as
usual.
"""

from __future__ import annotations

import importlib as _importlib
import typing as _typing

from citekit.errors import (
    CitekitError,
    CitekitWriteError,
    Diagnostic,
    Diagnostics,
    Severity,
    StrictModeError,
    StyleError,
    StyleNotFoundError,
    UnknownFormatError,
)

if _typing.TYPE_CHECKING:
    from citekit.api import (
        CiteItem,
        FormattedBibliography,
        FormattedCitations,
        check,
        cited_library,
        conversion_report,
        convert,
        convert_report,
        convert_stream,
        format_bibliography,
        format_citations,
        iter_read,
        read,
        read_many,
        read_string,
        roundtrip,
        roundtrip_string,
        write,
        write_stream,
        write_string,
    )
    from citekit.model import DateValue, Library, Name, Record, SourceLocation

__version__ = "0.1.0"

_LAZY: dict[str, str] = {
    "CiteItem": "citekit.api",
    "FormattedBibliography": "citekit.api",
    "FormattedCitations": "citekit.api",
    "format_bibliography": "citekit.api",
    "format_citations": "citekit.api",
    "check": "citekit.api",
    "cited_library": "citekit.api",
    "conversion_report": "citekit.api",
    "convert": "citekit.api",
    "convert_report": "citekit.api",
    "read": "citekit.api",
    "read_many": "citekit.api",
    "read_string": "citekit.api",
    "roundtrip": "citekit.api",
    "roundtrip_string": "citekit.api",
    "write": "citekit.api",
    "write_string": "citekit.api",
    "convert_stream": "citekit.api",
    "iter_read": "citekit.api",
    "write_stream": "citekit.api",
    "DateValue": "citekit.model",
    "Library": "citekit.model",
    "Name": "citekit.model",
    "Record": "citekit.model",
    "SourceLocation": "citekit.model",
}

__all__ = [
    "CiteItem",
    "CitekitError",
    "CitekitWriteError",
    "DateValue",
    "Diagnostic",
    "Diagnostics",
    "FormattedBibliography",
    "FormattedCitations",
    "Library",
    "Name",
    "Record",
    "Severity",
    "SourceLocation",
    "StrictModeError",
    "StyleError",
    "StyleNotFoundError",
    "UnknownFormatError",
    "__version__",
    "check",
    "cited_library",
    "conversion_report",
    "convert",
    "convert_report",
    "convert_stream",
    "format_bibliography",
    "format_citations",
    "iter_read",
    "read",
    "read_many",
    "read_string",
    "roundtrip",
    "roundtrip_string",
    "write",
    "write_stream",
    "write_string",
]


def __getattr__(name: str) -> _typing.Any:
    """Load a lazily exported name from its module on first access."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'citekit' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

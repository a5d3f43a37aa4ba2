"""citekit: correct citations out of BibTeX, BibLaTeX, CSL-JSON and markdown reading lists.

Every entry becomes a CSL-JSON record (see :mod:`citekit.model`); readers and writers
convert to and from it, and nothing a user wrote is lost.
"""

from citekit.api import (
    CiteItem,
    FormattedBibliography,
    FormattedCitations,
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
from citekit.model import DateValue, Library, Name, Record, SourceLocation

__version__ = "0.1.0"

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

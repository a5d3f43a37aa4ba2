"""The one internal model: CSL-JSON records, names, dates, and the Library that holds them."""

from citekit.model.dates import MONTHS, parse_edtf, parse_month, to_edtf
from citekit.model.library import BibExtras, Library, SourceLocation
from citekit.model.normalize import normalize_date, normalize_name, normalize_record
from citekit.model.record import DateValue, Name, Record
from citekit.model.variables import (
    DATE_VARIABLES,
    ITEM_TYPES,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    RICH_TEXT_VARIABLES,
    STRING_VARIABLES,
    VARIABLES,
)

__all__ = [
    "DATE_VARIABLES",
    "ITEM_TYPES",
    "MONTHS",
    "NAME_VARIABLES",
    "NUMBER_VARIABLES",
    "RICH_TEXT_VARIABLES",
    "STRING_VARIABLES",
    "VARIABLES",
    "BibExtras",
    "DateValue",
    "Library",
    "Name",
    "Record",
    "SourceLocation",
    "normalize_date",
    "normalize_name",
    "normalize_record",
    "parse_edtf",
    "parse_month",
    "to_edtf",
]

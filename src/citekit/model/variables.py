"""The CSL-JSON schema (csl-data.json, CSL 1.0.2) as tables: item types and variables by kind.

These tables drive :func:`citekit.model.normalize_record` and the mapping tests, e.g.
``"issued" in DATE_VARIABLES`` and ``"paper-conference" in ITEM_TYPES``.
"""

from __future__ import annotations

__all__ = [
    "DATE_VARIABLES",
    "ITEM_TYPES",
    "LEGACY_VARIABLE_ALIASES",
    "NAME_PARTS",
    "NAME_VARIABLES",
    "NUMBER_VARIABLES",
    "RICH_TEXT_VARIABLES",
    "STRING_VARIABLES",
    "STRUCTURAL_KEYS",
    "VARIABLES",
]

ITEM_TYPES: frozenset[str] = frozenset(
    {
        "article", "article-journal", "article-magazine", "article-newspaper", "bill",
        "book", "broadcast", "chapter", "classic", "collection", "dataset", "document",
        "entry", "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic",
        "hearing", "interview", "legal_case", "legislation", "manuscript", "map",
        "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent",
        "performance", "periodical", "personal_communication", "post", "post-weblog",
        "regulation", "report", "review", "review-book", "software", "song", "speech",
        "standard", "thesis", "treaty", "webpage",
    }
)  # fmt: skip

NAME_VARIABLES: frozenset[str] = frozenset(
    {
        "author", "chair", "collection-editor", "compiler", "composer", "container-author",
        "contributor", "curator", "director", "editor", "editorial-director",
        "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator",
        "organizer", "original-author", "performer", "producer", "recipient",
        "reviewed-author", "script-writer", "series-creator", "translator",
    }
)  # fmt: skip

DATE_VARIABLES: frozenset[str] = frozenset(
    {"accessed", "available-date", "event-date", "issued", "original-date", "submitted"}
)

NUMBER_VARIABLES: frozenset[str] = frozenset(
    {
        "chapter-number", "citation-number", "collection-number", "edition",
        "first-reference-note-number", "issue", "locator", "number", "number-of-pages",
        "number-of-volumes", "page", "page-first", "part-number", "printing-number",
        "section", "supplement-number", "version", "volume",
    }
)  # fmt: skip

STRING_VARIABLES: frozenset[str] = frozenset(
    {
        "abstract", "annote", "archive", "archive_collection", "archive_location",
        "archive-place", "authority", "call-number", "citation-key", "citation-label",
        "collection-title", "container-title", "container-title-short", "dimensions",
        "division", "DOI", "event", "event-place", "event-title", "genre", "ISBN", "ISSN",
        "jurisdiction", "keyword", "language", "license", "medium", "note",
        "original-publisher", "original-publisher-place", "original-title", "part-title",
        "PMCID", "PMID", "publisher", "publisher-place", "references", "reviewed-genre",
        "reviewed-title", "scale", "source", "status", "title", "title-short", "URL",
        "volume-title", "year-suffix",
    }
)  # fmt: skip

RICH_TEXT_VARIABLES: frozenset[str] = frozenset(
    {
        "title",
        "title-short",
        "container-title",
        "container-title-short",
        "collection-title",
        "original-title",
        "reviewed-title",
        "volume-title",
        "part-title",
        "event-title",
        "note",
        "abstract",
        "annote",
        "publisher",
    }
)
"""Variables whose strings may carry the citeproc-js markup subset
(``<i>``, ``<b>``, ``<sup>``, ``<sub>``, ``<span class="nocase">``)."""

STRUCTURAL_KEYS: frozenset[str] = frozenset({"id", "type", "categories", "custom"})
"""Keys of a record that are not CSL variables."""

VARIABLES: frozenset[str] = NAME_VARIABLES | DATE_VARIABLES | NUMBER_VARIABLES | STRING_VARIABLES

NAME_PARTS: tuple[str, ...] = (
    "family",
    "given",
    "dropping-particle",
    "non-dropping-particle",
    "suffix",
    "literal",
    "comma-suffix",
    "static-ordering",
    "parse-names",
)

LEGACY_VARIABLE_ALIASES: dict[str, str] = {
    "shortTitle": "title-short",
    "journalAbbreviation": "container-title-short",
    "container-title-abbreviation": "container-title-short",
    "original-publisher-location": "original-publisher-place",
    "publisher-location": "publisher-place",
    "event-location": "event-place",
}
"""Keys written by older CSL-JSON producers (Zotero, CSL 1.0.1) → the CSL 1.0.2 variable."""

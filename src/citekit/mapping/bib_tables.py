"""Mapping tables BibTeX/BibLaTeX → CSL-JSON, as data (types, fields, number rule, inheritance).

Read by :mod:`citekit.mapping.bib_to_csl`; the writers read them in reverse. Example rows:
``BIB_TYPES["inproceedings"] == TypeRule("paper-conference")`` and
``FieldRule("pages", "page", "pages")``. Every standard entry type and field of BibTeX
(btxdoc) and BibLaTeX (biblatex manual §2.1, §2.2) appears here or in
:data:`SPECIAL_FIELDS` (handled by code because several fields combine); anything else is kept
verbatim in ``custom["bibtex"]["fields"]``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "BIBSTRINGS",
    "BIB_TYPES",
    "BOOKTITLE_TYPES",
    "COUNTRIES",
    "CUSTOM_FIELDS",
    "EDITOR_ROLES",
    "ENTRYSUBTYPES",
    "EPRINT_URLS",
    "FIELD_RULES",
    "INHERIT_NEVER",
    "INHERIT_RULES",
    "LANGIDS",
    "LANGUAGE_VARIANTS",
    "NUMBER_TARGET",
    "SPECIAL_FIELDS",
    "THESIS_GENRES",
    "TITLE_GROUPS",
    "FieldRule",
    "InheritRule",
    "TypeRule",
]


@dataclass(frozen=True, slots=True)
class TypeRule:
    """A BibTeX/BibLaTeX entry type's CSL type (and genre, for theses and reports)."""

    csl: str
    genre: str | None = None


BIB_TYPES: dict[str, TypeRule] = {
    # BibTeX (btxdoc)
    "article": TypeRule("article-journal"),
    "book": TypeRule("book"),
    "booklet": TypeRule("pamphlet"),
    "conference": TypeRule("paper-conference"),
    "inbook": TypeRule("chapter"),
    "incollection": TypeRule("chapter"),
    "inproceedings": TypeRule("paper-conference"),
    "manual": TypeRule("book"),
    "mastersthesis": TypeRule("thesis", "Master's thesis"),
    "misc": TypeRule("document"),
    "phdthesis": TypeRule("thesis", "PhD thesis"),
    "proceedings": TypeRule("book"),
    "techreport": TypeRule("report"),
    "unpublished": TypeRule("manuscript"),
    # BibLaTeX regular types
    "bookinbook": TypeRule("chapter"),
    "collection": TypeRule("book"),
    "dataset": TypeRule("dataset"),
    "inreference": TypeRule("entry-encyclopedia"),
    "mvbook": TypeRule("book"),
    "mvcollection": TypeRule("book"),
    "mvproceedings": TypeRule("book"),
    "mvreference": TypeRule("book"),
    "online": TypeRule("webpage"),
    "patent": TypeRule("patent"),
    "periodical": TypeRule("periodical"),
    "reference": TypeRule("book"),
    "report": TypeRule("report"),
    "set": TypeRule("document"),
    "software": TypeRule("software"),
    "suppbook": TypeRule("chapter"),
    "suppcollection": TypeRule("chapter"),
    "suppperiodical": TypeRule("article-journal"),
    "thesis": TypeRule("thesis"),
    # BibLaTeX aliases and non-standard types known to the standard styles
    "electronic": TypeRule("webpage"),
    "www": TypeRule("webpage"),
    "artwork": TypeRule("graphic"),
    "audio": TypeRule("song"),
    "bibnote": TypeRule("document"),
    "commentary": TypeRule("book"),
    "image": TypeRule("graphic"),
    "jurisdiction": TypeRule("legal_case"),
    "legislation": TypeRule("legislation"),
    "legal": TypeRule("legislation"),
    "letter": TypeRule("personal_communication"),
    "movie": TypeRule("motion_picture"),
    "music": TypeRule("song"),
    "performance": TypeRule("performance"),
    "review": TypeRule("review"),
    "standard": TypeRule("standard"),
    "video": TypeRule("motion_picture"),
    # @xdata holds fields for other entries; it is kept (as a document) so nothing is lost.
    "xdata": TypeRule("document"),
    "customa": TypeRule("document"),
    "customb": TypeRule("document"),
    "customc": TypeRule("document"),
    "customd": TypeRule("document"),
    "custome": TypeRule("document"),
    "customf": TypeRule("document"),
}
"""Entry type (lower-case) → CSL type. Unknown types become ``document`` with a note."""

ENTRYSUBTYPES: dict[tuple[str, str], str] = {
    ("article", "magazine"): "article-magazine",
    ("article", "newspaper"): "article-newspaper",
}
"""(type, entrysubtype) → CSL type overriding :data:`BIB_TYPES`."""

THESIS_GENRES: dict[str, str] = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master's thesis",
    "mastersthesis": "Master's thesis",
    "candthesis": "Candidate thesis",
    "bathesis": "Bachelor's thesis",
    "techreport": "technical report",
    "resreport": "research report",
    "software": "computer software",
    "datacd": "CD-ROM",
    "audiocd": "audio CD",
    "patent": "patent",
    "patentde": "German patent",
    "patenteu": "European patent",
    "patentfr": "French patent",
    "patentuk": "British patent",
    "patentus": "U.S. patent",
    "patreq": "patent request",
    "patreqde": "German patent request",
    "patreqeu": "European patent request",
    "patreqfr": "French patent request",
    "patrequk": "British patent request",
    "patrequs": "U.S. patent request",
}
"""BibLaTeX ``type`` field keys → the genre text (biblatex's English ``.lbx`` strings)."""

BIBSTRINGS: dict[str, str] = {
    "newseries": "new series", "oldseries": "old series", "jourser": "series",
    "inpreparation": "in preparation", "submitted": "submitted", "forthcoming": "forthcoming",
    "inpress": "in press", "prepublished": "pre-published",
}  # fmt: skip
"""biblatex localisation keys that stand alone in ``series``/``pubstate`` (english.lbx)."""

COUNTRIES: dict[str, str] = {
    "countryde": "Germany", "countryeu": "European Union", "countryep": "European Union",
    "countryfr": "France", "countryuk": "United Kingdom", "countryus": "United States",
}  # fmt: skip
"""biblatex country keys (``location`` of ``@patent``) → names."""

EPRINT_URLS: dict[str, str] = {
    "googlebooks": "https://books.google.com?id={}",
    "jstor": "https://www.jstor.org/stable/{}",
    "hdl": "https://hdl.handle.net/{}",
    "pubmed": "https://www.ncbi.nlm.nih.gov/pubmed/{}",
}
"""Non-arXiv ``eprinttype`` values → URL template (biblatex's ``\\DeclareFieldFormat``)."""

BOOKTITLE_TYPES: frozenset[str] = frozenset(
    {
        "inbook", "incollection", "inproceedings", "conference", "bookinbook", "suppbook",
        "suppcollection", "inreference", "article", "misc", "online", "unpublished", "report",
        "techreport", "manual", "booklet", "dataset", "software", "thesis", "phdthesis",
        "mastersthesis", "patent", "periodical", "suppperiodical",
    }
)  # fmt: skip
"""Types whose ``booktitle`` is the container's title (elsewhere biblatex ignores it)."""


@dataclass(frozen=True, slots=True)
class FieldRule:
    """One field → one CSL variable through a named converter (``mapping.converters``).

    ``types`` limits the rule to those entry types; the first matching rule wins. A field
    that has a rule but whose CSL variable is already set goes to ``custom`` instead.
    """

    field: str
    csl: str
    convert: str
    types: frozenset[str] | None = None


_ARTICLES = frozenset({"article", "suppperiodical", "periodical"})

FIELD_RULES: tuple[FieldRule, ...] = (
    # names
    FieldRule("author", "author", "names"),
    FieldRule("editor", "editor", "names"),
    FieldRule("translator", "translator", "names"),
    FieldRule("bookauthor", "container-author", "names"),
    # simple text
    FieldRule("series", "collection-title", "title"),
    FieldRule("shorttitle", "title-short", "title"),
    FieldRule("shortjournal", "container-title-short", "title"),
    FieldRule("journalabbr", "container-title-short", "title"),
    FieldRule("origtitle", "original-title", "title"),
    FieldRule("abstract", "abstract", "rich"),
    FieldRule("note", "note", "rich"),
    FieldRule("annote", "annote", "rich"),
    FieldRule("annotation", "annote", "rich"),
    FieldRule("venue", "event-place", "list"),
    FieldRule("origpublisher", "original-publisher", "text"),
    FieldRule("origlocation", "original-publisher-place", "text"),
    FieldRule("address", "publisher-place", "text"),
    FieldRule("location", "jurisdiction", "jurisdiction", frozenset({"patent"})),
    FieldRule("location", "publisher-place", "list"),
    FieldRule("keywords", "keyword", "keywords"),
    FieldRule("howpublished", "publisher", "text", frozenset({"misc", "booklet", "online"})),
    FieldRule("medium", "medium", "text"),
    FieldRule("pubstate", "status", "text"),
    FieldRule("version", "version", "number"),
    FieldRule("volume", "volume", "number"),
    FieldRule("volumes", "number-of-volumes", "number"),
    FieldRule("pagetotal", "number-of-pages", "number"),
    FieldRule("numpages", "number-of-pages", "number"),
    FieldRule("pages", "page", "pages"),
    FieldRule("edition", "edition", "edition"),
    FieldRule("chapter", "chapter-number", "number"),
    FieldRule("part", "part-number", "number"),
    FieldRule("issue", "issue", "number", _ARTICLES),
    FieldRule("eid", "number", "number", _ARTICLES),
    FieldRule("library", "call-number", "text"),
    # identifiers (verbatim)
    FieldRule("doi", "DOI", "verbatim"),
    FieldRule("url", "URL", "verbatim"),
    FieldRule("isbn", "ISBN", "verbatim"),
    FieldRule("issn", "ISSN", "verbatim"),
    FieldRule("pmid", "PMID", "verbatim"),
    FieldRule("pmcid", "PMCID", "verbatim"),
    # dates
    FieldRule("urldate", "accessed", "date"),
    FieldRule("eventdate", "event-date", "date"),
    FieldRule("origdate", "original-date", "date"),
)
"""Field rules, in priority order (see :class:`FieldRule`)."""

TITLE_GROUPS: dict[str, tuple[str, str, str]] = {
    "title": ("title", "subtitle", "titleaddon"),
    "booktitle": ("booktitle", "booksubtitle", "booktitleaddon"),
    "maintitle": ("maintitle", "mainsubtitle", "maintitleaddon"),
    "journaltitle": ("journaltitle", "journalsubtitle", "journaltitleaddon"),
    "journal": ("journal", "journalsubtitle", "journaltitleaddon"),
    "issuetitle": ("issuetitle", "issuesubtitle", "issuetitleaddon"),
    "eventtitle": ("eventtitle", "", "eventtitleaddon"),
}
"""Title, subtitle and addon combined as ``Title: Subtitle. Addon`` (biblatex's punctuation)."""

SPECIAL_FIELDS: frozenset[str] = frozenset(
    {
        "title", "subtitle", "titleaddon", "booktitle", "booksubtitle", "booktitleaddon",
        "maintitle", "mainsubtitle", "maintitleaddon", "journal", "journaltitle",
        "journalsubtitle", "journaltitleaddon", "issuetitle", "issuesubtitle",
        "issuetitleaddon", "eventtitle", "eventtitleaddon", "number", "year", "month", "day",
        "date",
        "publisher", "school", "institution", "organization", "type", "eprint",
        "eprinttype", "archiveprefix", "eprintclass", "primaryclass", "arxivid", "origyear",
        "langid",
        "language",
        "editor", "editortype", "editora", "editorb", "editorc", "editoratype", "editorbtype",
        "editorctype", "entrysubtype",
    }
)  # fmt: skip
"""Fields handled by code in :mod:`citekit.mapping.bib_to_csl` (they combine or depend)."""

CUSTOM_FIELDS: frozenset[str] = frozenset(
    {
        "addendum", "afterword", "annotator", "authortype", "bookpagination", "commentator",
        "crossref", "entryset", "execute", "file", "foreword", "gender", "holder", "ids",
        "indexsorttitle", "indextitle", "introduction", "isan", "ismn", "isrn", "iswc", "key",
        "label",
        "langidopts", "nameaddon", "options", "origlanguage", "pagination", "pdf", "presort",
        "related", "relatedoptions", "relatedstring", "relatedtype", "reprinttitle",
        "shortauthor", "shorteditor", "shorthand", "shorthandintro", "shortseries", "sortkey",
        "sortname", "sortshorthand", "sorttitle", "sortyear", "xdata", "xref",
    }
)  # fmt: skip
"""Standard BibTeX/BibLaTeX fields with no CSL variable: kept as written in
``custom["bibtex"]["fields"]`` on purpose (sorting hints, cross-references, roles CSL lacks)."""

NUMBER_TARGET: dict[str, str] = {
    "article": "issue",
    "periodical": "issue",
    "suppperiodical": "issue",
    "book": "collection-number",
    "mvbook": "collection-number",
    "inbook": "collection-number",
    "bookinbook": "collection-number",
    "suppbook": "collection-number",
    "collection": "collection-number",
    "mvcollection": "collection-number",
    "incollection": "collection-number",
    "suppcollection": "collection-number",
    "proceedings": "collection-number",
    "mvproceedings": "collection-number",
    "inproceedings": "collection-number",
    "conference": "collection-number",
    "reference": "collection-number",
    "mvreference": "collection-number",
    "inreference": "collection-number",
}
"""Where ``number`` goes by entry type: the issue of a journal, the number in a series for
books (BibLaTeX ``series``+``number``), else CSL ``number`` (reports, patents, standards...)."""

EDITOR_ROLES: dict[str, str] = {
    "editor": "editor",
    "compiler": "compiler",
    "director": "director",
    "organizer": "organizer",
    "chair": "chair",
    "collaborator": "contributor",
    "translator": "translator",
    "producer": "producer",
    "curator": "curator",
    "reviser": "editor",
    "redactor": "editor",
}
"""BibLaTeX ``editortype`` values → CSL name variables (others stay in ``custom``)."""

LANGIDS: dict[str, str] = {
    "english": "en-US", "american": "en-US", "USenglish": "en-US", "british": "en-GB",
    "UKenglish": "en-GB", "canadian": "en-CA", "australian": "en-AU", "newzealand": "en-NZ",
    "german": "de-DE", "ngerman": "de-DE", "austrian": "de-AT", "naustrian": "de-AT",
    "swissgerman": "de-CH", "nswissgerman": "de-CH", "french": "fr-FR", "francais": "fr-FR",
    "spanish": "es-ES", "catalan": "ca-AD", "italian": "it-IT", "dutch": "nl-NL",
    "portuguese": "pt-PT", "portuges": "pt-PT", "brazilian": "pt-BR", "brazil": "pt-BR",
    "russian": "ru",
    "ukrainian": "uk", "polish": "pl", "czech": "cs", "slovak": "sk", "slovene": "sl",
    "croatian": "hr", "serbian": "sr", "bulgarian": "bg", "greek": "el", "turkish": "tr",
    "hungarian": "hu", "magyar": "hu", "romanian": "ro", "finnish": "fi", "swedish": "sv",
    "danish": "da", "norwegian": "nb", "norsk": "nb", "nynorsk": "nn", "icelandic": "is",
    "estonian": "et", "latvian": "lv", "lithuanian": "lt", "japanese": "ja", "chinese": "zh",
    "korean": "ko", "hebrew": "he", "arabic": "ar", "latin": "la", "basque": "eu",
    "galician": "gl", "irish": "ga", "welsh": "cy", "vietnamese": "vi", "hindi": "hi",
    "persian": "fa", "farsi": "fa", "indonesian": "id", "malay": "ms", "thai": "th",
}  # fmt: skip
"""babel/polyglossia language names (``langid``/``language``) → BCP 47 tags; babel's
``english`` is American English and ``german`` is German as used in Germany, hence regions
(the same tags pandoc uses)."""


LANGUAGE_VARIANTS: dict[str, str] = {
    "american": "US", "us": "US", "usmax": "US", "british": "GB", "uk": "GB", "ukmax": "GB",
    "australian": "AU", "newzealand": "NZ", "canadian": "CA", "german": "DE", "austrian": "AT",
    "swiss": "CH", "brazilian": "BR", "portuguese": "PT",
}  # fmt: skip
"""polyglossia ``langidopts={variant=...}`` values → BCP 47 region subtags."""


@dataclass(frozen=True, slots=True)
class InheritRule:
    """BibLaTeX crossref inheritance: parent field → child field for these type pairs."""

    parents: frozenset[str]
    children: frozenset[str]
    fields: tuple[tuple[str, str], ...]


_TITLE_TO_BOOK = (
    ("title", "booktitle"),
    ("subtitle", "booksubtitle"),
    ("titleaddon", "booktitleaddon"),
)
_TITLE_TO_MAIN = (
    ("title", "maintitle"),
    ("subtitle", "mainsubtitle"),
    ("titleaddon", "maintitleaddon"),
)
_NO_SHORT = (("shorttitle", ""), ("sorttitle", ""), ("indextitle", ""), ("indexsorttitle", ""))

INHERIT_RULES: tuple[InheritRule, ...] = (
    InheritRule(
        frozenset({"mvbook", "book"}),
        frozenset({"inbook", "bookinbook", "suppbook"}),
        (("author", "author"), ("author", "bookauthor")),
    ),
    InheritRule(
        frozenset({"mvbook"}),
        frozenset({"book", "inbook", "bookinbook", "suppbook"}),
        (*_TITLE_TO_MAIN, *_NO_SHORT),
    ),
    InheritRule(
        frozenset({"mvcollection", "mvreference"}),
        frozenset({"collection", "reference", "incollection", "inreference", "suppcollection"}),
        (*_TITLE_TO_MAIN, *_NO_SHORT),
    ),
    InheritRule(
        frozenset({"mvproceedings"}),
        frozenset({"proceedings", "inproceedings"}),
        (*_TITLE_TO_MAIN, *_NO_SHORT),
    ),
    InheritRule(
        frozenset({"book"}),
        frozenset({"inbook", "bookinbook", "suppbook"}),
        (*_TITLE_TO_BOOK, *_NO_SHORT),
    ),
    InheritRule(
        frozenset({"collection", "reference"}),
        frozenset({"incollection", "inreference", "suppcollection"}),
        (*_TITLE_TO_BOOK, *_NO_SHORT),
    ),
    InheritRule(
        frozenset({"proceedings"}),
        frozenset({"inproceedings", "conference"}),
        (*_TITLE_TO_BOOK, *_NO_SHORT),
    ),
    InheritRule(
        frozenset({"periodical"}),
        frozenset({"article", "suppperiodical"}),
        (
            ("title", "journaltitle"),
            ("subtitle", "journalsubtitle"),
            ("shorttitle", "shortjournal"),
            ("sorttitle", ""),
            ("indextitle", ""),
            ("indexsorttitle", ""),
        ),
    ),
)
"""biblatex's default ``\\DeclareDataInheritance`` rules (an empty target: not inherited)."""

INHERIT_NEVER: frozenset[str] = frozenset(
    {
        "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
        "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
        "shorthand", "shorthandintro", "sortkey",
    }
)  # fmt: skip
"""Fields a child never inherits (biblatex manual §2.2.3 / appendix B)."""

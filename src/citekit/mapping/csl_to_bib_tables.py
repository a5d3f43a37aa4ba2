"""CSL → BibTeX/BibLaTeX tables (types and fields), the reverse of the reader's tables.

Data only; :mod:`citekit.mapping.csl_to_bib` runs them. Example:
``CSL_TO_BIBTEX_TYPES["chapter"] == BibType("incollection", accepts={"inbook", ...})``: a
``chapter`` is written ``@incollection`` unless it was read from an ``@inbook``, which is
restored. ``FieldRule("container-title", "journal", TEXT, csl_types=ARTICLES)`` writes the
container of an article as ``journal``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ARTICLES",
    "BIBLATEX_FIELDS",
    "BIBLATEX_TYPE_NAMES",
    "BIBTEX_FIELDS",
    "BIBTEX_TYPE_NAMES",
    "BOOKTITLE_TYPES",
    "CSL_TO_BIBLATEX_TYPES",
    "CSL_TO_BIBTEX_TYPES",
    "DEFAULT_GENRES",
    "FIELD_ALIASES",
    "GENRE_KEYS",
    "BibType",
    "FieldRule",
    "applicable_rules",
]

# Field kinds (how a value is encoded).
TEXT = "text"  # rich text → LaTeX
PLAIN = "plain"  # text without markup translation
VERBATIM = "verbatim"  # url/doi/eprint/file: never escaped
PAGES = "pages"
NAMES = "names"
DATE = "date"
NUMBER = "number"
EDITION = "edition"
KEYWORDS = "keywords"
LIST = "list"  # a BibLaTeX literal list (publisher, location…): a bare "and" is braced


@dataclass(frozen=True, slots=True)
class BibType:
    """Outbound entry type for one CSL type.

    Attributes:
        primary: The type written for a record of that CSL type.
        accepts: Other types that also map to that CSL type; an original entry type in
            this set is restored (``@inbook`` stays ``@inbook``).
        exact: ``False`` when the target has no equivalent and ``primary`` is a fallback
            (reported as not representable).
    """

    primary: str
    accepts: frozenset[str] = frozenset()
    exact: bool = True


def _t(primary: str, *accepts: str, exact: bool = True) -> BibType:
    return BibType(primary, frozenset(accepts), exact)


_BOOKS = (
    "mvbook", "booklet", "manual", "bookinbook", "proceedings", "mvproceedings", "collection",
    "mvcollection", "reference", "mvreference", "commentary",
)  # fmt: skip
_DOCUMENTS = (
    "manual", "booklet", "set", "xdata", "bibnote", *(f"custom{c}" for c in "abcdef"),
)  # fmt: skip

CSL_TO_BIBTEX_TYPES: dict[str, BibType] = {
    "article": _t("misc", "article", "unpublished", "online", "preprint", "electronic"),
    "article-journal": _t("article", "suppperiodical"),
    "article-magazine": _t("article"),
    "article-newspaper": _t("article"),
    "bill": _t("misc", exact=False),
    "book": _t("book", *_BOOKS),
    "broadcast": _t("misc", exact=False),
    "chapter": _t("incollection", "inbook", "bookinbook", "suppbook", "suppcollection"),
    "classic": _t("book", exact=False),
    "collection": _t("book", *_BOOKS),
    "dataset": _t("misc", "dataset", exact=False),
    "document": _t("misc", *_DOCUMENTS),
    "entry": _t("incollection", "inreference", "inbook", exact=False),
    "entry-dictionary": _t("incollection", "inreference", "inbook", exact=False),
    "entry-encyclopedia": _t("incollection", "inreference", "inbook", exact=False),
    "event": _t("misc", exact=False),
    "figure": _t("misc", "artwork", "image", exact=False),
    "graphic": _t("misc", "artwork", "image", exact=False),
    "hearing": _t("misc", exact=False),
    "interview": _t("misc", exact=False),
    "legal_case": _t("misc", "jurisdiction", exact=False),
    "legislation": _t("misc", "legislation", "legal", exact=False),
    "manuscript": _t("unpublished", "misc"),
    "map": _t("misc", exact=False),
    "motion_picture": _t("misc", "movie", "video", exact=False),
    "musical_score": _t("misc", "music", exact=False),
    "pamphlet": _t("booklet"),
    "paper-conference": _t("inproceedings", "conference"),
    "patent": _t("misc", "patent", exact=False),
    "performance": _t("misc", "performance", exact=False),
    "periodical": _t("misc", "periodical", "suppperiodical", exact=False),
    "personal_communication": _t("misc", "letter", exact=False),
    "post": _t("misc", "online", exact=False),
    "post-weblog": _t("misc", "online", exact=False),
    "regulation": _t("misc", exact=False),
    "report": _t("techreport", "report", "manual"),
    "review": _t("article", exact=False),
    "review-book": _t("article", exact=False),
    "software": _t("misc", "software", exact=False),
    "song": _t("misc", "audio", "music", exact=False),
    "speech": _t("misc", "unpublished", exact=False),
    "standard": _t("misc", "standard", "techreport", exact=False),
    "thesis": _t("phdthesis", "mastersthesis", "thesis"),
    "treaty": _t("misc", exact=False),
    "webpage": _t("misc", "online", "electronic", "www"),
}
"""Every CSL type → BibTeX entry type (tested to cover ``ITEM_TYPES``)."""

CSL_TO_BIBLATEX_TYPES: dict[str, BibType] = {
    "article": _t("online", "misc", "article", "unpublished", "preprint", "electronic"),
    "article-journal": _t("article", "suppperiodical"),
    "article-magazine": _t("article"),
    "article-newspaper": _t("article"),
    "bill": _t("legislation", exact=False),
    "book": _t("book", *_BOOKS),
    "broadcast": _t("misc", exact=False),
    "chapter": _t("incollection", "inbook", "bookinbook", "suppbook", "suppcollection"),
    "classic": _t("book", exact=False),
    "collection": _t("collection", "book", *_BOOKS),
    "dataset": _t("dataset", "misc"),
    "document": _t("misc", *_DOCUMENTS),
    "entry": _t("inreference", "incollection", "inbook"),
    "entry-dictionary": _t("inreference", "incollection", "inbook"),
    "entry-encyclopedia": _t("inreference", "incollection", "inbook"),
    "event": _t("misc", exact=False),
    "figure": _t("artwork", "image", "misc", exact=False),
    "graphic": _t("artwork", "image", "misc"),
    "hearing": _t("misc", exact=False),
    "interview": _t("misc", exact=False),
    "legal_case": _t("jurisdiction", "misc"),
    "legislation": _t("legislation", "legal", "misc"),
    "manuscript": _t("unpublished", "misc"),
    "map": _t("misc", exact=False),
    "motion_picture": _t("movie", "video", "misc"),
    "musical_score": _t("music", "misc", exact=False),
    "pamphlet": _t("booklet"),
    "paper-conference": _t("inproceedings", "conference"),
    "patent": _t("patent"),
    "performance": _t("performance", "misc", exact=False),
    "periodical": _t("periodical", "suppperiodical"),
    "personal_communication": _t("letter", "misc", exact=False),
    "post": _t("online", "misc"),
    "post-weblog": _t("online", "misc"),
    "regulation": _t("legislation", "misc", exact=False),
    "report": _t("report", "techreport", "manual"),
    "review": _t("review", "article", exact=False),
    "review-book": _t("review", "article", exact=False),
    "software": _t("software", "misc"),
    "song": _t("audio", "music", "misc", exact=False),
    "speech": _t("unpublished", "misc", exact=False),
    "standard": _t("standard", "techreport", "report", "misc"),
    "thesis": _t("thesis", "phdthesis", "mastersthesis"),
    "treaty": _t("misc", exact=False),
    "webpage": _t("online", "electronic", "www", "misc"),
}
"""Every CSL type → BibLaTeX entry type (tested to cover ``ITEM_TYPES``)."""

BIBTEX_TYPE_NAMES: frozenset[str] = frozenset(
    {
        "article", "book", "booklet", "conference", "inbook", "incollection",
        "inproceedings", "manual", "mastersthesis", "misc", "phdthesis", "proceedings",
        "techreport", "unpublished",
    }
)  # fmt: skip
"""Entry types of the classic ``.bst`` styles."""

BIBLATEX_TYPE_NAMES: frozenset[str] = frozenset(
    {
        "article", "artwork", "audio", "bibnote", "book", "bookinbook", "booklet",
        "collection", "commentary", "conference", "dataset", "electronic", "image",
        "inbook", "incollection", "inproceedings", "inreference", "jurisdiction", "legal",
        "legislation", "letter", "manual", "mastersthesis", "misc", "movie", "music",
        "mvbook", "mvcollection", "mvproceedings", "mvreference", "online", "patent",
        "performance", "periodical", "phdthesis", "proceedings", "reference", "report",
        "review", "set", "software", "standard", "suppbook", "suppcollection",
        "suppperiodical", "techreport", "thesis", "unpublished", "video", "www", "xdata",
    }
)  # fmt: skip
"""Entry types biber knows (standard, aliases and the non-standard ones styles may use)."""

ARTICLES = frozenset(
    {"article-journal", "article-magazine", "article-newspaper", "review", "review-book"}
)
_JOURNALS = ARTICLES | {"article", "periodical"}
_NUMBERED = frozenset(
    {"report", "patent", "standard", "bill", "legislation", "regulation", "article"}
)
_THESIS = frozenset({"thesis"})
_REPORT = frozenset({"report", "standard"})


@dataclass(frozen=True, slots=True)
class FieldRule:
    """One CSL variable → one ``.bib`` field.

    The first rule of a dialect whose conditions hold is used for a variable. Example:
    ``FieldRule("publisher", "school", PLAIN, csl_types=frozenset({"thesis"}))``.

    Attributes:
        csl: The CSL variable.
        bib: The field written.
        kind: How the value is encoded (``text``, ``verbatim``, ``names``, ``pages`` …).
        csl_types: Only for records of these CSL types (``None``: any).
        unless: Skip the rule when the record has this variable too (it takes the field).
    """

    csl: str
    bib: str
    kind: str
    csl_types: frozenset[str] | None = None
    unless: str | None = None


def _common(dialect: str) -> tuple[FieldRule, ...]:
    latex = dialect == "biblatex"
    return (
        FieldRule("author", "author", NAMES),
        FieldRule("editor", "editor", NAMES),
        FieldRule("translator", "translator", NAMES),
        FieldRule("container-author", "bookauthor", NAMES),
        FieldRule("title", "title", TEXT),
        FieldRule("container-title", "journaltitle" if latex else "journal", TEXT, _JOURNALS),
        FieldRule("container-title", "booktitle", TEXT, None),
        FieldRule("container-title-short", "shortjournal", TEXT),
        FieldRule("collection-title", "series", TEXT),
        FieldRule("issued", "date" if latex else "year", DATE),
        FieldRule("volume", "volume", PLAIN),
        FieldRule("issue", "number", PLAIN, ARTICLES, unless="number"),
        FieldRule("number", "eid", PLAIN, ARTICLES),  # an article's own number
        FieldRule("number", "number", PLAIN, _NUMBERED),
        FieldRule("collection-number", "number", PLAIN, None, unless="issue"),
        FieldRule("issue", "issue", PLAIN),
        FieldRule("number", "number", PLAIN, None, unless="collection-number"),
        FieldRule("page", "pages", PAGES),
        FieldRule("number-of-pages", "pagetotal", PLAIN),
        FieldRule("number-of-volumes", "volumes", PLAIN),
        FieldRule("edition", "edition", EDITION),
        FieldRule("publisher", "institution" if latex else "school", LIST, _THESIS),
        FieldRule("publisher", "institution", LIST, _REPORT),
        FieldRule("publisher", "publisher", LIST),
        FieldRule("jurisdiction", "location", LIST, frozenset({"patent"})),
        FieldRule("publisher-place", "location" if latex else "address", LIST),
        FieldRule("genre", "type", TEXT),
        FieldRule("event-title", "eventtitle", TEXT),
        FieldRule("event-place", "venue", LIST),
        FieldRule("event-date", "eventdate", DATE),
        FieldRule("original-date", "origdate", DATE),
        FieldRule("accessed", "urldate", DATE),
        FieldRule("title-short", "shorttitle", TEXT),
        FieldRule("original-title", "origtitle", TEXT),
        FieldRule("original-publisher", "origpublisher", TEXT),
        FieldRule("original-publisher-place", "origlocation", TEXT),
        FieldRule("DOI", "doi", VERBATIM),
        FieldRule("URL", "url", VERBATIM),
        FieldRule("ISBN", "isbn", PLAIN),
        FieldRule("ISSN", "issn", PLAIN),
        FieldRule("PMID", "pmid", VERBATIM),
        FieldRule("PMCID", "pmcid", VERBATIM),
        FieldRule("language", "language", PLAIN),
        FieldRule("keyword", "keywords", KEYWORDS),
        FieldRule("abstract", "abstract", TEXT),
        FieldRule("note", "note", TEXT),
        FieldRule("annote", "annote", TEXT),
        FieldRule("version", "version", PLAIN),
        FieldRule("medium", "medium", TEXT),
        FieldRule("part-number", "part", PLAIN),
        FieldRule("status", "pubstate", PLAIN),
        FieldRule("chapter-number", "chapter", PLAIN),
        FieldRule("volume-title", "issuetitle", TEXT),
        FieldRule("call-number", "library", TEXT),
    )


BIBTEX_FIELDS: tuple[FieldRule, ...] = _common("bibtex")
"""CSL variable → BibTeX field rules, in output order."""
BIBLATEX_FIELDS: tuple[FieldRule, ...] = _common("biblatex")
"""CSL variable → BibLaTeX field rules, in output order."""

FIELD_ALIASES: dict[str, frozenset[str]] = {
    "journal": frozenset({"journaltitle"}),
    "journaltitle": frozenset({"journal"}),
    "address": frozenset({"location"}),
    "location": frozenset({"address"}),
    "school": frozenset({"institution"}),
    "institution": frozenset({"school"}),
    "annote": frozenset({"annotation"}),
    "pagetotal": frozenset({"numpages"}),
    "publisher": frozenset({"organization"}),
}
"""Fields that name the same thing in the two dialects (for macros and original spellings)."""

DEFAULT_GENRES: dict[str, frozenset[str]] = {
    "phdthesis": frozenset({"phd thesis", "phdthesis", "doctoral thesis", "ph.d. thesis"}),
    "mastersthesis": frozenset({"master's thesis", "masters thesis", "mastersthesis"}),
    "techreport": frozenset({"technical report", "techreport"}),
}
"""Genres the reader derives from an entry type; not written back as ``type`` (lower case)."""

BOOKTITLE_TYPES: frozenset[str] = frozenset(
    {
        "inbook", "incollection", "inproceedings", "conference", "bookinbook", "suppbook",
        "suppcollection", "inreference", "article", "misc", "online", "unpublished", "report",
        "techreport", "manual", "booklet", "dataset", "software", "thesis", "phdthesis",
        "mastersthesis", "patent", "periodical", "suppperiodical",
    }
)  # fmt: skip
"""Entry types whose ``booktitle`` the reader takes as the container (biblatex ignores it on
self-contained works); elsewhere the container goes to ``maintitle``."""

GENRE_KEYS: dict[str, str] = {
    "phd thesis": "phdthesis",
    "master's thesis": "mathesis",
    "candidate thesis": "candthesis",
    "bachelor's thesis": "bathesis",
    "technical report": "techreport",
    "research report": "resreport",
}
"""Genre text → the BibLaTeX ``type`` key biblatex localises (the reader's table reversed)."""


def _index(rules: tuple[FieldRule, ...]) -> dict[str, list[tuple[int, FieldRule]]]:
    out: dict[str, list[tuple[int, FieldRule]]] = {}
    for position, rule in enumerate(rules):
        out.setdefault(rule.csl, []).append((position, rule))
    return out


_RULE_INDEX = {"bibtex": _index(BIBTEX_FIELDS), "biblatex": _index(BIBLATEX_FIELDS)}
"""Rules by CSL variable, with their table position (only a record's variables are tried)."""
_RULES_CACHE: dict[tuple[str, tuple[str, ...], str], list[FieldRule]] = {}


def applicable_rules(dialect: str, variables: tuple[str, ...], csl_type: str) -> list[FieldRule]:
    """The rules that apply to a record with ``variables`` of ``csl_type``, in table order.

    A rule applies when the record has its variable, is of one of its ``csl_types`` (if it
    names any), and lacks its ``unless`` variable. Cached: records share these.
    """
    key = (dialect, variables, csl_type)
    rules = _RULES_CACHE.get(key)
    if rules is None:
        index = _RULE_INDEX[dialect]
        candidates = sorted(p for v in variables if v in index for p in index[v])
        rules = [
            rule
            for _, rule in candidates
            if (rule.csl_types is None or csl_type in rule.csl_types)
            and not (rule.unless and rule.unless in variables)
        ]
        if len(_RULES_CACHE) >= 4096:
            _RULES_CACHE.clear()
        _RULES_CACHE[key] = rules
    return rules

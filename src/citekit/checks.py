"""Lint checks over a Library: required fields, duplicates, corporate names, title case.

``check_library(library)`` returns located diagnostics (``check.<reason>`` codes); the
parse diagnostics of the library itself (including ``library.id-case-collision`` for keys
that differ only in case) are reported by the reader and are not repeated here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from citekit.errors import Diagnostic, Severity
from citekit.model import Library, Record, SourceLocation

__all__ = ["REQUIRED_BIBLATEX", "REQUIRED_BIBTEX", "REQUIRED_CSL", "Requirement", "check_library"]


@dataclass(frozen=True, slots=True)
class Requirement:
    """One required field: satisfied when any of the CSL variables or raw bib fields is set."""

    label: str
    csl: tuple[str, ...]
    bib: tuple[str, ...] = ()


def _r(label: str, *csl: str, bib: tuple[str, ...] = ()) -> Requirement:
    return Requirement(label, csl, bib or tuple(label.split("/")))


AUTHOR = _r("author", "author")
AUTHOR_EDITOR = _r("author/editor", "author", "editor")
EDITOR = _r("editor", "editor")
TITLE = _r("title", "title")
YEAR = _r("year", "issued", bib=("year", "date"))
DATE = _r("year/date", "issued", bib=("year", "date"))
JOURNAL = _r("journal", "container-title", bib=("journal", "journaltitle"))
JOURNALTITLE = _r("journaltitle", "container-title", bib=("journaltitle", "journal"))
BOOKTITLE = _r("booktitle", "container-title")
PUBLISHER = _r("publisher", "publisher")
SCHOOL = _r("school", "publisher", bib=("school", "institution"))
INSTITUTION = _r("institution", "publisher", bib=("institution", "school"))
CHAPTER_PAGES = _r("chapter/pages", "chapter-number", "page")
NOTE = _r("note", "note")
NUMBER = _r("number", "number")
LOCATION = _r("doi/eprint/url", "DOI", "URL", bib=("doi", "eprint", "url"))
URL = _r("URL", "URL")
CONTAINER = _r("container-title", "container-title")
ISSUED = _r("issued", "issued")

REQUIRED_BIBTEX: dict[str, tuple[Requirement, ...]] = {
    # From btxdoc ("Entry Types"), the classic BibTeX styles' required fields.
    "article": (AUTHOR, TITLE, JOURNAL, YEAR),
    "book": (AUTHOR_EDITOR, TITLE, PUBLISHER, YEAR),
    "booklet": (TITLE,),
    "inbook": (AUTHOR_EDITOR, TITLE, CHAPTER_PAGES, PUBLISHER, YEAR),
    "incollection": (AUTHOR, TITLE, BOOKTITLE, PUBLISHER, YEAR),
    "inproceedings": (AUTHOR, TITLE, BOOKTITLE, YEAR),
    "conference": (AUTHOR, TITLE, BOOKTITLE, YEAR),
    "manual": (TITLE,),
    "mastersthesis": (AUTHOR, TITLE, SCHOOL, YEAR),
    "misc": (),
    "phdthesis": (AUTHOR, TITLE, SCHOOL, YEAR),
    "proceedings": (TITLE, YEAR),
    "techreport": (AUTHOR, TITLE, INSTITUTION, YEAR),
    "unpublished": (AUTHOR, TITLE, NOTE),
}

REQUIRED_BIBLATEX: dict[str, tuple[Requirement, ...]] = {
    # From the biblatex manual, section 2.1.1 (required fields of the regular types).
    "article": (AUTHOR, TITLE, JOURNALTITLE, DATE),
    "book": (AUTHOR, TITLE, DATE),
    "mvbook": (AUTHOR, TITLE, DATE),
    "inbook": (AUTHOR, TITLE, BOOKTITLE, DATE),
    "bookinbook": (AUTHOR, TITLE, BOOKTITLE, DATE),
    "suppbook": (AUTHOR, TITLE, BOOKTITLE, DATE),
    "booklet": (AUTHOR_EDITOR, TITLE, DATE),
    "collection": (EDITOR, TITLE, DATE),
    "mvcollection": (EDITOR, TITLE, DATE),
    "incollection": (AUTHOR, TITLE, BOOKTITLE, DATE),
    "suppcollection": (AUTHOR, TITLE, BOOKTITLE, DATE),
    "dataset": (AUTHOR_EDITOR, TITLE, DATE),
    "manual": (AUTHOR_EDITOR, TITLE, DATE),
    "misc": (AUTHOR_EDITOR, TITLE, DATE),
    "online": (AUTHOR_EDITOR, TITLE, DATE, LOCATION),
    "patent": (AUTHOR, TITLE, NUMBER, DATE),
    "periodical": (EDITOR, TITLE, DATE),
    "proceedings": (TITLE, DATE),
    "mvproceedings": (TITLE, DATE),
    "inproceedings": (AUTHOR, TITLE, BOOKTITLE, DATE),
    "reference": (EDITOR, TITLE, DATE),
    "inreference": (AUTHOR, TITLE, BOOKTITLE, DATE),
    "report": (AUTHOR, TITLE, INSTITUTION, DATE),
    "software": (AUTHOR_EDITOR, TITLE, DATE),
    "thesis": (AUTHOR, TITLE, INSTITUTION, DATE),
    "unpublished": (AUTHOR, TITLE, DATE),
}

REQUIRED_CSL: dict[str, tuple[Requirement, ...]] = {
    # citekit's own minimum for records that never were BibTeX (CSL-JSON, markdown lists).
    "article-journal": (AUTHOR, TITLE, CONTAINER, ISSUED),
    "article-magazine": (TITLE, CONTAINER, ISSUED),
    "article-newspaper": (TITLE, CONTAINER, ISSUED),
    "book": (AUTHOR_EDITOR, TITLE, ISSUED),
    "chapter": (AUTHOR, TITLE, CONTAINER, ISSUED),
    "paper-conference": (AUTHOR, TITLE, CONTAINER, ISSUED),
    "thesis": (AUTHOR, TITLE, ISSUED),
    "report": (AUTHOR_EDITOR, TITLE, ISSUED),
    "webpage": (TITLE, URL),
    "article": (AUTHOR, TITLE, ISSUED),
}

CORPORATE_WORDS = frozenset(
    [
        "university",
        "universität",
        "université",
        "universidad",
        "institute",
        "institut",
        "institution",
        "organization",
        "organisation",
        "consortium",
        "group",
        "team",
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "llc",
        "corporation",
        "corp",
        "corp.",
        "company",
        "committee",
        "association",
        "society",
        "foundation",
        "collaboration",
        "agency",
        "council",
        "laboratory",
        "laboratories",
        "lab",
        "labs",
        "project",
        "initiative",
        "center",
        "centre",
        "department",
        "ministry",
        "office",
        "bureau",
        "commission",
        "academy",
        "alliance",
        "network",
        "board",
    ]
)
_SUFFIX_GIVEN = re.compile(r"^(?:jr|sr|ii|iii|iv)\.?$", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|arxiv[:.]\s*|10\.48550/arxiv\.)"
    r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]+>")
_NOCASE = re.compile(r'<span class="nocase">.*?</span>', re.DOTALL)


def _location(location: SourceLocation | None) -> dict[str, Any]:
    if location is None:
        return {}
    return {"source": location.source, "line": location.line, "column": location.column}


def _bib(record: Record) -> dict[str, Any]:
    custom = record.get("custom")
    bib = custom.get("bibtex") if isinstance(custom, dict) else None
    return bib if isinstance(bib, dict) else {}


def _has(record: Record, requirement: Requirement) -> bool:
    if any(record.get(variable) not in (None, "", []) for variable in requirement.csl):
        return True
    fields = _bib(record).get("fields")
    if isinstance(fields, dict):
        present = {str(name).lower() for name, value in fields.items() if value}
        return any(name in present for name in requirement.bib)
    return False


def _requirements(record: Record) -> tuple[str, tuple[Requirement, ...]] | None:
    bib_type = _bib(record).get("type")
    if isinstance(bib_type, str):
        bib_type = bib_type.lower()
        if bib_type in REQUIRED_BIBTEX:
            return f"@{bib_type}", REQUIRED_BIBTEX[bib_type]
        if bib_type in REQUIRED_BIBLATEX:
            return f"@{bib_type}", REQUIRED_BIBLATEX[bib_type]
        return None
    csl_type = str(record.get("type", ""))
    if csl_type in REQUIRED_CSL:
        return csl_type, REQUIRED_CSL[csl_type]
    return None


def _normal_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", _TAG.sub("", title))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _doi(record: Record) -> str | None:
    value = record.get("DOI")
    if not isinstance(value, str) or not value.strip():
        return None
    return _DOI_PREFIX.sub("", value.strip()).lower()


def _arxiv(record: Record) -> str | None:
    fields = _bib(record).get("fields")
    candidates = [record.get(name) for name in ("DOI", "URL", "number", "archive_location")]
    if isinstance(fields, dict):
        lowered = {str(k).lower(): v for k, v in fields.items()}
        prefix = str(lowered.get("archiveprefix", lowered.get("eprinttype", ""))).lower()
        if prefix == "arxiv" and isinstance(lowered.get("eprint"), str):
            candidates.append("arXiv:" + lowered["eprint"])
    for candidate in candidates:
        if isinstance(candidate, str):
            match = _ARXIV.search(candidate)
            if match:
                return match.group(1).lower()
    return None


def _inner_capitals(text: str) -> list[str]:
    """Words with a capital after their first letter (``BERT``, ``ImageNet``, ``GPT-4``)."""
    words = (word.strip(".,:;!?()[]\"'") for word in text.split())
    return [word for word in words if any(ch.isupper() for ch in word[1:])]


def _names(record: Record) -> Iterator[tuple[str, dict[str, Any]]]:
    for variable in ("author", "editor", "translator"):
        names = record.get(variable)
        if isinstance(names, list):
            for name in names:
                if isinstance(name, dict):
                    yield variable, name


def _check_record(record: Record, where: dict[str, Any]) -> Iterator[Diagnostic]:
    key = str(record.get("id", ""))

    def make(code: str, message: str, severity: Severity = Severity.WARNING, **extra: Any) -> Any:
        return Diagnostic(severity, f"check.{code}", message, key=key, **where, **extra)

    found = _requirements(record)
    if found is not None:
        type_name, requirements = found
        for requirement in requirements:
            if not _has(record, requirement):
                yield make(
                    "missing-required",
                    f"{type_name} requires {requirement.label}",
                    field=requirement.label,
                )
    for variable, name in _names(record):
        if "literal" in name or not name.get("family"):
            continue
        full = f"{name.get('given', '')} {name['family']}".strip()
        name_words = {word.strip(",").casefold() for word in full.split()}
        if name_words & CORPORATE_WORDS:
            yield make(
                "corporate-name",
                f"{variable} {full!r} looks like an organisation split into given/family; "
                "protect it with braces ({...}) or use a literal name",
                field=variable,
            )
        given = str(name.get("given", "")).strip()
        if given and _SUFFIX_GIVEN.match(given):
            yield make(
                "name-suffix-order",
                f"{variable} {full!r} has {given!r} as given name; write 'Last, Jr., First'",
                field=variable,
            )
    title = record.get("title")
    if isinstance(title, str):
        plain = _TAG.sub("", title)
        letters = [ch for ch in plain if ch.isalpha()]
        if len(letters) >= 8 and all(ch.isupper() for ch in letters):
            yield make(
                "title-all-caps", "title is all capitals; write it in title case", field="title"
            )
        elif _bib(record):
            unprotected = _inner_capitals(_TAG.sub(" ", _NOCASE.sub(" ", title)))
            if unprotected:
                words = ", ".join(dict.fromkeys(unprotected))
                yield make(
                    "title-case",
                    f"title words {words} will be lowercased by sentence-case styles; "
                    "protect them with braces",
                    Severity.INFO,
                    field="title",
                )


def _duplicates(library: Library) -> Iterator[Diagnostic]:
    kinds = (("doi", "DOI", _doi), ("arxiv", "arXiv id", _arxiv))
    for code, label, extract in kinds:
        seen: dict[str, tuple[str, SourceLocation | None]] = {}
        for record, location in zip(library.records, library.locations, strict=True):
            value = extract(record)
            if value is None:
                continue
            key = str(record.get("id", ""))
            if value in seen and seen[value][0] != key:
                first_key, first_at = seen[value]
                at = f" at {first_at}" if first_at else ""
                yield Diagnostic(
                    Severity.WARNING,
                    f"check.duplicate-{code}",
                    f"{label} {value} also in {first_key!r}{at}",
                    key=key,
                    **_location(location),
                )
            seen.setdefault(value, (key, location))
    titles: dict[str, tuple[str, SourceLocation | None]] = {}
    for record, location in zip(library.records, library.locations, strict=True):
        title = record.get("title")
        if not isinstance(title, str) or len(_normal_title(title)) < 8:
            continue
        normal, key = _normal_title(title), str(record.get("id", ""))
        if normal in titles and titles[normal][0] != key:
            first_key, first_at = titles[normal]
            at = f" at {first_at}" if first_at else ""
            yield Diagnostic(
                Severity.WARNING,
                "check.duplicate-title",
                f"same title as {first_key!r}{at}",
                key=key,
                field="title",
                **_location(location),
            )
        titles.setdefault(normal, (key, location))


def check_library(library: Library) -> list[Diagnostic]:
    """Lint ``library``: required fields per type, duplicates, names and title case.

    Required fields come from the BibTeX table when the record's original entry type
    (``custom["bibtex"]["type"]``) is a BibTeX type, from the BibLaTeX table for
    BibLaTeX-only types, and otherwise from a small CSL-type table.

    Returns:
        Diagnostics in record order, then the duplicate reports.
    """
    out: list[Diagnostic] = []
    for record, location in zip(library.records, library.locations, strict=True):
        out.extend(_check_record(record, _location(location)))
    out.extend(_duplicates(library))
    return out

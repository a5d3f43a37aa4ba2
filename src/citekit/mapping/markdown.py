"""Reading-list entries → CSL-JSON records: title, authors, venue, year, identifiers, notes.

An :class:`Entry` is one paper as the reader grouped it (a heading with its author line,
links line and notes; or one list item, paragraph or table row). :func:`to_record` maps it:
``### [CVPR 2023] MAGVIT: Masked ... [[PDF]](https://arxiv.org/abs/2212.05199)`` +
``_Lijun Yu, Yong Cheng_`` becomes a ``paper-conference`` record with container title
"Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
``issued`` 2023, ``DOI`` ``10.48550/arXiv.2212.05199`` and two split author names. Problems
come back as ``(severity, code, message, line)`` tuples for the reader to locate.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from citekit.mapping.mdnames import parse_authors
from citekit.mapping.paperlinks import LinkInfo, arxiv_year, find_arxiv_in_text, identify
from citekit.mapping.venues import DEFAULT_TABLE, Venue, VenueTable
from citekit.model.record import Record

__all__ = [
    "EntryFields",
    "Problem",
    "VenueTag",
    "base_id",
    "clean_label",
    "parse_venue_tag",
    "to_record",
]

Problem = tuple[str, str, str, int]
"""``(severity, code, message, line)``."""

_HTML_TAG = re.compile(r"<[^<>\n]{0,400}>")
_YEAR = re.compile(r"(?<![0-9])((?:19|20)\d{2})(?![0-9])")
_SHORT_YEAR = re.compile(r"['’](\d{2})(?![0-9])")
_MONTH = re.compile(r"(?:19|20)\d{2}[-/.](\d{1,2})(?![0-9])")
_MONTHS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april"  # noqa: SIM905
    " june july august september october november december".split()
)
_STOP = frozenset(
    "a an the on of in for to and with from towards toward is are".split()  # noqa: SIM905
)
_TYPE_HINTS = (
    ("journal", "article-journal"),
    ("transactions", "article-journal"),
    ("letters", "article-journal"),
    ("conference", "paper-conference"),
    ("workshop", "paper-conference"),
    ("symposium", "paper-conference"),
    ("proceedings", "paper-conference"),
)


@dataclass(slots=True)
class EntryFields:
    """What the reader found in one reading-list entry, as plain text (no markdown objects)."""

    line: int
    end_line: int
    kind: str
    """``heading``, ``bullet``, ``numbered``, ``paragraph`` or ``row``."""
    title: str = ""
    authors_text: str | None = None
    tags: list[str] = field(default_factory=list)
    """Leading ``[...]``/``(...)`` tags and table keyword cells, as written."""
    segments: list[str] = field(default_factory=list)
    """Comma/period-separated pieces of the text after the title (venue, year, names)."""
    date_text: str | None = None
    venue_text: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)
    """``(label, url)`` of every link of the entry, in order."""
    text: str = ""
    """The entry's text, for identifiers written without a link (``arXiv:2106.07139``)."""
    sections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    abstract: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class VenueTag:
    """A parsed venue tag such as ``CVPR 2023``, ``NeurIPS'22`` or ``arXiv preprint 2022``."""

    written: str
    venue: Venue | None
    name: str
    year: int | None
    month: int | None = None
    extra: str = ""


def clean_label(text: str) -> str:
    """Markup, emoji and stray punctuation removed: ``**Text to Face👨🏻**`` → ``Text to Face``."""
    text = _HTML_TAG.sub("", text) if "<" in text else text
    text = text.replace("**", "").replace("__", "")
    kept = "".join(
        ch for ch in text if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Mn", "Cs", "Co")
    )
    return " ".join(kept.split()).strip(" :-|*_#")


def parse_venue_tag(text: str, table: VenueTable = DEFAULT_TABLE) -> VenueTag | None:
    """Read a venue tag; ``None`` when it has neither a known venue nor a year."""
    written = clean_label(text).strip("[]()")
    if not written or len(written) > 120:
        return None
    year_match = _YEAR.search(written)
    month = None
    if year_match is not None:
        year: int | None = int(year_match.group(1))
        name, extra = written[: year_match.start()], written[year_match.end() :]
        month_match = _MONTH.match(written, year_match.start())
        if month_match is not None and 1 <= int(month_match.group(1)) <= 12:
            month = int(month_match.group(1))
            extra = written[month_match.end() :]
    else:
        short = _SHORT_YEAR.search(written)
        if short is not None:
            yy = int(short.group(1))
            year = 1900 + yy if yy > 70 else 2000 + yy
            name, extra = written[: short.start()], written[short.end() :]
        else:
            year, name, extra = None, written, ""
    name = name.strip(" '’,.-–(")
    if name.lower().startswith("arxiv:"):
        name = "arXiv"
    venue = _lookup(name, table)
    if venue is None and year is None:
        return None
    return VenueTag(written, venue, name, year, month, extra.strip(" ,.)–-"))


def _lookup(name: str, table: VenueTable) -> Venue | None:
    if not name:
        return None
    found = table.lookup(name)
    if found is not None:
        return found
    words = [w for w in name.replace("&", " & ").split() if w.lower() not in ("preprint", "ieee")]
    for candidate in (" ".join(words), words[0] if words else "", name.rstrip("-")):
        if candidate:
            found = table.lookup(candidate)
            if found is not None:
                return found
    return None


def _is_date_name(name: str) -> bool:
    words = name.lower().replace(",", " ").split()
    return not words or all(w in _MONTHS or w.isdigit() for w in words)


def _looks_like_names(segments: list[str]) -> bool:
    for segment in segments:
        words = segment.replace("*", "").split()
        if not words or len(words) > 6 or any(ch.isdigit() for ch in segment):
            return False
        if not any(w[:1].isupper() for w in words):
            return False
    return bool(segments)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def base_id(record: Record) -> str:
    """``{first author family}{year}{first significant title word}``, ASCII lower-case."""
    authors = record.get("author") or [{}]
    family = _ascii_word(str(authors[0].get("family") or authors[0].get("literal") or ""))
    parts = record.get("issued", {}).get("date-parts", [[None]])
    year = str(parts[0][0]) if parts and parts[0] and parts[0][0] else "nd"
    words = [_ascii_word(w) for w in str(record.get("title", "")).split()]
    word = next((w for w in words if w and w not in _STOP), "untitled")
    return f"{family or 'anon'}{year}{word[:20]}"


def _choose_venue(fields: EntryFields, infos: list[LinkInfo], table: VenueTable) -> VenueTag | None:
    tags = [t for t in (parse_venue_tag(tag, table) for tag in fields.tags) if t is not None]
    known = [t for t in tags if t.venue is not None]
    if known:
        return known[0]
    candidates = [fields.venue_text] if fields.venue_text else []
    candidates += fields.segments
    for text in candidates:
        parsed = parse_venue_tag(text, table)
        if parsed is not None and parsed.venue is not None:
            return parsed
    for info in infos:
        if info.venue:
            venue = table.lookup(info.venue)
            if venue is not None:
                return VenueTag(info.venue, venue, info.venue, info.year)
    dated = [t for t in tags if t.name and not _is_date_name(t.name)]
    if dated:
        return dated[0]
    for text in candidates:
        parsed = parse_venue_tag(text, table)
        if parsed is not None and parsed.year and parsed.name and not _is_date_name(parsed.name):
            if len(parsed.name.split()) <= 6:
                return parsed
            break
    return None


def _date(fields: EntryFields, tag: VenueTag | None, infos: list[LinkInfo]) -> list[int] | None:
    if tag is not None and tag.year:
        return [tag.year, tag.month] if tag.month else [tag.year]
    for text in [*fields.tags, fields.date_text or ""]:
        parsed = parse_venue_tag(text)
        if parsed is not None and parsed.year and _is_date_name(parsed.name):
            return [parsed.year, parsed.month] if parsed.month else [parsed.year]
    for info in infos:
        if info.year:
            return [info.year]
    return None


def to_record(
    fields: EntryFields, *, table: VenueTable = DEFAULT_TABLE, annote: bool = True
) -> tuple[Record, list[Problem]]:
    """Map one entry's fields to a CSL record (without ``id``) and the problems found."""
    problems: list[Problem] = []
    line = fields.line
    pairs = [(label, identify(clean_label(label.strip("[]")), url)) for label, url in fields.links]
    pairs = [(label, info) for label, info in pairs if info.role != "anchor" and info.url]
    infos = [info for _, info in pairs]
    record: Record = {"type": "article"}
    title = clean_label(" ".join(fields.title.split())).strip(" ,.:;")
    if title:
        record["title"] = title
    else:
        problems.append(("error", "markdown.no-title", "no title found in this entry", line))
    tag = _choose_venue(fields, infos, table)
    arxiv_id = next((i.arxiv for i in infos if i.arxiv), None) or find_arxiv_in_text(fields.text)
    paper = next((i for i in infos if i.role == "paper"), None)
    if tag is not None and tag.venue is not None:
        venue = tag.venue
        record["type"] = venue.csl_type
        if venue.kind == "preprint":
            record["publisher"] = venue.publisher or venue.name
        else:
            record["container-title"] = venue.name
            if venue.publisher:
                record["publisher"] = venue.publisher
    elif tag is not None and tag.name:
        record["container-title"] = tag.name
        lowered = tag.name.lower()
        record["type"] = next((t for w, t in _TYPE_HINTS if w in lowered), "paper-conference")
        problems.append(
            (
                "warning",
                "markdown.unknown-venue",
                f"venue {tag.name!r} is not in the venue table; kept as written",
                line,
            )
        )
    elif arxiv_id:
        record["publisher"] = "arXiv"
    if arxiv_id and record["type"] == "article":
        record["number"] = arxiv_id
        record.setdefault("publisher", "arXiv")
    if arxiv_id:
        record["DOI"] = f"10.48550/arXiv.{arxiv_id}"
    doi = next((i.doi for i in infos if i.doi and not i.arxiv), None)
    if doi:
        record["DOI"] = doi
    if paper is not None:
        record["URL"] = paper.url
    elif infos:
        record["URL"] = infos[0].url
        problems.append(
            (
                "info",
                "markdown.no-paper-link",
                f"no link to the paper itself; URL is the {infos[0].role} link",
                line,
            )
        )
    else:
        problems.append(("warning", "markdown.no-link", "no link to the paper", line))
    date = _date(fields, tag, infos)
    if date is None and arxiv_id:
        year = arxiv_year(arxiv_id)
        date = [year] if year else None
    if date is not None and date[0]:
        record["issued"] = {"date-parts": [date]}
    else:
        problems.append(("warning", "markdown.no-year", "no year found", line))
    authors_text = fields.authors_text
    if authors_text is None and fields.kind != "heading":
        names = [s for s in fields.segments if not parse_venue_tag(s, table)]
        if names and _looks_like_names(names[:1]):
            authors_text = names[0]
    custom: dict[str, Any] = {"lines": [fields.line, fields.end_line], "kind": fields.kind}
    if authors_text:
        parsed = parse_authors(authors_text)
        if parsed.names:
            record["author"] = parsed.names
        if parsed.truncated:
            record["custom"] = {"et-al": ["author"]}
            problems.append(
                (
                    "info",
                    "markdown.et-al",
                    "the author list ends in 'et al.'; only the listed authors are kept",
                    line,
                )
            )
        for written in parsed.repaired:
            problems.append(
                (
                    "info",
                    "markdown.accent-repaired",
                    f"repaired copy-paste accents in {written[:60]!r}",
                    line,
                )
            )
    if "author" not in record:
        problems.append(("warning", "markdown.no-authors", "no author list found", line))
    keywords = [*fields.sections]
    tag_words: list[str] = []
    for written in fields.tags:
        parsed_tag = parse_venue_tag(written, table)
        if parsed_tag is None or (
            tag is not None
            and parsed_tag.written != tag.written
            and parsed_tag.venue is None
            and parsed_tag.year is None
        ):
            label = clean_label(written)
            if label:
                tag_words.append(label)
    keywords += [t for t in tag_words if t not in keywords]
    if keywords:
        record["keyword"] = ", ".join(keywords)
    if fields.abstract:
        record["abstract"] = "\n".join(fields.abstract)
    notes = [note for note in fields.notes if note.strip()]
    if notes and annote:
        record["annote"] = "\n".join(notes)
    extra_links = [
        {"label": clean_label(label.strip("[]")), "url": info.url, "role": info.role}
        for label, info in pairs
        if info is not paper
    ]
    custom.update({"sections": fields.sections, "tags": tag_words})
    if extra_links:
        custom["links"] = extra_links
    if tag is not None:
        custom["venue"] = tag.written
    if arxiv_id:
        custom["arxiv"] = arxiv_id
    if notes:
        custom["notes"] = notes
    record.setdefault("custom", {})["markdown"] = custom
    return record, problems

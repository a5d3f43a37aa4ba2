"""Reading-list entries → CSL-JSON records: title, authors, venue, year, identifiers, notes.

:class:`EntryFields` is what the reader found in one paper entry (a heading with its author
line, links line and notes; or one list item, paragraph or table row), as plain text.
:func:`to_record` maps it:
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
from citekit.mapping.venues import DEFAULT_TABLE, VenueTable
from citekit.mapping.venuetags import VenueTag, clean_label, is_date_name, parse_venue_tag
from citekit.model.record import Record

__all__ = ["EntryFields", "Problem", "base_id", "to_record"]

Problem = tuple[str, str, str, int]
"""``(severity, code, message, line)``."""

_STOP = frozenset(
    "a an the on of in for to and with from towards toward is are".split()  # noqa: SIM905
)
_PARTICLES = frozenset(
    "van von der den de da di del della du dos des le la ter ten bin al el".split()  # noqa: SIM905
)
_IMAGE_ONLY = re.compile(r"!\[[^\]\n]{0,300}\]\([^)\n]{0,1000}\)")
_NON_PAPER_TYPES = {"code": "software", "video": "motion_picture", "data": "dataset"}
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
    authors_line: int | None = None
    """Line of the author list, when it is not the entry's first line."""
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


def _is_name(segment: str) -> bool:
    """``Ann Lee``, ``Laurens van der Maaten``, ``A B C Rabby and Chengcui Zhang``: names only."""
    if any(ch.isdigit() or ch in ":!?@" for ch in segment):
        return False
    names = re.split(r"\s(?:and|&)\s", segment.replace("*", " "))
    for name in names:
        words = [w for w in name.split() if w.lower() not in ("and", "&")]
        if not 1 <= len(words) <= 5:
            return False
        if not all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
            return False
    return True


def _name_run(segments: list[str], table: VenueTable) -> str | None:
    """Names written as plain comma-separated segments after the title (``A, B, CVPR 2021``).

    One name alone counts only when a known venue follows it, so a subtitle such as
    "Chinese Pre-trained Language Model, 2020" is not read as a person.
    """
    run: list[str] = []
    for segment in segments:
        if not _is_name(segment):
            break
        run.append(segment)
    if not run:
        return None
    if len(run) == 1 and len(segments) > 1:
        # "Title, Ann Lee" alone is a byline; "Title, Some Words, 2020" needs a known venue
        tag = parse_venue_tag(segments[1], table)
        if tag is None or tag.venue is None:
            return None
    return ", ".join(run)


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
    dated = [t for t in tags if t.name and not is_date_name(t.name)]
    if dated:
        return dated[0]
    for text in candidates:
        parsed = parse_venue_tag(text, table)
        if parsed is not None and parsed.year and parsed.name and not is_date_name(parsed.name):
            if len(parsed.name.split()) <= 6:
                return parsed
            break
    return None


def _date(fields: EntryFields, tag: VenueTag | None, infos: list[LinkInfo]) -> list[int] | None:
    if tag is not None and tag.year:
        return [tag.year, tag.month] if tag.month else [tag.year]
    for text in [*fields.tags, fields.date_text or "", *fields.segments]:
        parsed = parse_venue_tag(text)
        if parsed is not None and parsed.year and is_date_name(parsed.name):
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
        record["number"] = f"arXiv:{arxiv_id}"  # as the BibTeX reader writes eprints
        record.setdefault("publisher", "arXiv")
    if arxiv_id:
        record["DOI"] = f"10.48550/arXiv.{arxiv_id}"
    doi = next((i.doi for i in infos if i.doi and not i.arxiv), None)
    if doi:
        record["DOI"] = doi
    if paper is not None:
        record["URL"] = paper.url
        if paper.code_host:
            problems.append(
                (
                    "info",
                    "markdown.paper-link-is-code",
                    f"the paper link points at a code repository ({paper.url})",
                    line,
                )
            )
    elif infos:
        record["URL"] = infos[0].url
        if tag is None and "DOI" not in record:
            # a tutorial, blog post, video or notebook in a reading list: cite it as what it is
            record["type"] = _NON_PAPER_TYPES.get(infos[0].role, "webpage")
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
    id_year = arxiv_year(arxiv_id) if arxiv_id else None
    if date is None and id_year:
        date = [id_year]
    elif date and id_year and date[0] != id_year and record["type"] == "article" and arxiv_id:
        # a preprint's date is its arXiv submission, which the id encodes exactly
        problems.append(
            (
                "info",
                "markdown.year-from-arxiv",
                f"the tag says {date[0]} but arXiv id {arxiv_id} was submitted in {id_year};"
                f" using {id_year}",
                line,
            )
        )
        date = [id_year]
    if date is not None and date[0]:
        record["issued"] = {"date-parts": [date]}
    else:
        problems.append(("warning", "markdown.no-year", "no year found", line))
    authors_text = fields.authors_text
    if authors_text is None and fields.kind != "heading":
        authors_text = _name_run(fields.segments, table)
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
                    fields.authors_line or line,
                )
            )
        for written in parsed.repaired:
            problems.append(
                (
                    "info",
                    "markdown.accent-repaired",
                    f"repaired copy-paste accents in {written[:60]!r}",
                    fields.authors_line or line,
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
    prose = [note for note in notes if not _IMAGE_ONLY.fullmatch(note.strip())]
    if prose and annote:
        record["annote"] = "\n".join(prose)
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

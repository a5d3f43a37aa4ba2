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
from citekit.syntax.markdown import Item, Link, find_links, strip_tags

__all__ = ["Entry", "Problem", "VenueTag", "clean_label", "parse_venue_tag", "to_record"]

Problem = tuple[str, str, str, int]
"""``(severity, code, message, line)``."""

_YEAR = re.compile(r"(?<![0-9])((?:19|20)\d{2})(?![0-9])")
_SHORT_YEAR = re.compile(r"['’](\d{2})(?![0-9])")
_MONTH = re.compile(r"(?:19|20)\d{2}[-/.](\d{1,2})(?![0-9])")
_NUMBER_PREFIX = re.compile(r"\d{1,5}\.\s")
_SEGMENT = re.compile(r"[,;|]|\.\s|\.$|\s-\s")
_ET_AL_END = re.compile(r"et\.? {0,2}al\.?", re.IGNORECASE)
_AUTHOR_LABEL = re.compile(r"(?:\*\*|__)?authors?(?:\*\*|__)?\s{0,3}:(?:\*\*|__)?", re.IGNORECASE)
_MONTHS = frozenset(
    [
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "to",
        "and",
        "with",
        "from",
        "towards",
        "toward",
        "is",
        "are",
    ]
)
_GENERIC_LABELS = frozenset(
    [
        "paper",
        "pdf",
        "arxiv",
        "link",
        "code",
        "project",
        "page",
        "website",
        "doi",
        "html",
        "abs",
        "openreview",
        "thecvf",
    ]
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
class Entry:
    """One paper of a reading list as the reader grouped it."""

    head: Item
    parts: list[Item] = field(default_factory=list)
    """Author lines, link lines and other paragraphs that belong to a heading entry."""
    notes: list[Item] = field(default_factory=list)
    abstract: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)

    @property
    def end_line(self) -> int:
        """Last line of the entry (notes included)."""
        lines = [self.head.end_line] + [i.end_line for i in self.parts + self.notes]
        return max(lines)


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
    text = strip_tags(text).replace("**", "").replace("__", "")
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


def _leading_tags(text: str) -> tuple[list[str], str]:
    """Split ``[!!!] [Meta AI] (CVPR 2023) rest`` into its leading tags and the rest."""
    tags: list[str] = []
    rest = text.lstrip()
    while rest[:1] in ("[", "(") or rest.lower().startswith("<kbd>"):
        if rest.lower().startswith("<kbd>"):
            close = rest.lower().find("</kbd>")
            if close < 0:
                break
            tags.append(rest[5:close])
            rest = rest[close + 6 :].lstrip()
            continue
        closer = "]" if rest[0] == "[" else ")"
        close = rest.find(closer)
        if close < 0 or rest[close + 1 : close + 2] in ("(", "]") or "[" in rest[1:close]:
            break
        tags.append(rest[1:close])
        rest = rest[close + 1 :].lstrip()
    return tags, rest


def _remove_spans(text: str, links: list[Link]) -> str:
    out: list[str] = []
    position = 0
    for link in links:
        if link.start >= position:
            out.append(text[position : link.start])
            position = link.end
    out.append(text[position:])
    return "".join(out)


def _delimited(text: str, marker: str) -> tuple[str, str, str] | None:
    """``before, inside, after`` of the first ``marker…marker`` span, or ``None``."""
    start = text.find(marker)
    if start < 0:
        return None
    end = text.find(marker, start + len(marker))
    if end < 0:
        return None
    return text[:start], text[start + len(marker) : end], text[end + len(marker) :]


def _italic(text: str) -> str | None:
    for marker in ("*", "_"):
        stripped = text.replace("**", "\0\0") if marker == "*" else text.replace("__", "\0\0")
        found = _delimited(stripped, marker)
        if found is not None and found[1].strip() and not found[1].startswith(" "):
            return found[1].replace("\0", marker).strip()
    return None


def _split_title(text: str, links: list[Link]) -> tuple[str, str]:
    """Title and the text after it, for a list item or paragraph first line."""
    stripped = text.lstrip()
    if stripped.startswith(("**", "__")):
        found = _delimited(stripped, stripped[:2])
        if found is not None:
            return found[1], found[2]
    if stripped.startswith("[") and links:
        first = min(links, key=lambda link: link.start)
        label = clean_label(first.label.strip("[]"))
        if label.lower() not in _GENERIC_LABELS and text.find("[") == first.start:
            return label, text[first.end :]
    if stripped.startswith(("\u201c", '"')):
        closer = "\u201d" if stripped[0] == "\u201c" else '"'
        end = stripped.find(closer, 1)
        if end > 0:
            return stripped[1:end], stripped[end + 1 :]
    body = _remove_spans(text, links)
    for stop in (" | ", ". *", ". _"):
        if stop in body:
            head, _, tail = body.partition(stop)
            return head, stop.strip(" |.") + tail
    return body, ""


@dataclass(slots=True)
class _Fields:
    title: str = ""
    authors_text: str | None = None
    tags: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    date_text: str | None = None
    venue_text: str | None = None


def _row_fields(item: Item, fields: _Fields) -> None:
    header = [clean_label(h).lower() for h in item.header]
    title_cell = None
    for index, cell in enumerate(item.cells):
        name = header[index] if index < len(header) else ""
        if any(w in name for w in ("title", "paper", "name")) and title_cell is None:
            title_cell = cell
        elif "date" in name or name == "year" or "time" in name:
            fields.date_text = clean_label(cell)
        elif any(w in name for w in ("venue", "conference", "publication", "journal", "pub")):
            fields.venue_text = clean_label(cell)
        elif any(w in name for w in ("keyword", "institut", "org", "affil", "tag", "category")):
            if clean_label(cell):
                fields.tags.append(clean_label(cell))
        elif "author" in name:
            fields.authors_text = clean_label(cell)
    if title_cell is None:
        title_cell = next((c for c in item.cells if clean_label(c) and find_links(c)), "")
        title_cell = title_cell or next((c for c in item.cells if clean_label(c)), "")
    links = find_links(title_cell)
    title, _ = _split_title(title_cell, links)
    fields.title = title.split("\n", 1)[0]


def _text_fields(entry: Entry, fields: _Fields) -> None:
    head = entry.head
    first, _, more = head.text.partition("\n")
    if head.kind == "heading":
        first = _NUMBER_PREFIX.sub("", first, count=1) if first[:1].isdigit() else first
    tags, rest = _leading_tags(first)
    fields.tags.extend(tags)
    links = find_links(rest)
    if head.kind == "heading":
        title = _remove_spans(rest, links)
        after = ""
    else:
        title, after = _split_title(rest, links)
    fields.title = title
    lines = [after, *more.split("\n")] if more else [after]
    for part in entry.parts:
        lines.extend(part.text.split("\n"))
    for line in lines:
        _line_fields(line, fields)


def _line_fields(line: str, fields: _Fields) -> None:
    label = _AUTHOR_LABEL.match(line.strip())
    if label is not None and fields.authors_text is None:
        fields.authors_text = _remove_spans(line.strip()[label.end() :], find_links(line))
        return
    italic = _italic(line)
    if italic is not None and fields.authors_text is None:
        fields.authors_text = italic
        before, _, after = line.partition(italic)
        line = before.rstrip("*_ ") + " . " + after.lstrip("*_ ")
    body = _remove_spans(line, find_links(line)).replace("**", "")
    for segment in _SEGMENT.split(body):
        segment = segment.strip(" .()[]")
        if not segment:
            continue
        et_al = _ET_AL_END.search(segment)
        if et_al is not None and fields.authors_text is None:
            fields.authors_text = segment[: et_al.end()]
            segment = segment[et_al.end() :].strip(" .,")
            if not segment:
                continue
        fields.segments.append(segment)


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


def _choose_venue(fields: _Fields, infos: list[LinkInfo], table: VenueTable) -> VenueTag | None:
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


def _date(fields: _Fields, tag: VenueTag | None, infos: list[LinkInfo]) -> list[int] | None:
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
    entry: Entry, *, table: VenueTable = DEFAULT_TABLE, annote: bool = True
) -> tuple[Record, list[Problem]]:
    """Map one grouped entry to a CSL record (without ``id``) and the problems found."""
    problems: list[Problem] = []
    line = entry.head.line
    fields = _Fields()
    if entry.head.kind == "row":
        _row_fields(entry.head, fields)
    else:
        _text_fields(entry, fields)
    texts = [entry.head.text] + [part.text for part in entry.parts]
    pairs = [
        (link, identify(clean_label(link.label.strip("[]")), link.url))
        for text in texts
        for link in find_links(text)
    ]
    pairs = [(link, info) for link, info in pairs if info.role != "anchor" and info.url]
    infos = [info for _, info in pairs]
    record: Record = {"type": "article"}
    title = clean_label(" ".join(fields.title.split())).strip(" ,.:;")
    if title:
        record["title"] = title
    else:
        problems.append(("error", "markdown.no-title", "no title found in this entry", line))
    tag = _choose_venue(fields, infos, table)
    arxiv_id = next((i.arxiv for i in infos if i.arxiv), None) or find_arxiv_in_text(
        " ".join(texts)
    )
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
    if authors_text is None and entry.head.kind != "heading":
        names = [s for s in fields.segments if not parse_venue_tag(s, table)]
        if names and _looks_like_names(names[:1]):
            authors_text = names[0]
    custom: dict[str, Any] = {"lines": [entry.head.line, entry.end_line], "kind": entry.head.kind}
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
    keywords = [*entry.sections]
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
    if entry.abstract:
        record["abstract"] = "\n".join(entry.abstract)
    notes = [note.text for note in entry.notes if note.text.strip()]
    if notes and annote:
        record["annote"] = "\n".join(notes)
    extra_links = [
        {"label": clean_label(link.label.strip("[]")), "url": info.url, "role": info.role}
        for link, info in pairs
        if info is not paper
    ]
    custom.update({"sections": entry.sections, "tags": tag_words})
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

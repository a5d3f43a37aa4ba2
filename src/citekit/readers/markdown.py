"""Markdown reading-list reader: paper notes and awesome-lists → CSL-JSON records, offline.

Pipeline: :func:`citekit.syntax.markdown.split` → grouping (here) →
:func:`citekit.mapping.markdown.to_record` → :func:`citekit.model.normalize_record`.
Grouping decides which blocks are papers:

* a heading is a paper when it links to the paper (``### T [[pdf]](arxiv)``) or is followed
  by an author line (``_A, B_``, ``*A, B*``, ``**Authors**: A, B``); the paragraphs after it
  (authors, links, ``<details>`` abstract) belong to it and its list items become notes;
  any other heading is a section, and section names become keywords;
* a list item, paragraph or table row is a paper when it has a paper link (arXiv, DOI,
  OpenReview, CVF, ACL Anthology, proceedings, a ``.pdf``, or a link labelled paper/pdf), or
  a bold title plus an italic author list. Deeper list items and ``>`` quotes right under it
  are its notes; a link-less list item with deeper items under it is a sub-section label.

Ids are ``{first author family}{year}{first significant title word}`` in lower-case ASCII
(``kirillov2023segment``); repeats get ``b``, ``c``, … appended (``yu2023magvitb``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from citekit.errors import Diagnostics
from citekit.mapping.markdown import base_id, to_record
from citekit.mapping.paperlinks import identify
from citekit.mapping.venues import DEFAULT_TABLE, VENUES, VenueTable, load_user_venues
from citekit.mapping.venuetags import clean_label, parse_venue_tag
from citekit.model import Library, SourceLocation, normalize_record
from citekit.readers._markdown_fields import Entry, extract
from citekit.syntax.markdown import Item, find_links, split

__all__ = ["read_text", "sniff"]

_SEGMENTS = re.compile(r"[,;|()\[\]]|\.\s")
_AUTHOR_MARKERS = ("_", "**authors", "**author", "authors:", "author:", "__authors")


def sniff(text: str) -> bool:
    """Whether ``text`` looks like a markdown reading list (headings or lists with links)."""
    head = text[:20000]
    return ("](" in head or "<a " in head) and (
        "\n#" in head or head.startswith("#") or "\n- " in head or "\n* " in head or "\n|" in head
    )


def _links(item: Item) -> list[str]:
    texts = item.cells if item.kind == "row" else (item.text,)
    roles = []
    for text in texts:
        for link in find_links(text):
            roles.append(identify(clean_label(link.label.strip("[]")), link.url).role)
    return [role for role in roles if role != "anchor"]


def _is_author_line(item: Item | None) -> bool:
    if item is None or item.kind != "paragraph":
        return False
    text = item.text.lstrip().lower()
    if text.startswith("**") and not text.startswith(("**authors", "**author")):
        return False
    return text.startswith(_AUTHOR_MARKERS) or (text.startswith("*") and not find_links(text))


def _row_has_paper(item: Item) -> bool:
    header = [clean_label(h).lower() for h in item.header]
    for index, cell in enumerate(item.cells):
        name = header[index] if index < len(header) else ""
        for link in find_links(cell):
            role = identify(clean_label(link.label.strip("[]")), link.url).role
            if role == "paper" or (role == "other" and ("paper" in name or "title" in name)):
                return True
    return False


def _has_venue_segment(text: str) -> bool:
    """Whether the text outside links names a known venue with a year (``CVPR 2021``)."""
    body = text.split(" - ", 1)[0]  # "[Repo](url) - a list of (ACL 2022) papers" is no paper
    for link in reversed(find_links(body)):
        body = body[: link.start] + " , " + body[link.end :]
    for segment in _SEGMENTS.split(body[:2000]):
        tag = parse_venue_tag(segment)
        if tag is not None and tag.venue is not None and tag.year is not None:
            return True
    return False


def _is_paper(item: Item) -> bool:
    if item.kind == "row":
        return _row_has_paper(item)
    roles = _links(item)
    if "paper" in roles or "bibtex" in roles:
        return True
    if roles and _has_venue_segment(item.text):
        return True
    text = item.text.lstrip()
    first, _, rest = text.partition("\n")
    if first.startswith("**") and first.count("**") >= 2:
        after = first.split("**", 2)[2] + "\n" + rest
        stripped = after.lstrip(" .,\\\n")
        return stripped.startswith(("*", "_")) and not stripped.startswith("**")
    return False


class _Grouper:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.sections: list[tuple[int, str]] = []
        self.labels: list[tuple[int, str]] = []
        self.heading_entry: Entry | None = None
        self.last: Entry | None = None
        self.abstract_next = False

    def section_names(self) -> list[str]:
        names = [name for level, name in self.sections if level > 1 and name]
        return names + [label for _, label in self.labels if label]

    def heading(self, item: Item, following: Item | None) -> None:
        self.labels.clear()
        self.last = None
        self.abstract_next = False
        if "paper" in _links(item) or _is_author_line(following):
            entry = Entry(item, sections=self.section_names())
            self.entries.append(entry)
            self.heading_entry = entry
            return
        self.heading_entry = None
        while self.sections and self.sections[-1][0] >= item.level:
            self.sections.pop()
        self.sections.append((item.level, clean_label(item.text)))

    def summary(self, item: Item) -> None:
        label = clean_label(item.text)
        if self.heading_entry is not None and label.lower().startswith("abstract"):
            self.abstract_next = True
            return
        self.sections = [(level, name) for level, name in self.sections if level < 7]
        self.sections.append((7, label))
        self.labels.clear()
        self.last = None

    def block(self, item: Item) -> None:
        entry = self.heading_entry
        if entry is not None and item.kind != "row":
            if self.abstract_next and item.kind == "paragraph":
                entry.abstract.append(item.text)
                self.abstract_next = False
            elif item.kind == "paragraph":
                entry.parts.append(item)
            else:
                entry.notes.append(item)
            return
        if item.kind == "quote":
            if self.last is not None:
                self.last.notes.append(item)
            return
        if item.kind in ("bullet", "numbered"):
            while self.labels and self.labels[-1][0] >= item.indent:
                self.labels.pop()
        else:
            self.labels.clear()
        if _is_paper(item):
            entry = Entry(item, sections=self.section_names())
            self.entries.append(entry)
            self.last = entry
            return
        last = self.last
        if (
            last is not None
            and item.kind in ("bullet", "numbered")
            and (last.head.kind in ("bullet", "numbered") and item.indent > last.head.indent)
        ):
            last.notes.append(item)
            return
        self.last = None
        first_line = item.text.split("\n", 1)[0]
        if item.kind in ("bullet", "numbered") and len(first_line) <= 400 and not _links(item):
            label = clean_label(first_line)
            if 0 < len(label) <= 80:
                self.labels.append((item.indent, label))


def _group(items: list[Item]) -> list[Entry]:
    grouper = _Grouper()
    for index, item in enumerate(items):
        if item.kind == "heading":
            following = items[index + 1] if index + 1 < len(items) else None
            grouper.heading(item, following)
        elif item.kind == "summary":
            grouper.summary(item)
        else:
            grouper.block(item)
    return grouper.entries


def _table(
    venues: str | Path | Iterable[str | Path] | None, diagnostics: Diagnostics, source: str
) -> VenueTable:
    if venues is None:
        return DEFAULT_TABLE
    paths = [venues] if isinstance(venues, (str, Path)) else list(venues)
    extra = []
    for path in paths:
        found, problems = load_user_venues(path)
        extra.extend(found)
        for problem in problems:
            diagnostics.error("markdown.venue-table", problem, source=str(path))
    return VenueTable.build([*VENUES, *extra])


def _wanted(
    entry: Entry, record_keywords: str, sections: set[str] | None, keywords: set[str] | None
) -> bool:
    if sections is not None:
        heads = [h.casefold() for h in entry.sections]
        if not any(wanted in head for wanted in sections for head in heads):
            return False
    if keywords is not None:
        words = {w.strip().casefold() for w in record_keywords.split(",")}
        if not words & keywords:
            return False
    return True


def _unique_id(key: str, taken: set[str]) -> str:
    """``key``, or ``key`` + ``b``, ``c``, … ``z``, ``27``, ``28``, … — the first one not taken."""
    candidate = key
    suffix = 1
    while candidate in taken:
        suffix += 1
        candidate = f"{key}{chr(ord('a') + suffix - 1)}" if suffix <= 26 else f"{key}{suffix}"
    taken.add(candidate)
    return candidate


def _identity(record: dict[str, object]) -> str | None:
    """What makes two entries the same paper: the arXiv id, else the DOI, else the title."""
    custom = record.get("custom")
    markdown = custom.get("markdown") if isinstance(custom, dict) else None
    if isinstance(markdown, dict) and markdown.get("arxiv"):
        return f"arxiv:{markdown['arxiv']}"
    if record.get("DOI"):
        return f"doi:{str(record['DOI']).lower()}"
    title = "".join(ch for ch in str(record.get("title", "")).casefold() if ch.isalnum())
    return f"title:{title}" if len(title) >= 20 else None


def read_text(
    text: str,
    *,
    source: str = "<string>",
    diagnostics: Diagnostics,
    venues: str | Path | Iterable[str | Path] | None = None,
    annote: bool = True,
    sections: Iterable[str] | None = None,
    keywords: Iterable[str] | None = None,
) -> Library:
    """Read a markdown reading list into a Library of CSL records, one per paper.

    Args:
        text: The markdown document.
        source: File name used in diagnostics and source locations.
        diagnostics: Where problems are reported (every one carries ``source:line``).
        venues: Path(s) of TOML venue tables extending or overriding the built-in one
            (format in :mod:`citekit.mapping.venues`).
        annote: Put each entry's bullet notes into ``annote`` (they are always kept in
            ``custom["markdown"]["notes"]``).
        sections: Keep only papers under a section heading that contains one of these
            (case-insensitive substring, any nesting level: ``"segment"`` matches
            "3D Segmentation").
        keywords: Keep only papers with one of these keywords (sections and tags such as
            ``Meta AI``; case-insensitive).
    """
    table = _table(venues, diagnostics, source)
    wanted_sections = {s.casefold() for s in sections} if sections is not None else None
    wanted_keywords = {k.casefold() for k in keywords} if keywords is not None else None
    library = Library()
    taken: set[str] = set()
    seen: dict[str, tuple[str, int]] = {}
    items = split(text)
    if items and items[-1].kind == "unclosed-comment":
        hidden = items.pop()
        diagnostics.warning(
            "markdown.unclosed-comment",
            f"HTML comment '<!--' is never closed with '-->': lines {hidden.line + 1}-"
            f"{hidden.end_line} are hidden by it (as in CommonMark); close it to read them",
            source=source,
            line=hidden.line,
            column=hidden.indent + 1,
        )
    for entry in _group(items):
        record, problems = to_record(extract(entry), table=table, annote=annote)
        if not _wanted(entry, str(record.get("keyword", "")), wanted_sections, wanted_keywords):
            continue
        record["id"] = _unique_id(base_id(record), taken)
        identity = _identity(record)
        if identity is not None and identity in seen:
            first_id, first_line = seen[identity]
            problems.append(
                (
                    "info",
                    "markdown.duplicate-paper",
                    f"the same paper as {first_id!r} (line {first_line}); both are kept",
                    entry.head.line,
                )
            )
        elif identity is not None:
            seen[identity] = (record["id"], entry.head.line)
        for severity, code, message, line in problems:
            getattr(diagnostics, severity)(
                code, message, source=source, line=line, key=record["id"]
            )
        location = SourceLocation(source, entry.head.line)
        clean = normalize_record(record, diagnostics, source=source, line=entry.head.line)
        if clean is not None:
            library.add(clean, location)
    if not library.records and wanted_sections is None and wanted_keywords is None:
        diagnostics.warning("markdown.no-papers", "no paper entries found", source=source)
    return library

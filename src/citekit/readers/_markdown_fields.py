"""Reading-list entries as the reader groups them, and the text-level field extraction.

This is the markdown-aware half of the mapping (it needs :mod:`citekit.syntax.markdown`):
it finds the title (``**bold**``, the first link label, a heading's text), the author text
(``_A, B_``, ``*A, B*``, ``**Authors**: A, B``, ``A et al.``), leading tags and venue
segments, then hands plain :class:`~citekit.mapping.markdown.EntryFields` to
:func:`citekit.mapping.markdown.to_record`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from citekit.mapping.markdown import EntryFields
from citekit.mapping.paperlinks import role_of
from citekit.mapping.venuetags import clean_label, parse_venue_tag
from citekit.syntax.markdown import Item, Link, find_links

__all__ = ["Entry", "extract"]

_NUMBER_PREFIX = re.compile(r"(?:\d{1,5}\.|\d{1,3}(?:\.\d{1,3}){1,3}\.?)\s")
_SEGMENT = re.compile(r"[,;|]|\.\s|\.$|\s-\s")
_ET_AL_END = re.compile(r"et\.? {0,2}al\.?", re.IGNORECASE)
_AUTHOR_LABEL = re.compile(r"(?:\*\*|__)?authors?(?:\*\*|__)?\s{0,3}:(?:\*\*|__)?", re.IGNORECASE)

_GENERIC_LABELS = frozenset(
    "paper pdf arxiv link code project page website doi html abs openreview thecvf".split()  # noqa: SIM905
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


def _leading_tags(text: str) -> tuple[list[str], str]:
    """Split ``[!!!] [Meta AI] (CVPR 2023) rest`` into its leading tags and the rest.

    Index-based (no re-slicing per tag) and capped at 32 tags, so it stays linear.
    """
    tags: list[str] = []
    pos = len(text) - len(text.lstrip())
    while len(tags) < 32 and pos < len(text):
        if text.startswith(("<kbd>", "<KBD>"), pos):
            close = text.find("</", pos + 5)
            if close < 0:
                break
            tags.append(text[pos + 5 : close])
            end = text.find(">", close)
            pos = len(text) if end < 0 else end + 1
        elif text[pos] in "[(":
            closer = "]" if text[pos] == "[" else ")"
            close = text.find(closer, pos + 1)
            if close < 0 or text[close + 1 : close + 2] in ("(", "]"):
                break
            if text.find("[", pos + 1, close) >= 0:
                break
            tags.append(text[pos + 1 : close])
            pos = close + 1
        else:
            break
        while pos < len(text) and text[pos] in " \t":
            pos += 1
    return tags, text[pos:]


def _unlink(text: str) -> str:
    """Links replaced by their label when it is prose (a person's homepage), else removed.

    ``_[Albert Gu](https://a.io) and Tri Dao_`` → ``_Albert Gu and Tri Dao_``; ``[[Paper](u)]``
    and ``[code](github)`` disappear.
    """
    links = find_links(text)
    out: list[str] = []
    position = 0
    for link in links:
        if link.start < position:
            continue
        out.append(text[position : link.start])
        label = link.label.strip()
        if not link.image and not label.startswith("[") and role_of(label, link.url) == "other":
            out.append(label)
        position = link.end
    out.append(text[position:])
    return "".join(out)


def _trailing_tags(title: str) -> tuple[str, list[str]]:
    """``MAGVIT: … (CVPR 2023)`` → title and ``["CVPR 2023"]`` (venue tags only, at most 4)."""
    tags: list[str] = []
    title = title.rstrip()
    while len(tags) < 4 and title[-1:] in (")", "]"):
        opener = "(" if title[-1] == ")" else "["
        start = title.rfind(opener)
        tag = parse_venue_tag(title[start + 1 : -1]) if start > 0 else None
        if tag is None or tag.venue is None:
            break
        tags.insert(0, title[start + 1 : -1])
        title = title[:start].rstrip()
    return title, tags


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
    """The first ``*emphasis*`` or ``_emphasis_`` span (word-bounded, one scan per marker)."""
    for marker in ("*", "_"):
        double = marker * 2
        stripped = text.replace(double, "\0\0")
        start = -1
        for index, char in enumerate(stripped):
            if char != marker:
                continue
            before = stripped[index - 1] if index else " "
            after = stripped[index + 1] if index + 1 < len(stripped) else " "
            if start < 0:
                if not before.isalnum() and after.isalpha():
                    start = index
            elif not after.isalnum() and before != " ":
                return stripped[start + 1 : index].replace("\0", marker).strip()
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
    for link in links:  # prose around a linked title: 'Add our paper "[**T**](url)"'
        label = clean_label(link.label.strip("[]"))
        if len(label.split()) >= 3 and label.lower() not in _GENERIC_LABELS:
            return label, text[link.end :]
    for stop in (" | ", ". *", ". _"):
        if stop in body:
            head, _, tail = body.partition(stop)
            return head, stop.strip(" |.") + tail
    return body, ""


def _row_fields(item: Item, fields: EntryFields) -> None:
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


def _text_fields(entry: Entry, fields: EntryFields) -> None:
    head = entry.head
    first, _, more = head.text.partition("\n")
    if head.kind == "heading":
        first = _NUMBER_PREFIX.sub("", first, count=1) if first[:1].isdigit() else first
    first = first.lstrip()
    while first and unicodedata.category(first[0]) in ("So", "Sk", "Cf", "Mn"):
        first = first[1:].lstrip()
    tags, rest = _leading_tags(first)
    fields.tags.extend(tags)
    while rest and unicodedata.category(rest[0]) in ("So", "Sk", "Cf", "Mn"):
        rest = rest[1:].lstrip()  # "(CVPR 2023) ⭐⭐**Title**"
    links = find_links(rest)
    if head.kind == "heading":
        title, trailing = _trailing_tags(_remove_spans(rest, links))
        fields.tags.extend(trailing)
        after = ""
    else:
        title, after = _split_title(rest, links)
    fields.title = title
    lines = [(head.line, after)] + [(head.line, text) for text in more.split("\n") if more]
    for part in entry.parts:
        for offset, text in enumerate(part.text.split("\n")):
            lines.append((min(part.line + offset, part.end_line), text))
    for number, line in lines:
        had_authors = fields.authors_text is not None
        _line_fields(line, fields)
        if not had_authors and fields.authors_text is not None:
            fields.authors_line = number


def _line_fields(line: str, fields: EntryFields) -> None:
    label = _AUTHOR_LABEL.match(line.strip())
    if label is not None and fields.authors_text is None:
        fields.authors_text = _unlink(line.strip()[label.end() :])
        return
    body = _unlink(line)
    italic = _italic(body)
    if fields.kind == "heading" and not body.lstrip().startswith(("*", "_")):
        italic = None  # under a heading only a whole *…* / _…_ line is an author line
    if italic is not None and fields.authors_text is None:
        fields.authors_text = italic
        before, _, after = body.partition(italic)
        body = before.rstrip("*_ ") + " . " + after.lstrip("*_ ")
    body = body.replace("**", "")
    for segment in _SEGMENT.split(body):
        segment = segment.strip(" .()[]")
        if not segment:
            continue
        et_al = _ET_AL_END.search(segment)
        if et_al is not None and fields.authors_text is None and _names_before(segment, et_al):
            fields.authors_text = segment[: et_al.end()]
            segment = segment[et_al.end() :].strip(" .,")
            if not segment:
                continue
        fields.segments.append(segment)


def _names_before(segment: str, et_al: re.Match[str]) -> bool:
    """``Ann Lee et al.`` yes; ``This paper builds on Lee et al.`` no (prose, not a byline)."""
    words = segment[: et_al.start()].split()
    return 0 < len(words) <= 4 and all(
        w[:1].isupper() or (w.islower() and len(w) <= 3) for w in words
    )


def extract(entry: Entry) -> EntryFields:
    """The plain-text fields of one grouped entry."""
    fields = EntryFields(entry.head.line, entry.end_line, entry.head.kind)
    if entry.head.kind == "row":
        _row_fields(entry.head, fields)
        texts = list(entry.head.cells)
    else:
        _text_fields(entry, fields)
        texts = [entry.head.text] + [part.text for part in entry.parts]
    fields.links = [(link.label, link.url) for text in texts for link in find_links(text)]
    fields.text = "\n".join(texts)
    fields.sections = list(entry.sections)
    fields.notes = [note.text for note in entry.notes]
    fields.abstract = list(entry.abstract)
    return fields

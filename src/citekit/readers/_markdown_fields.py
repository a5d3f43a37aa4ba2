"""Reading-list entries as the reader groups them, and the text-level field extraction.

This is the markdown-aware half of the mapping (it needs :mod:`citekit.syntax.markdown`):
it finds the title (``**bold**``, the first link label, a heading's text), the author text
(``_A, B_``, ``*A, B*``, ``**Authors**: A, B``, ``A et al.``), leading tags and venue
segments, then hands plain :class:`~citekit.mapping.markdown.EntryFields` to
:func:`citekit.mapping.markdown.to_record`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citekit.mapping.markdown import EntryFields, clean_label
from citekit.syntax.markdown import Item, Link, find_links

__all__ = ["Entry", "extract"]

_NUMBER_PREFIX = re.compile(r"\d{1,5}\.\s")
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


def _line_fields(line: str, fields: EntryFields) -> None:
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

r"""Split a markdown reading list into located items: headings, list items, paragraphs, rows.

This layer knows markdown, not citations. ``split("### [CVPR 2023] T [[pdf]](u)\\n_A, B_")``
gives a ``heading`` item (line 1, level 3) and a ``paragraph`` item (line 2); deciding which
items are papers is the mapping layer's job. :func:`find_links` returns the inline links of a
text (``[label](url)``, ``[[label]](url)``, ``[![alt](img)](url)``, ``<a href="url">``).

Every scan here is linear in the input: brackets are matched with one stack pass, and the few
regular expressions are anchored or use bounded quantifiers only, so crafted input (100 KB
of ``[``, spaces or ``*``) cannot trigger catastrophic backtracking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Item", "Link", "find_links", "split", "split_cells", "strip_tags"]

_TAG = re.compile(r"<[^<>\n]{0,400}>")
_ORDERED = re.compile(r"(\d{1,9})[.)](?=[ \t]|$)")
_RULE_CHARS = frozenset("-*_ \t")
_HTML_BLOCK = re.compile(
    r"</?(?:details|summary|div|table|tr|td|th|thead|tbody|p|center|ul|ol|li|img|a|h\d|hr|br|sup)"
    r"(?=[\s>/]|$)",
    re.IGNORECASE,
)
_SUMMARY = re.compile(r"<summary[^<>]{0,200}>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Link:
    """One inline link: ``label`` as written (markup kept), ``url`` stripped of spaces."""

    label: str
    url: str
    image: bool = False
    """Whether the link is an image (``![alt](src)``); badges inside links are unwrapped."""
    start: int = 0
    end: int = 0
    """Span of the whole link in the text it was found in."""


@dataclass(frozen=True, slots=True)
class Item:
    r"""One block of a reading list.

    Attributes:
        kind: ``heading``, ``bullet``, ``numbered``, ``paragraph``, ``row`` (table row),
            ``quote`` (blockquote), ``summary`` (an HTML ``<summary>`` label) or
            ``unclosed-comment`` (an HTML comment that starts a line and is never closed:
            like CommonMark it hides the rest of the document; ``line``/``indent`` locate
            its ``<!--``, ``end_line`` is the last line it hides).
        line: 1-based first line.
        end_line: 1-based last line.
        text: The text without markers; continuation lines joined with ``"\\n"``
            (``<br>`` and trailing-backslash hard breaks also become ``"\\n"``).
        level: Heading level (1-6), 0 otherwise.
        indent: Indentation of a list item (tabs count 4), 0 otherwise.
        cells: Cells of a table row.
        header: Header cells of the table a row belongs to (empty when it has none).
    """

    kind: str
    line: int
    end_line: int
    text: str
    level: int = 0
    indent: int = 0
    cells: tuple[str, ...] = ()
    header: tuple[str, ...] = ()


_LINK_START = re.compile(r"\[|<[aA] ")
_PAIR_CHARS = {"[": re.compile(r"[\[\]\n]"), "(": re.compile(r"[()\n]")}


def _match_pairs(text: str, open_char: str, close_char: str) -> dict[int, int]:
    """Map each balanced ``open_char`` index to its ``close_char`` index (one stack pass)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    if open_char not in text:
        return pairs
    for match in _PAIR_CHARS[open_char].finditer(text):
        char = match.group()
        if char == open_char:
            stack.append(match.start())
        elif char == close_char:
            if stack:
                pairs[stack.pop()] = match.start()
        else:
            stack.clear()
    return pairs


def find_links(text: str, _depth: int = 0) -> list[Link]:
    """All inline links of ``text`` in order; images nested in a link label are unwrapped.

    ``[[pdf]](u)`` has label ``[pdf]``; ``[[Paper](u)]`` is found as ``Paper``;
    ``[![thecvf](badge.svg)](u)`` is a link labelled ``thecvf`` (its badge image is dropped).
    Anchors (``#section``) are returned too; callers decide what to ignore. Only one level
    of nesting is looked into, so ``[[[[…](u)](u)](u)`` cannot recurse without bound.
    """
    squares = _match_pairs(text, "[", "]")
    parens = _match_pairs(text, "(", ")")
    links: list[Link] = []
    index = 0
    length = len(text)
    while index < length:
        found = _LINK_START.search(text, index)
        if found is None:
            break
        index = found.start()
        char = text[index]
        if char == "[" and index in squares:
            close = squares[index]
            if close + 1 < length and text[close + 1] == "(" and close + 1 in parens:
                end = parens[close + 1]
                label = text[index + 1 : close]
                url = text[close + 2 : end].strip().split(" ", 1)[0].strip("<>")
                image = index > 0 and text[index - 1] == "!"
                inner = find_links(label, _depth + 1) if _depth < 1 and "](" in label else []
                if inner and all(link.image for link in inner):
                    label = " ".join(_alt(link.label) for link in inner)
                elif inner:
                    links.extend(
                        Link(x.label, x.url, x.image, index + 1 + x.start, index + 1 + x.end)
                        for x in inner
                    )
                links.append(Link(label, url, image, index - int(image), end + 1))
                index = end + 1
                continue
        elif char == "<" and text.startswith(("<a ", "<A "), index):
            close_tag = text.find(">", index)
            if close_tag < 0:
                break
            tag = text[index:close_tag]
            href = tag.find("href=")
            if href >= 0:
                quote = tag[href + 5 : href + 6]
                rest = tag[href + 6 :] if quote in "\"'" else tag[href + 5 :]
                stop = rest.find(quote) if quote in "\"'" else len(rest)
                url = rest[: stop if stop >= 0 else len(rest)].strip()
                end_tag = text.find("</a>", close_tag)
                if end_tag < 0 or "\n" in text[close_tag:end_tag]:
                    end_tag = close_tag + 1
                label = strip_tags(text[close_tag + 1 : end_tag])
                links.append(Link(label, url, False, index, end_tag + 4))
            index = close_tag + 1
            continue
        index += 1
    return links


def _alt(label: str) -> str:
    return label.strip()


def strip_tags(text: str) -> str:
    """``text`` without HTML tags; ``<br>`` becomes a line break."""
    if "<" not in text:
        return text
    return _TAG.sub(lambda m: "\n" if m.group(0)[:3].lower() == "<br" else "", text)


def split_cells(row: str) -> tuple[str, ...]:
    """Cells of a table row ``| a | b |``; pipes inside ``[...]``, ``(...)`` or backticks stay."""
    body = row.strip()
    body = body.removeprefix("|")
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells: list[str] = []
    depth = 0
    code = False
    start = 0
    previous = ""
    for index, char in enumerate(body):
        if char == "`":
            code = not code
        elif code:
            pass
        elif char in "[(":
            depth += 1
        elif char in "])" and depth:
            depth -= 1
        elif char == "|" and depth == 0 and previous != "\\":
            cells.append(body[start:index].strip())
            start = index + 1
        previous = char
    cells.append(body[start:].strip())
    return tuple(cells)


def _is_rule(stripped: str) -> bool:
    if len(stripped) < 3 or not set(stripped) <= _RULE_CHARS:
        return False
    marks = stripped.replace(" ", "").replace("\t", "")
    return len(marks) >= 3 and len(set(marks)) == 1


def _is_separator_row(cells: tuple[str, ...]) -> bool:
    return bool(cells) and all(c and set(c) <= set(":- ") and "-" in c for c in cells)


def _indent_of(line: str) -> int:
    width = 0
    for char in line:
        if char == " ":
            width += 1
        elif char == "\t":
            width += 4
        else:
            break
    return width


def _hard_breaks(line: str) -> str:
    text = strip_tags(line) if "<" in line else line
    text = text.rstrip()
    if text.endswith("\\") and not text.endswith("\\\\"):
        text = text[:-1].rstrip()
    return text


@dataclass(slots=True)
class _Open:
    kind: str
    line: int
    end: int
    indent: int
    lines: list[str]


class _Splitter:
    def __init__(self) -> None:
        self.items: list[Item] = []
        self.open: _Open | None = None
        self.header: tuple[str, ...] = ()
        self.last_row: Item | None = None
        self.in_table = False

    def flush(self) -> None:
        block = self.open
        if block is None:
            return
        parts = [p.strip() for line in block.lines for p in line.split("\n") if p.strip()]
        text = "\n".join(parts).strip()
        self.items.append(Item(block.kind, block.line, block.end, text, indent=block.indent))
        self.open = None

    def start(self, kind: str, number: int, text: str, indent: int = 0) -> None:
        self.flush()
        self.open = _Open(kind, number, number, indent, [text])

    def extend(self, number: int, text: str) -> None:
        if self.open is not None:
            self.open.lines.append(text)
            self.open.end = number


def split(text: str) -> list[Item]:
    """Split a markdown document into :class:`Item` blocks with 1-based line numbers.

    Fenced code and HTML comments are skipped; a table's separator row turns the row above
    it into the header of the rows below. List items absorb their indented (or lazy)
    continuation lines; a blank line ends a list item or paragraph.
    """
    state = _Splitter()
    fence = ""
    comment = False
    inline_comment = False
    opened = (0, 0)  # line and column of the ``<!--`` of the open comment
    lines = text.removeprefix("\ufeff").split("\n")
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r")
        if comment:
            end = line.find("-->")
            if end < 0:
                # An unclosed comment that began inside a line is inline HTML: like CommonMark,
                # it cannot reach past the end of its paragraph (a blank line).
                if not (inline_comment and not line.strip()):
                    continue
                comment = False
            else:
                comment = False
                line = " " * (end + 3) + line[end + 3 :]
        while "<!--" in line:
            begin = line.find("<!--")
            end = line.find("-->", begin + 4)
            if end < 0:
                inline_comment = bool(line[:begin].strip())
                opened = (number, begin)
                line = line[:begin]
                comment = True
                break
            line = line[:begin] + line[end + 3 :]
        stripped = line.strip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
            continue
        if stripped.startswith(("```", "~~~")):
            state.flush()
            fence = stripped[:3]
            continue
        if not stripped:
            state.flush()
            state.last_row = None
            state.in_table = False
            continue
        indent = _indent_of(line)
        if stripped.startswith("#") and indent < 4:
            hashes = len(stripped) - len(stripped.lstrip("#"))
            rest = stripped[hashes:]
            if 1 <= hashes <= 6 and (not rest or rest[0] in " \t"):
                state.flush()
                title = rest.strip().rstrip("#").strip()
                state.items.append(Item("heading", number, number, title, level=hashes))
                continue
        if stripped.startswith("|"):
            state.flush()
            cells = split_cells(stripped)
            if _is_separator_row(cells):
                if state.last_row is not None and state.items and state.items[-1] is state.last_row:
                    state.items.pop()
                    state.header = state.last_row.cells
                state.last_row = None
                state.in_table = True
                continue
            if not state.in_table:
                state.header = ()
            state.in_table = True
            row = Item("row", number, number, stripped, cells=cells, header=state.header)
            state.items.append(row)
            state.last_row = row
            continue
        state.last_row = None
        state.in_table = False
        if _is_rule(stripped):
            state.flush()
            continue
        if stripped.startswith(">"):
            quoted = stripped.lstrip(">").strip()
            if state.open is not None and state.open.kind == "quote":
                state.extend(number, _hard_breaks(quoted))
            else:
                state.start("quote", number, _hard_breaks(quoted), indent)
            continue
        if stripped.startswith("<") and _HTML_BLOCK.match(stripped):
            state.flush()
            summary = _SUMMARY.search(stripped[:400])
            if summary is not None:
                label = strip_tags(stripped[summary.end() :]).strip()
                state.items.append(Item("summary", number, number, label))
                continue
            rest = strip_tags(stripped).strip()
            if rest:
                state.start("paragraph", number, _hard_breaks(stripped), indent)
            continue
        marker = stripped[:1]
        if marker in "-*+" and stripped[1:2] in (" ", "\t"):
            state.start("bullet", number, _hard_breaks(stripped[2:].strip()), indent)
            continue
        ordered = _ORDERED.match(stripped) if stripped[:1].isdigit() else None
        if ordered is not None:
            body = stripped[ordered.end() :].strip()
            state.start("numbered", number, _hard_breaks(body), indent)
            continue
        if state.open is not None and state.open.kind != "quote":
            state.extend(number, _hard_breaks(stripped))
        else:
            state.start("paragraph", number, _hard_breaks(stripped), indent)
    state.flush()
    if comment and not inline_comment:
        hidden = [n for n in range(opened[0] + 1, len(lines) + 1) if lines[n - 1].strip()]
        if hidden:
            item = Item("unclosed-comment", opened[0], hidden[-1], "", indent=opened[1])
            state.items.append(item)
    return state.items

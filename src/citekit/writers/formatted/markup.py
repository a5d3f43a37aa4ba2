"""Neutral markup between citeproc-py and the output formats, and escaping per format.

citeproc-py is given a formatter whose "tags" are private-use characters, and data goes in
unescaped. The rendered string is therefore plain text plus neutral markers; it is turned into
text, HTML, Markdown, reStructuredText or LaTeX here, escaping every piece of data for the
target format (citeproc-py's own HTML/RST formatters do not escape data; upstream bug).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from types import SimpleNamespace

__all__ = ["FORMATTER", "OUTPUTS", "from_rich_text", "render", "strip_markers"]

from citekit.writers.formatted import OUTPUTS

# kind -> (open marker, close marker)
_KINDS = ("italic", "bold", "smallcaps", "sup", "sub", "underline", "light")
MARKERS: dict[str, tuple[str, str]] = {
    kind: (chr(0xE000 + 2 * i), chr(0xE001 + 2 * i)) for i, kind in enumerate(_KINDS)
}
_OPEN = {o: k for k, (o, _) in MARKERS.items()}
_CLOSE = {c: k for k, (_, c) in MARKERS.items()}
_ALL_MARKERS = "".join(o + c for o, c in MARKERS.values())
_MARKER_RE = re.compile(f"[{re.escape(_ALL_MARKERS)}]")
_PRIVATE_RE = re.compile("[\ue000-\ue0ff]")


def _wrapper(kind: str) -> Callable[[object], str]:
    open_, close = MARKERS[kind]

    def wrap(text: object) -> str:
        return f"{open_}{text}{close}"

    return wrap


FORMATTER = SimpleNamespace(
    preformat=lambda text: text,
    Italic=_wrapper("italic"),
    Oblique=_wrapper("italic"),
    Bold=_wrapper("bold"),
    Light=_wrapper("light"),
    Underline=_wrapper("underline"),
    Superscript=_wrapper("sup"),
    Subscript=_wrapper("sub"),
    SmallCaps=_wrapper("smallcaps"),
)
"""A citeproc-py formatter (module-like) that emits neutral markers and does not escape."""


def strip_markers(text: str) -> str:
    """Remove neutral markers (also used to clean data that contains those code points)."""
    return _MARKER_RE.sub("", text)


_RICH_TAG = re.compile(
    r"<(/?)(i|em|b|strong|sup|sub|span)(\s+style=\"font-variant:\s*small-caps;?\")?\s*>",
    re.IGNORECASE,
)
_TAG_KIND = {"i": "italic", "em": "italic", "b": "bold", "strong": "bold", "sup": "sup"}
_TAG_KIND |= {"sub": "sub"}


def from_rich_text(value: str) -> str:
    """Turn CSL-JSON rich-text tags into neutral markers.

    ``<i>``, ``<b>``, ``<sup>``, ``<sub>`` and small-caps spans are understood; every other
    ``<...>`` stays literal text (and is escaped later).

    ``<span class="nocase">`` is handled by the caller; unbalanced tags stay literal.
    """
    value = _PRIVATE_RE.sub("", value)  # citekit's markers must not come from data
    if "<" not in value:  # no tag: nothing below would change it
        return value
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for match in _RICH_TAG.finditer(value):
        closing, tag, small = match.group(1), match.group(2).lower(), match.group(3)
        if tag == "span":
            if not small and not closing:
                continue
            kind = "smallcaps"
        else:
            kind = _TAG_KIND[tag]
        if closing:
            if not stack or stack[-1] != kind:
                continue
            stack.pop()
            out.append(value[pos : match.start()] + MARKERS[kind][1])
        else:
            stack.append(kind)
            out.append(value[pos : match.start()] + MARKERS[kind][0])
        pos = match.end()
    out.append(value[pos:])
    text = "".join(out)
    while stack:  # unbalanced opening tags: close them at the end
        text += MARKERS[stack.pop()][1]
    return text


# --- output formats -------------------------------------------------------------------

_URL_RE = re.compile(r"https?://[^\s<>\"\uE000-\uE00F]+", re.IGNORECASE)
_DOI_RE = re.compile(r"(?<![\w/.])10\.\d{4,9}/[^\s<>\"\uE000-\uE00F]+")
_TRAILING = ".,;:)]}'’”"


def _split_links(text: str) -> list[tuple[str, str | None]]:
    """Split plain text into ``(text, href or None)`` pieces for URLs and bare DOIs."""
    pieces: list[tuple[str, str | None]] = []
    pos = 0
    spans: list[tuple[int, int, str]] = []
    for m in _URL_RE.finditer(text):
        spans.append((m.start(), m.end(), ""))
    for m in _DOI_RE.finditer(text):
        if not any(s <= m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), "https://doi.org/"))
    for start, end, base in sorted(spans):
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if start < pos:
            continue
        pieces.append((text[pos:start], None))
        pieces.append((text[start:end], base + text[start:end]))
        pos = end
    pieces.append((text[pos:], None))
    return [p for p in pieces if p[0]]


_HTML_TAGS = {
    "italic": ("<i>", "</i>"),
    "bold": ("<b>", "</b>"),
    "smallcaps": ('<span style="font-variant:small-caps;">', "</span>"),
    "sup": ("<sup>", "</sup>"),
    "sub": ("<sub>", "</sub>"),
    "underline": ('<span style="text-decoration:underline;">', "</span>"),
    "light": ('<span style="font-weight:lighter;">', "</span>"),
}
_LATEX_TAGS = {
    "italic": ("\\emph{", "}"),
    "bold": ("\\textbf{", "}"),
    "smallcaps": ("\\textsc{", "}"),
    "sup": ("\\textsuperscript{", "}"),
    "sub": ("\\textsubscript{", "}"),
    "underline": ("\\underline{", "}"),
    "light": ("", ""),
}
_MD_TAGS = {
    "italic": ("*", "*"),
    "bold": ("**", "**"),
    "smallcaps": ("", ""),
    "sup": ("^", "^"),
    "sub": ("~", "~"),
    "underline": ("", ""),
    "light": ("", ""),
}
_RST_TAGS = {
    "italic": ("*", "*"),
    "bold": ("**", "**"),
    "smallcaps": ("", ""),
    "sup": (":sup:`", "`"),
    "sub": (":sub:`", "`"),
    "underline": ("", ""),
    "light": ("", ""),
}
_LATEX_ESCAPES = {
    "\\": "\\textbackslash{}",
    "{": "\\{",
    "}": "\\}",
    "$": "\\$",
    "&": "\\&",
    "#": "\\#",
    "^": "\\^{}",
    "_": "\\_",
    "%": "\\%",
    "~": "\\textasciitilde{}",
    "<": "\\textless{}",
    ">": "\\textgreater{}",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^&$])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+=])")
_RST_SPECIAL = re.compile(r"([\\`*_|\[\]<>])")


def escape_html(text: str) -> str:
    """Escape data for HTML text and attribute values."""
    return html.escape(text, quote=True)


def escape_latex(text: str) -> str:
    r"""Escape every LaTeX special character (so ``\\input``/``\\write18`` become plain text)."""
    return "".join(_LATEX_ESCAPES.get(ch, ch) for ch in text)


def escape_markdown(text: str) -> str:
    """Backslash-escape Markdown specials (CommonMark allows escaping any ASCII punctuation)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def escape_rst(text: str) -> str:
    """Backslash-escape reStructuredText inline-markup characters."""
    out = _RST_SPECIAL.sub(r"\\\1", text)
    return "\\" + out if out.startswith("..") else out


def _tokens(text: str) -> list[tuple[str, str]]:
    """``("text", s)``, ``("open", kind)``, ``("close", kind)`` tokens of a marked string."""
    tokens: list[tuple[str, str]] = []
    buf: list[str] = []
    for ch in text:
        if ch in _OPEN or ch in _CLOSE:
            if buf:
                tokens.append(("text", "".join(buf)))
                buf = []
            tokens.append(("open", _OPEN[ch]) if ch in _OPEN else ("close", _CLOSE[ch]))
        else:
            buf.append(ch)
    if buf:
        tokens.append(("text", "".join(buf)))
    return _drop_empty(tokens)


def _drop_empty(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Remove markup pairs that enclose nothing (``**`` would be wrong in Markdown)."""
    changed = True
    while changed:
        changed = False
        for i in range(len(tokens) - 1):
            if tokens[i][0] == "open" and tokens[i + 1] == ("close", tokens[i][1]):
                del tokens[i : i + 2]
                changed = True
                break
    return tokens


def _render_with(
    text: str,
    tags: dict[str, tuple[str, str]],
    escape: Callable[[str], str],
    link: Callable[[str, str], str] | None = None,
    inline_markup: bool = False,
    rst: bool = False,
) -> str:
    out: list[str] = []
    for kind, value in _tokens(text):
        if kind == "text":
            if link is None:
                out.append(escape(value))
            else:
                out.extend(
                    escape(t) if href is None else link(t, href) for t, href in _split_links(value)
                )
        else:
            open_, close = tags[value]
            mark = open_ if kind == "open" else close
            if inline_markup and mark:
                mark = _delimit(out, mark, opening=kind == "open", rst=rst)
            out.append(mark)
    return "".join(out)


def _delimit(out: list[str], mark: str, *, opening: bool, rst: bool) -> str:
    """Markdown/RST emphasis needs whitespace outside and none inside; adjust around ``mark``."""
    prev = out[-1] if out else ""
    if opening:
        return ("\\ " if rst and prev and prev[-1].isalnum() else "") + mark
    if prev.endswith(" "):
        out[-1] = prev.rstrip(" ")
        return mark + " "
    return mark


def _md_link(text: str, href: str) -> str:
    if text == href and not any(ch in href for ch in "<> "):
        return f"<{href}>"
    return escape_markdown(text)


def render(text: str, output: str) -> str:
    """Turn a marked citeproc-py string into ``output`` (one of :data:`OUTPUTS`), escaped."""
    if output == "text":
        return strip_markers(text)
    if output == "html":
        return _render_with(
            text,
            _HTML_TAGS,
            escape_html,
            link=lambda t, href: f'<a href="{escape_html(href)}">{escape_html(t)}</a>',
        )
    if output == "latex":
        return _render_with(text, _LATEX_TAGS, escape_latex)
    if output == "markdown":
        rendered = _render_with(text, _MD_TAGS, escape_markdown, link=_md_link, inline_markup=True)
        # a leading "1." or "-" would start a list
        return _MD_LINE_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], rendered)
    if output == "rst":
        return _render_with(text, _RST_TAGS, escape_rst, inline_markup=True, rst=True)
    raise ValueError(f"unknown output format {output!r} (known: {', '.join(OUTPUTS)})")

r"""A fast decoder for the LaTeX most field values use (accents, symbols, braces, emphasis).

:func:`decode_simple` handles ``{\"o}``, ``\'e``, ``\ss``, ``\&``, ``{DNA}``, ``\emph{x}``,
``{\em x}``, ``x \em y``, ``--``, ``~``, ``!```, ``%``, logos and named symbols (``{\TeX}``,
``\ldots``, ``\textendash``), ``\url{...}`` and inline math (kept as written) with the same
results as the pylatexenc walker in :mod:`citekit.syntax.latex_to_unicode`, and returns
``None`` for anything else (unknown commands, display math, math a command may read past),
which then takes the full path. Differential tests keep the two in step (every value of the
corpora). It exists because pylatexenc costs about 1 ms per value (14 µs per character).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["balanced", "decode_simple"]

_ACCENTS: dict[str, str] = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "c": "\u0327", "v": "\u030c", "H": "\u030b", "u": "\u0306", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
_SYMBOLS: dict[str, str] = {
    "ss": "ß", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "aa": "å", "AA": "Å", "ae": "æ",
    "AE": "Æ", "oe": "œ", "OE": "Œ", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ",
    "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ", "SS": "SS",
}  # fmt: skip
_ESCAPES: dict[str, str] = {"&": "&", "%": "%", "_": "_", "$": "$", "#": "#", "{": "{", "}": "}"}
_STYLE: dict[str, str] = {
    "emph": "i", "textit": "i", "textsl": "i", "mkbibemph": "i", "mkbibitalic": "i",
    "textbf": "b", "mkbibbold": "b", "textsuperscript": "sup", "mkbibsuperscript": "sup",
    "textsubscript": "sub", "mkbibsubscript": "sub",
}  # fmt: skip
_CONTENT = frozenset({"textrm", "textsf", "texttt", "textnormal", "textup", "textmd", "textsc",
                      "mbox", "text", "hbox", "nocase", "NoCaseChange"})  # fmt: skip
# Declarations switch style for the rest of their group (``x \em y`` → ``x <i>y</i>``); those
# mapped to ``None`` change nothing citekit keeps (``\sc``, ``\small``).
_SWITCHES: dict[str, str | None] = {
    "em": "i", "it": "i", "itshape": "i", "sl": "i", "slshape": "i", "bf": "b",
    "bfseries": "b", "sc": None, "scshape": None, "rm": None, "rmfamily": None, "tt": None,
    "ttfamily": None, "sf": None, "sffamily": None, "normalfont": None, "upshape": None,
    "mdseries": None, "small": None, "footnotesize": None, "large": None, "relax": None,
}  # fmt: skip
# Argument-less commands that print a fixed text (the walker's table; none takes an argument
# in pylatexenc's database, which the test-suite checks). Logos print a word and protect
# case when alone in a group (``{\TeX}``).
_NAMED: dict[str, str] = {
    "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e", "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "ConTeXt": "ConTeXt", "AmS": "AMS",
    "MF": "METAFONT", "MP": "MetaPost", "TUB": "TUGboat", "PS": "PostScript", "PDF": "PDF",
    "CTAN": "CTAN", "Dash": "—", "bs": "\\", "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX",
    "LuaLaTeX": "LuaLaTeX", "eTeX": "ε-TeX", "AMSTeX": "AMS-TeX", "BibLaTeX": "BibLaTeX",
    "SliTeX": "SliTeX", "PiCTeX": "PiCTeX", "ldots": "…", "dots": "…", "textellipsis": "…",
    "slash": "/", "newblock": " ", "break": " ", "linebreak": " ", "newline": " ", "par": " ",
    "ensp": "\u2002", "enspace": "\u2002", "quad": "\u2003", "qquad": "\u2003\u2003",
    "nobreakspace": "\u00a0", "textendash": "–", "textemdash": "—", "textquotedbl": '"',
    "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“",
    "textquotedblright": "”", "textregistered": "®", "texttrademark": "™", "textdegree": "°",
    "textcopyright": "©", "textbackslash": "\\", "textasciitilde": "~", "textunderscore": "_",
    "textbar": "|", "textless": "<", "textgreater": ">", "textbullet": "•", "S": "§",
    "P": "¶", "euro": "€", "textperiodcentered": "·", "textasciicircum": "^",
    " ": " ", "-": "", "/": "", "@": "",
}  # fmt: skip
_LOGOS = frozenset(name for name, text in _NAMED.items() if any(c.isalpha() for c in text))
_TOKEN = re.compile(r"---|--|``|''|!`|\?`|[{}~\\]")
_TEXT_SPECIALS = {"---": "—", "--": "–", "``": "“", "''": "”", "!`": "¡", "?`": "¿",
                  "~": "\u00a0"}  # fmt: skip
_LETTER_MACRO = re.compile(r"[A-Za-z]+")
_SPACE = re.compile(r"[ \t\r\n]+")
_BRACE_OR_ESCAPE = re.compile(r"\\.|[{}]", re.DOTALL)
# The walker's pre-processing, mirrored: URLs are set aside verbatim, inline math is kept as
# written (math a command may read past, ``{$\not$}``, goes to the walker).
_URL = re.compile(r"\\(?:url|path|nolinkurl)\s*\{([^{}]*)\}")
_STARRED = re.compile(r"\\[A-Za-z]+\*")
_PERCENT = re.compile(r"(?<!\\)%")  # the walker reads a bare "%" as "\%", not as a comment
_MATH = re.compile(r"(?<![\\$])\$((?:[^$\\]|\\[^$])+)\$(?!\$)")
_MATH_RISK = re.compile(r"\\([A-Za-z]+)\s*[}$]")
# Commands that take an argument in pylatexenc's database (the test-suite compares): one
# right before ``$`` or ``}`` makes pylatexenc read past the end of the math.
_ARG_MACROS = frozenset(
    """Citealp Citealt Citeauthor Citep Citet Cref DeclareMathOperator H RequirePackage acute
    addcounter addlength author autoref b bar bibliography boxframe bra braket breve c chapter
    check cite citealp citealt citeauthor citefullauthor citenum citep citepalias citet
    citetalias citetext citeyear citeyearpar color colorbox colorlet cref d date ddot
    defcitealias definecolor documentclass dot emph ensuremath eqref exenumfulllabel exercise
    fcolorbox footnote frac grave hat hint hints hinweis hinweise hphantom hspace hypersetup
    include includegraphics input item k ket ketbra keywords label mathbb mathbf mathcal mathfrak
    mathit mathrm mathscr mathsf mathtt mbox newcommand newenvironment nicefrac not overbrace
    overbracket overgroup overleftarrow overleftharpoon overleftrightarrow overline
    overlinesegment overrightarrow overrightharpoon pagagraph pagecolor pdfloesung pdfsolution
    providecolor providecommand provideenvironment r ref renewcommand renewenvironment rowcolors
    section selectlanguage setcounter setlength sqrt subexercise subparagraph subsection
    subsubsection subuebung texorpdfstring text textbf textcolor textit textmd textrm textsc
    textsf textsl texttt textup tilde title u uebung underbrace underbracket undergroup
    underleftarrow underleftrightarrow underline underlinesegment underrightarrow url usepackage
    v vec verb vphantom vspace widehat wideparen widetilde xleftarrow xrightarrow""".split()  # noqa: SIM905
)


def _risky_math(math: str) -> bool:
    """Whether pylatexenc may read ``math`` other than as written: past its end or across it.

    An argument-taking command last reads past the closing ``$``; unbalanced braces open a
    group inside the math that hides it.
    """
    if ("{" in math or "}" in math) and not balanced(math):
        return True
    return any(
        m.group(1) in _ARG_MACROS or m.group(1).startswith("Uebung")
        for m in _MATH_RISK.finditer(math)
    )


def balanced(text: str) -> bool:
    r"""Whether the braces of ``text`` balance (``\{`` and ``\}`` are not braces)."""
    depth = 0
    for match in _BRACE_OR_ESCAPE.finditer(text):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


_RESERVED = re.compile("[\ue000\ue001\ue010\ue011]")
_URL_MARK = re.compile("\ue000(\\d+)\ue001")
_MATH_MARK = re.compile("\ue010(\\d+)x?\ue011")


class _Group:
    r"""A brace group, or (``switch``) the rest of a group after a declaration such as ``\em``.

    ``logos`` stays true while a group that starts with a command holds only logo commands,
    whitespace and empty groups (the walker protects ``{\TeX}``), ``seen`` once it has one.
    """

    __slots__ = ("command", "logos", "parts", "seen", "switch", "tag")

    def __init__(self, tag: str | None, command: bool, switch: bool = False) -> None:
        self.tag = tag
        self.command = command
        self.switch = switch
        self.logos = command
        self.seen = False
        self.parts: list[str] = []


def _post_space(value: str, pos: int) -> int:
    """Where the text after a letter command starts: pylatexenc's ``macro_post_space`` rule."""
    start = pos
    length = len(value)
    while pos < length and value[pos].isspace():
        pos += 1
        if pos - start >= 2 and value[pos - 2 : pos] == "\n\n":
            return pos - 2
    return pos


def _accent_target(value: str, pos: int) -> tuple[str, int] | None:
    r"""The base letter after an accent command at ``pos``: ``e``, ``{e}``, ``\i``, ``{\i}``."""
    braced = value.startswith("{", pos)
    start = pos + 1 if braced else pos
    if value.startswith(("\\i", "\\j"), start) and not value[start + 2 : start + 3].isalpha():
        base, end = ("ı" if value[start + 1] == "i" else "ȷ"), start + 2
        if value.startswith("{}", end):
            end += 2
    elif start < len(value) and value[start].isalpha():
        base, end = value[start], start + 1
    else:
        return None
    if braced:
        if not value.startswith("}", end):
            return None
        end += 1
    if base in "ıȷ":
        base = "i" if base == "ı" else "j"
    return base, end


def decode_simple(
    value: str,
    *,
    markup: bool,
    nocase: bool,
    unknown: list[str] | None = None,
    in_database: Callable[[str], bool] | None = None,
) -> str | None:
    r"""Decode ``value`` if it only uses the simple subset, else ``None`` (see module doc).

    Args:
        value: The raw field value.
        markup: Whether style commands give ``<i>``/``<b>``/... markup.
        nocase: Whether top-level ``{...}`` groups become nocase spans (title mode).
        unknown: When given (with ``in_database``), a command pylatexenc does not know
            (``\foo``, ``\emphlabel``) is kept as written, with the braced argument that
            directly follows it, as the walker keeps it, and ``"\foo"`` is appended here;
            otherwise such a value is declined.
        in_database: Whether the walker knows a command (its tables, pylatexenc's databases):
            such commands, when not decoded here, make the value go to the walker.
    """
    if "\\\\" in value or _RESERVED.search(value):
        return None
    urls: list[str] = []
    if "\\" in value and ("url" in value or "path" in value):

        def stash(match: re.Match[str]) -> str:
            urls.append(match.group(1))
            return f"\ue000{len(urls) - 1}\ue001"

        value = _URL.sub(stash, value)
    if "*" in value and _STARRED.search(value):
        return None
    if "%" in value:
        value = _PERCENT.sub(r"\\%", value)
    maths: list[str] = []
    if "$" in value.replace("\\$", ""):

        def hide(match: re.Match[str]) -> str:
            if _risky_math(match.group()):
                return match.group()  # left in place: the "$" check below declines
            maths.append(match.group())
            letter = "x" if any(c.isalpha() for c in match.group()) else ""
            return f"\ue010{len(maths) - 1}{letter}\ue011"

        value = _MATH.sub(hide, value)
        if "$" in value.replace("\\$", ""):
            return None  # display math, an unclosed "$" or math the walker may misread
    guard = in_database if unknown is not None else None
    text = _decode(value, markup, nocase, unknown, guard)
    if text is None:
        return None
    if maths:
        text = _MATH_MARK.sub(lambda m: maths[int(m.group(1))], text)
    if urls:
        text = _URL_MARK.sub(lambda m: urls[int(m.group(1))], text)
    return _SPACE.sub(" ", text).strip()


def _close(stack: list[_Group], markup: bool) -> None:
    r"""Close the declarations (``\em ...``) open at the top of ``stack``."""
    while stack[-1].switch:
        group = stack.pop()
        inner = "".join(group.parts)
        stack[-1].parts.append(f"<{group.tag}>{inner}</{group.tag}>" if markup and inner else inner)


def _group_end(value: str, pos: int) -> int | None:
    """The index after the ``}`` closing the group that opens at ``pos`` (``None``: unclosed)."""
    depth = 0
    for match in _BRACE_OR_ESCAPE.finditer(value, pos):
        token = match.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return match.end()
    return None


def _decode(
    value: str,
    markup: bool,
    nocase: bool,
    unknown: list[str] | None = None,
    in_database: Callable[[str], bool] | None = None,
) -> str | None:
    """The tokenizer of :func:`decode_simple` (math and URLs already set aside)."""
    stack = [_Group(None, False)]
    depth = 0  # brace groups open (declarations not counted)
    pos = 0
    length = len(value)
    pending_tag: str | None = None
    while pos < length:
        match = _TOKEN.search(value, pos)
        if match is None:
            run = value[pos:]
            stack[-1].parts.append(run)
            if run.strip():
                stack[-1].logos = False
            break
        top = stack[-1]
        if match.start() > pos:
            run = value[pos : match.start()]
            top.parts.append(run)
            if run.strip():
                top.logos = False
        token = match.group()
        pos = match.end()
        if token == "{":
            top.logos = top.logos and value.startswith("}", pos)  # only "{}" keeps a logo group
            group = _Group(pending_tag, pending_tag is not None or value.startswith("\\", pos))
            group.logos = pending_tag is None and group.command
            pending_tag = None
            stack.append(group)
            depth += 1
            continue
        if pending_tag is not None:
            return None  # a style command without a braced argument
        if token == "}":
            _close(stack, markup)
            if depth == 0:
                return None
            group = stack.pop()
            depth -= 1
            inner = "".join(group.parts)
            if group.tag and group.tag != "-":
                text = f"<{group.tag}>{inner}</{group.tag}>" if markup and inner else inner
            elif (
                nocase
                and depth == 0
                and (not group.command or (group.logos and group.seen))
                and any(c.isalpha() for c in inner)
            ):
                text = f'<span class="nocase">{inner}</span>'
            else:
                text = inner
            stack[-1].parts.append(text)
            continue
        if token != "\\":
            top.parts.append(_TEXT_SPECIALS[token])
            top.logos = False
            continue
        if pos >= length:
            return None
        char = value[pos]
        if char in _ESCAPES:
            top.parts.append(_ESCAPES[char])
            top.logos = False
            pos += 1
            continue
        name_match = _LETTER_MACRO.match(value, pos)
        name = name_match.group() if name_match else char
        if char in _ACCENTS and (not char.isalpha() or name == char):
            target = _accent_target(value, pos + 1)
            if target is None:
                return None
            base, pos = target
            top.parts.append(unicodedata.normalize("NFC", base + _ACCENTS[char]))
            top.logos = False
            continue
        if name_match is None:
            if char in _NAMED:  # "\ ", "\-", "\/", "\@": no space is skipped after them
                top.parts.append(_NAMED[char])
                top.logos = False
                pos += 1
                continue
            return None
        pos = name_match.end()
        if name in _STYLE or name in _CONTENT:
            if not value.startswith("{", pos):
                return None
            pending_tag = _STYLE.get(name, "-")
            top.logos = False
            continue
        if name in _SYMBOLS:
            top.parts.append(_SYMBOLS[name])
            top.logos = False
        elif name in _NAMED:
            top.parts.append(_NAMED[name])
            if name in _LOGOS:
                top.seen = True
            else:
                top.logos = False
        elif name in _SWITCHES:
            top.logos = False
            tag = _SWITCHES[name]
            if tag is not None:
                stack.append(_Group(tag, False, switch=True))
        elif unknown is not None and in_database is not None and not in_database(name):
            # Kept as written (post-space and a directly following group included), reported.
            start = name_match.start() - 1
            end = _post_space(value, pos)
            if end == pos and value.startswith("{", pos):
                close = _group_end(value, pos)
                if close is None:
                    return None
                end = close
            top.parts.append(value[start:end])
            top.logos = False
            unknown.append(f"\\{name}")
            pos = end
            continue
        else:
            return None
        pos = _post_space(value, pos)
    if pending_tag is not None:
        return None
    _close(stack, markup)
    if len(stack) != 1:
        return None
    return "".join(stack[0].parts)

r"""LaTeX → Unicode for BibTeX field values, with citeproc-js rich-text markup.

pylatexenc parses the value; citekit walks the nodes itself (``LatexNodes2Text`` on whole
values damages data: ``&`` becomes spaces, unknown macros vanish — traps.md). Examples::

    latex_to_unicode(r"Schr{\"o}dinger's {DNA} \emph{in vivo}", mode="title").text
    == 'Schrödinger\'s <span class="nocase">DNA</span> <i>in vivo</i>'

Policy (documented choices):

* ``~`` becomes U+00A0 NO-BREAK SPACE (it is a tie in TeX; pandoc does the same).
* ``--``/``---`` become en/em dashes; `````` ``/``''`` become curly double quotes.
* ``$...$`` math is kept verbatim, ``\url{x}`` gives ``x``, ``\href{u}{t}`` gives ``t``.
* ``{...}`` becomes ``<span class="nocase">...</span>`` in ``title`` mode only, and only at
  the outermost level and when the group does not start with a command (``{\"O}`` is a
  special character, ``{\em x}`` is emphasis), and only when it holds a letter. A group
  holding only a logo (``{\TeX}``, ``{\LaTeX}``) is protected: BibTeX never recases it.
* A command citekit cannot decode is kept as written and listed in ``problems``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from citekit.syntax._latex_fast import decode_simple
from citekit.syntax.latex_fast import fast_decode

if TYPE_CHECKING:
    from pylatexenc import latexwalker

__all__ = [
    "TITLE_FIELDS",
    "VERBATIM_FIELDS",
    "Decoded",
    "Mode",
    "decode_field",
    "latex_to_unicode",
    "plain_text",
]

Mode = Literal["title", "rich", "text", "verbatim"]
"""``title``: markup + nocase spans; ``rich``: markup; ``text``: plain; ``verbatim``: as is."""

VERBATIM_FIELDS: frozenset[str] = frozenset(
    {
        "url", "doi", "eprint", "file", "pdf", "urlraw", "verba", "verbb", "verbc",
        "crossref", "xdata", "xref", "ids", "entryset", "related", "options", "langid",
        "date", "urldate", "eventdate", "origdate", "year", "month", "day", "pages",
        "sortkey", "presort", "keywords", "eprinttype", "archiveprefix", "eprintclass",
        "primaryclass", "isbn", "issn", "isrn", "pmid", "pmcid", "arxivid", "timestamp",
        "owner", "groups", "mendeley-tags", "bdsk-url-1", "bdsk-url-2", "bdsk-file-1",
        "local-url", "howpublished-url", "file-url", "citeulike-linkout-0",
    }
)  # fmt: skip
"""BibTeX fields never LaTeX-decoded (identifiers, locators, dates, file paths)."""

TITLE_FIELDS: frozenset[str] = frozenset(
    {
        "title", "subtitle", "titleaddon", "booktitle", "booksubtitle", "booktitleaddon",
        "maintitle", "mainsubtitle", "maintitleaddon", "journal", "journaltitle",
        "journalsubtitle", "issuetitle", "issuesubtitle", "eventtitle", "origtitle",
        "shorttitle", "series", "indextitle", "reprinttitle",
    }
)  # fmt: skip
"""BibTeX fields whose braces protect case (decoded in ``title`` mode)."""

_NEEDS_WORK = re.compile(r"[\\{}$~]|--|``|''|!`|\?`")
"""What makes a value need decoding (:func:`plain_text` tests the same with ``in``)."""
_SPACE = re.compile(r"[ \t\r\n]+")
_URL = re.compile(r"\\(?:url|path|nolinkurl)\s*\{([^{}]*)\}")
_STARRED = re.compile(r"(\\[A-Za-z]+)\*")
_PERCENT = re.compile(r"(?<!\\)%")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")

_STYLE_COMMANDS: dict[str, str] = {
    "emph": "i", "textit": "i", "textsl": "i", "mkbibemph": "i", "mkbibitalic": "i",
    "textbf": "b", "mkbibbold": "b", "textsuperscript": "sup", "mkbibsuperscript": "sup",
    "textsubscript": "sub", "mkbibsubscript": "sub",
}  # fmt: skip
_STYLE_DECLARATIONS: dict[str, str | None] = {
    "em": "i", "it": "i", "itshape": "i", "sl": "i", "slshape": "i", "bf": "b",
    "bfseries": "b", "sc": None, "scshape": None, "rm": None, "rmfamily": None, "tt": None,
    "ttfamily": None, "sf": None, "sffamily": None, "normalfont": None, "upshape": None,
    "mdseries": None, "small": None, "footnotesize": None, "large": None, "relax": None,
}  # fmt: skip
_CONTENT_COMMANDS: frozenset[str] = frozenset(
    {
        "textrm", "textsf", "texttt", "textnormal", "textup", "textmd", "textsc", "mbox",
        "text", "hbox", "nocase", "NoCaseChange", "MakeUppercase", "uppercase",
        "MakeLowercase", "lowercase", "url", "path", "detokenize", "ensuremath", "textlf",
        "mkbibquote", "enquote", "textquote", "bibstring", "acro", "acronym", "textsmaller",
        "textlarger", "foreignlanguage", "hyphenation",
    }
)  # fmt: skip
_NAMED: dict[str, str] = {
    "LaTeX": "LaTeX", "TeX": "TeX", "BibTeX": "BibTeX", "LaTeXe": "LaTeX2e", "XeTeX": "XeTeX",
    "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "ConTeXt": "ConTeXt", "AmS": "AMS",
    "MF": "METAFONT", "MP": "MetaPost", "TUB": "TUGboat", "PS": "PostScript", "PDF": "PDF",
    "CTAN": "CTAN", "Dash": "—", "bs": "\\", "pdfTeX": "pdfTeX",
    "pdfLaTeX": "pdfLaTeX", "LuaLaTeX": "LuaLaTeX", "eTeX": "ε-TeX", "AMSTeX": "AMS-TeX",
    "BibLaTeX": "BibLaTeX", "SliTeX": "SliTeX", "PiCTeX": "PiCTeX",
    "ldots": "…", "dots": "…", "textellipsis": "…", "\\": " ", " ": " ", "-": "", "/": "",
    "@": "", "slash": "/", "newblock": " ", "break": " ", "linebreak": " ", "newline": " ",
    "par": " ", "ensp": "\u2002", "enspace": "\u2002", "quad": "\u2003", "qquad": "\u2003\u2003",
    "nobreakspace": "\u00a0", "textendash": "–", "textemdash": "—", "textquotedbl": '"',
    "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“",
    "textquotedblright": "”", "textregistered": "®", "texttrademark": "™", "textdegree": "°",
    "textcopyright": "©", "textbackslash": "\\", "textasciitilde": "~", "textunderscore": "_",
    "textbar": "|", "textless": "<", "textgreater": ">", "textbullet": "•", "S": "§",
    "P": "¶", "euro": "€", "textperiodcentered": "·", "textasciicircum": "^", "{": "{",
    "}": "}", "textbraceleft": "{", "textbraceright": "}", "$": "$", "&": "&", "%": "%",
    "#": "#", "_": "_",
}  # fmt: skip
_LOGOS: frozenset[str] = frozenset(k for k, v in _NAMED.items() if any(c.isalpha() for c in v))
"""Named commands that print a word (``\\TeX``): a brace group holding only these is protected."""
_SPECIALS: dict[str, str] = {
    "~": "\u00a0", "--": "–", "---": "—", "``": "“", "''": "”", "&": "&", "!`": "¡", "?`": "¿",
}  # fmt: skip
_TWO_ARGUMENTS = frozenset({"href", "foreignlanguage"})
_QUOTES = {"enquote": ("“", "”"), "mkbibquote": ("“", "”"), "textquote": ("“", "”")}

# pylatexenc is imported on the first value the fast paths decline (most files never need
# it: importing it and building its macro databases costs ~30 ms of every start-up).
_DB: Any = None
_WALKER_DB: Any = None
_CONVERTER: Any = None


def _load_pylatexenc() -> None:
    """Import pylatexenc and build its databases once (module globals used by the walker)."""
    global _DB, _WALKER_DB, _CONVERTER
    if _CONVERTER is not None:
        return
    from pylatexenc import latex2text as l2t
    from pylatexenc import latexwalker as lw

    globals().update(latex2text=l2t, latexwalker=lw)
    _DB = l2t.get_default_latex_context_db()
    _WALKER_DB = lw.get_default_latex_context_db()  # built once: costly per walker
    _fast_specials(_WALKER_DB)
    _CONVERTER = l2t.LatexNodes2Text(math_mode="verbatim", strict_latex_spaces=True)


def _fast_specials(db: Any) -> None:
    """Let ``db.test_for_specials`` answer at once where no specials sequence can start.

    pylatexenc tries every specials sequence (``~``, ``--``, ``!```…) of every category at
    each token, a good part of the walker's cost on long abstracts. A sequence can only
    match where the text holds its first character, so elsewhere the answer is ``None``, as
    the full test gives. The first characters are taken from ``db`` once: this database is
    private to the walker and citekit never adds specials to it.
    """
    first = frozenset(
        chars[0] for category in db.category_list for chars in db.d[category]["specials"] if chars
    )
    full_test = db.test_for_specials

    def test_for_specials(s: str, pos: int, parsing_state: Any = None) -> Any:
        if s[pos : pos + 1] not in first:
            return None
        return full_test(s, pos, parsing_state)

    db.test_for_specials = test_for_specials


@dataclass(frozen=True, slots=True)
class Decoded:
    """A decoded value and what could not be decoded (kept as written in ``text``)."""

    text: str
    problems: tuple[str, ...] = ()


class _Walker:
    """Turns pylatexenc nodes into text with markup, per mode."""

    def __init__(self, mode: Mode) -> None:
        self.markup = mode in ("title", "rich")
        self.nocase = mode == "title"
        self.problems: list[str] = []

    def wrap(self, tag: str | None, inner: str) -> str:
        if not tag or not self.markup or not inner:
            return inner
        return f"<{tag}>{inner}</{tag}>"

    def nodes(self, nodes: list[Any], depth: int) -> str:
        out: list[str] = []
        index = 0
        count = len(nodes)
        while index < count:
            node = nodes[index]
            index += 1
            if node is None:
                continue
            if node.isNodeType(latexwalker.LatexCharsNode):
                out.append(node.chars)
            elif node.isNodeType(latexwalker.LatexGroupNode):
                out.append(self.group(node, depth))
            elif node.isNodeType(latexwalker.LatexMacroNode):
                name = node.macroname
                if name in _STYLE_DECLARATIONS:
                    rest = self.nodes(nodes[index:], depth)
                    index = count
                    out.append(self.wrap(_STYLE_DECLARATIONS[name], rest))
                    continue
                argument, index = self.argument(node, nodes, index)
                out.append(self.macro(node, argument, depth))
            elif node.isNodeType(latexwalker.LatexSpecialsNode):
                out.append(_SPECIALS.get(node.specials_chars, node.specials_chars))
            elif node.isNodeType(latexwalker.LatexMathNode) or node.isNodeType(
                latexwalker.LatexCommentNode
            ):
                out.append(node.latex_verbatim())
            else:
                self.problems.append(node.latex_verbatim()[:40])
                out.append(node.latex_verbatim())
        return "".join(out)

    def argument(self, node: Any, nodes: list[Any], index: int) -> tuple[Any, int]:
        """The (last) argument node of a macro, taking the next group if pylatexenc did not."""
        argd = node.nodeargd
        if argd is not None and argd.argnlist:
            given = [a for a in argd.argnlist if a is not None]
            if given:
                return given, index
        name = node.macroname
        wants = (
            name in _STYLE_COMMANDS
            or name in _CONTENT_COMMANDS
            or name in _TWO_ARGUMENTS
            or (_DB.get_macro_spec(name) is None and name not in _NAMED)
        )
        if wants and not node.macro_post_space:
            taken: list[Any] = []
            limit = 2 if name in _TWO_ARGUMENTS else 1
            while (
                index < len(nodes)
                and len(taken) < limit
                and nodes[index] is not None
                and nodes[index].isNodeType(latexwalker.LatexGroupNode)
            ):
                taken.append(nodes[index])
                index += 1
            if taken:
                return taken, index
        return None, index

    def content(self, arg: Any, depth: int) -> str:
        if arg.isNodeType(latexwalker.LatexGroupNode):
            return self.nodes(arg.nodelist, depth + 1)
        return self.nodes([arg], depth + 1)

    def macro(self, node: Any, args: list[Any] | None, depth: int) -> str:
        name = node.macroname
        if name in _STYLE_COMMANDS:
            inner = self.content(args[-1], depth) if args else ""
            return self.wrap(_STYLE_COMMANDS[name], inner)
        if name in ("url", "path") and args:
            return "".join(a.latex_verbatim() for a in args)[1:-1]
        if name == "href" and args:
            return self.content(args[-1], depth)
        if name in _CONTENT_COMMANDS:
            inner = self.content(args[-1], depth) if args else ""
            if name in _QUOTES:
                return _QUOTES[name][0] + inner + _QUOTES[name][1]
            return inner
        if name in _NAMED and not args:
            return _NAMED[name]
        if _DB.get_macro_spec(name) is not None:
            try:
                text = str(_CONVERTER.node_to_text(node))
            except Exception:  # pylatexenc bug on odd input: keep the source
                text = node.latex_verbatim()
                self.problems.append(text.strip())
            return text
        verbatim = str(node.latex_verbatim())
        if args:
            verbatim += "".join(a.latex_verbatim() for a in args if a is not node.nodeargd)
        self.problems.append(f"\\{name}")
        return verbatim

    def group(self, node: Any, depth: int) -> str:
        children = [n for n in node.nodelist if n is not None]
        inner = self.nodes(children, depth + 1)
        starts_with_command = bool(children) and children[0].isNodeType(latexwalker.LatexMacroNode)
        if (
            self.nocase
            and depth == 0
            and (not starts_with_command or _only_logos(children))
            and any(c.isalpha() for c in inner)
        ):
            return f'<span class="nocase">{inner}</span>'
        return inner


def _only_logos(children: list[Any]) -> bool:
    r"""True for ``{\TeX}``/``{\LaTeX{}}``: BibTeX never changes a control sequence's case.

    A group starting with ``\'`` or ``\em`` is a special character or a declaration whose
    letters BibTeX does recase, so it stays unprotected.
    """
    seen = False
    for child in children:
        if child.isNodeType(latexwalker.LatexMacroNode):
            argd = child.nodeargd
            if child.macroname not in _LOGOS or (argd is not None and any(argd.argnlist)):
                return False
            seen = True
        elif child.isNodeType(latexwalker.LatexGroupNode):
            if any(n is not None for n in child.nodelist):
                return False
        elif not (child.isNodeType(latexwalker.LatexCharsNode) and not child.chars.strip()):
            return False
    return seen


def plain_text(value: str) -> str | None:
    r"""The decoded text of a value with nothing to decode (any mode but verbatim), else ``None``.

    Such a value (no ``\ { } $ ~``, dashes or TeX quotes) only has its whitespace collapsed
    and never has problems; :func:`latex_to_unicode` gives the same text.
    """
    if (  # exactly ``_NEEDS_WORK.search(value)``, about 3x faster (substring tests)
        "\\" in value
        or "{" in value
        or "}" in value
        or "$" in value
        or "~" in value
        or "--" in value
        or "``" in value
        or "''" in value
        or "!`" in value
        or "?`" in value
    ):
        return None
    if "\n" in value or "  " in value or "\t" in value:
        return _SPACE.sub(" ", value).strip()
    return value.strip() if value[:1] == " " or value[-1:] == " " else value


def _collapse(text: str) -> str:
    """``_SPACE.sub(" ", text).strip()``, without the substitution when it would change nothing."""
    if "\n" in text or "  " in text or "\t" in text or "\r" in text:
        return _SPACE.sub(" ", text).strip()
    return text.strip()


def latex_to_unicode(value: str, *, mode: Mode = "text") -> Decoded:
    r"""Decode a BibTeX field value (delimiters already removed) into Unicode.

    Args:
        value: e.g. ``r"Gr{\\"u}n{\\'e}isen --- {DNA}"``.
        mode: ``title`` (markup and nocase spans), ``rich`` (markup), ``text`` (plain) or
            ``verbatim`` (returned unchanged).

    Returns:
        The decoded text (whitespace runs collapsed to one space) and the problems found.
    """
    if mode == "verbatim":
        return Decoded(value)
    plain = plain_text(value)
    if plain is not None:
        return Decoded(plain)
    # Two fast paths, each checked equal to the pylatexenc walker on the corpora: the first
    # (issue-7) covers braces, accents and inline math, the second adds markup commands
    # (\emph, {\em ...}, \textsuperscript) and letter-like symbols (\ss, \L).
    fast = fast_decode(value, mode == "title", _token_text)
    if fast is not None:
        return Decoded(_collapse(fast))
    unknown: list[str] = []
    simple = decode_simple(
        value,
        markup=mode in ("title", "rich"),
        nocase=mode == "title",
        unknown=unknown,
        in_database=_in_database,
    )
    if simple is not None:
        return Decoded(simple, tuple(unknown))
    return walk_latex(value, mode=mode)


_KNOWN: dict[str, bool] = {}


def _in_database(name: str) -> bool:
    """Whether the walker knows command ``name``: its own tables or pylatexenc's databases."""
    known = _KNOWN.get(name)
    if known is None:
        _load_pylatexenc()
        known = (
            name in _STYLE_COMMANDS
            or name in _STYLE_DECLARATIONS
            or name in _CONTENT_COMMANDS
            or name in _TWO_ARGUMENTS
            or name in _NAMED
            or name in ("url", "path", "nolinkurl")
            or _DB.get_macro_spec(name) is not None
            or _WALKER_DB.get_macro_spec(name) is not None
        )
        if len(_KNOWN) < 4096:
            _KNOWN[name] = known
    return known


_TOKENS: dict[str, str | None] = {}


def _token_text(token: str) -> str | None:
    r"""One simple command token (``{\"u}``) decoded (cached), ``None`` if it had problems.

    The second fast path decodes accent tokens exactly as pylatexenc does (every token form
    is checked against it in the test-suite); anything it declines goes to pylatexenc.
    """
    if token not in _TOKENS:
        simple = decode_simple(token, markup=False, nocase=False)
        if simple is not None:
            _TOKENS[token] = simple
        else:
            decoded = walk_latex(token, mode="text")
            _TOKENS[token] = None if decoded.problems else decoded.text
    return _TOKENS[token]


def walk_latex(value: str, *, mode: Mode) -> Decoded:
    """The full pylatexenc path of :func:`latex_to_unicode` (no fast paths)."""
    _load_pylatexenc()
    urls: list[str] = []

    def stash(match: re.Match[str]) -> str:
        urls.append(match.group(1))
        return f"\ue000{len(urls) - 1}\ue001"

    source = _URL.sub(stash, value) if "\\" in value else value
    if "*" in source:
        source = _STARRED.sub(r"\1", source)  # \enquote*{x}: the starred form prints the same
    if "%" in source:
        source = _PERCENT.sub(r"\\%", source)
    walker = _Walker(mode)
    try:
        nodes, _, _ = latexwalker.LatexWalker(
            source, latex_context=_WALKER_DB, tolerant_parsing=True
        ).get_latex_nodes()
        text = walker.nodes(nodes, 0)
        if urls:
            text = _PLACEHOLDER.sub(lambda m: urls[int(m.group(1))], text)
    except (RecursionError, latexwalker.LatexWalkerError, IndexError, ValueError) as exc:
        return Decoded(_SPACE.sub(" ", value).strip(), (f"cannot parse LaTeX: {exc}"[:80],))
    return Decoded(_SPACE.sub(" ", text).strip(), tuple(walker.problems))


def decode_field(field: str, value: str, *, markup: bool = True) -> Decoded:
    """Decode ``value`` with the policy of BibTeX field ``field`` (lower-case name).

    url/doi/eprint/file and the other :data:`VERBATIM_FIELDS` are returned unchanged; title
    fields get nocase spans; other fields get ``<i>``/``<b>``/... markup when ``markup``.
    """
    if field in VERBATIM_FIELDS:
        return Decoded(value.strip())
    if field in TITLE_FIELDS:
        return latex_to_unicode(value, mode="title" if markup else "text")
    return latex_to_unicode(value, mode="rich" if markup else "text")


def _full_decode(value: str, mode: Mode) -> Decoded:
    """Alias of :func:`walk_latex` (name used by the issue-7 tests)."""
    return walk_latex(value, mode=mode)

r"""Unicode (with citeproc-js markup) → LaTeX field values for BibTeX/BibLaTeX output.

Non-ASCII characters go through pylatexenc's ``UnicodeToLatexEncoder(non_ascii_only=True,
replacement_latex_protection="braces-all", unknown_char_policy="keep")`` — the only encoder that
writes ``J{\\"u}rgen``, ``{\\L}ukasz`` and ``Erd{\\H{o}}s`` — after three direct replacements so
the output looks like what people type: en dash → ``--``, em dash → ``---``, no-break space → ``~``.
citekit adds its own escaping on top:

* ``& % # _`` become ``\\& \\% \\# \\_`` in text fields; ``$`` too, unless it delimits math
  (``$\\alpha$``, ``$n$``), which is kept verbatim; ``~`` and ``^`` become
  ``\\textasciitilde{}`` / ``\\textasciicircum{}``;
* macros that read/write files or run code (:data:`DANGEROUS_MACROS`: ``\\input``,
  ``\\write18``, ``\\catcode``, ``\\csname`` …) are neutralised as ``\\textbackslash{}input``;
* other LaTeX macros already in the text (``\\LaTeX``, ``\\url{...}``, left there by the reader
  because they could not be decoded) are kept, arguments of ``\\url``/``\\href``/``\\path``
  verbatim;
* the markup subset becomes ``{…}`` (``<span class="nocase">``), ``\\emph{…}`` (``<i>``),
  ``\\textbf{…}`` (``<b>``), ``\\textsuperscript{…}``, ``\\textsubscript{…}`` and
  ``\\textsc{…}`` (small-caps span); unpaired tags are kept as text;
* braces are **always balanced**: an unmatched ``{``/``}`` becomes ``\\textbraceleft{}`` /
  ``\\textbraceright{}`` (BibTeX counts ``\\{`` as a brace), so a value can never end its
  field early;
* url/doi/eprint/file values are never escaped (:func:`encode_verbatim` only percent-encodes
  unbalanced braces).

Every rule maps the reader's output back to itself, so encoding is idempotent over a
read/write cycle.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from citekit.syntax.latex_to_unicode import latex_to_unicode

__all__ = [
    "DANGEROUS_MACROS",
    "balance_braces",
    "encode_pages",
    "encode_text",
    "encode_verbatim",
    "protect_plain",
    "to_ascii_latex",
]

_TAG = re.compile(
    r"<(?P<close>/)?(?P<tag>i|b|sup|sub)>"
    r"|<span\s+class=\"nocase\">"
    r"|<span\s+style=\"font-variant:\s*small-caps;?\">"
    r"|</span>"
)
_OPEN_LATEX = {
    "i": "\\emph{",
    "b": "\\textbf{",
    "sup": "\\textsuperscript{",
    "sub": "\\textsubscript{",
    "nocase": "{",
    "sc": "\\textsc{",
}
# Math: $...$ whose content looks like TeX (a macro, ^, _, braces), or has no space at its
# ends and does not start with a digit ("$W[P]$", "$n$"; not "$5 and $10").
_MATH = re.compile(r"\$(?:[^$\\]|\\.){1,300}?\$")
_MATHY = re.compile(r"[\\^_{}]|^(?![0-9])\S(?:.*\S)?$")
_MACRO = re.compile(r"\\(?:[A-Za-z@]+\*?|[^A-Za-z\s])")
_VERBATIM_MACROS = frozenset({"\\url", "\\path", "\\href", "\\nolinkurl", "\\doi"})
# Primitives and macros that read or write files, run shell commands, or redefine the input
# (``\input{/etc/passwd}``, ``\write18{…}``, ``\catcode``): a field value must never execute
# them when the bibliography is typeset, so they are written as text (``\textbackslash{}input``).
DANGEROUS_MACROS = frozenset(
    {
        "\\input",
        "\\@input",
        "\\@@input",
        "\\include",
        "\\includeonly",
        "\\InputIfFileExists",
        "\\IfFileExists",
        "\\endinput",
        "\\openin",
        "\\openout",
        "\\read",
        "\\readline",
        "\\write",
        "\\write18",
        "\\immediate",
        "\\closein",
        "\\closeout",
        "\\newwrite",
        "\\newread",
        "\\special",
        "\\directlua",
        "\\latelua",
        "\\luaexec",
        "\\luadirect",
        "\\ShellEscape",
        "\\shellescape",
        "\\pdffiledump",
        "\\pdfmdfivesum",
        "\\filedump",
        "\\catcode",
        "\\lccode",
        "\\uccode",
        "\\mathcode",
        "\\def",
        "\\edef",
        "\\gdef",
        "\\xdef",
        "\\let",
        "\\futurelet",
        "\\newcommand",
        "\\renewcommand",
        "\\providecommand",
        "\\DeclareRobustCommand",
        "\\NewDocumentCommand",
        "\\RenewDocumentCommand",
        "\\csname",
        "\\endcsname",
        "\\expandafter",
        "\\scantokens",
        "\\everyeof",
        "\\everypar",
        "\\everyjob",
        "\\usepackage",
        "\\RequirePackage",
        "\\documentclass",
        "\\verbatiminput",
        "\\lstinputlisting",
        "\\inputminted",
        "\\includepdf",
    }
)
_SPECIALS = {
    "&": "\\&",
    "%": "\\%",
    "#": "\\#",
    "_": "\\_",
    "$": "\\$",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
}
_SPECIAL_RE = re.compile(r"[&%#_$~^]")
_LINK = re.compile(r"https?://[^\s<>{}\\]+?(?=[.,;:!?)\]]*(?:\s|$|<))")
_NEEDS_WORK = re.compile(r"[<$\\{}&%#_~^]|https?://")
_LITERAL_WORK = re.compile(r"[<$\\{}&%#_~^]|https?://|--|``|''|[!?]`")
# TeX ligatures the reader turns into other characters (``--`` → –, ``''`` → ”, ``!` `` → ¡):
# a CSL "--" is literal, so an empty group splits it (``-{}-``), as one does in LaTeX.
_LIGATURE = re.compile("[-\u2013\u2014](?=[-\u2013\u2014])|`(?=`)|'(?=')|[!?](?=`)")
_PAGE_DASH = re.compile(r"(?<=[0-9A-Za-z])\s*(?:--|[-\u2010-\u2015\u2212])\s*(?=[0-9A-Za-z])")

_ACTIVE = re.compile(r"[<$\\{}]|https?://")
"""Where :func:`encode_text` may have something to do; it skips from one to the next."""

# Strict mode (see :meth:`Encoder.text`): characters that are LaTeX syntax, written as text.
_STRICT = {"\\": "\\textbackslash{}", "{": "\\textbraceleft{}", "}": "\\textbraceright{}"}
# Characters written as a command (``\&``, ``\textasciitilde{}``): a span starting with one
# needs ``{{…}}`` to stay a protected group rather than a special character.
_MACRO_SPECIALS = ("&", "%", "#", "_", "~", "^")
_DIRECT = {"\u2013": "--", "\u2014": "---", "\u00a0": "~"}
_DIRECT_RE = re.compile("[\u2013\u2014\u00a0]")


@lru_cache(maxsize=1)
def _encoder() -> Any:
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    # pylatexenc logs a warning for every character it cannot spell (CJK, emoji); citekit
    # keeps those characters as they are, which is what ``unknown_char_policy="keep"`` means.
    logging.getLogger("pylatexenc.latexencode").setLevel(logging.ERROR)
    logging.getLogger("pylatexenc.latexencode._unicode_to_latex_encoder").setLevel(logging.ERROR)
    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
    )


@cache
def _spell(char: str) -> str:
    r"""LaTeX for one character, or the character itself when the spelling would not read back.

    pylatexenc approximates some characters (``⋅`` → ``\cdot``, which reads back as ``·``;
    ``𝕈`` → ``\mathbb{Q}``); citekit keeps those as UTF-8 rather than change the data.
    """
    if char in _DIRECT:
        return _DIRECT[char]
    spelled: str = _encoder().unicode_to_latex(char)
    if spelled == char:
        return char
    pylatexenc_logger = logging.getLogger("pylatexenc")
    level = pylatexenc_logger.level
    pylatexenc_logger.setLevel(logging.CRITICAL)
    try:
        back = latex_to_unicode(spelled, mode="text").text
    finally:
        pylatexenc_logger.setLevel(level)
    return spelled if back == char else char


def to_ascii_latex(text: str) -> str:
    r"""Spell every non-ASCII character of ``text`` as LaTeX (``ü`` → ``{\\"u}``).

    ASCII characters are left alone. Characters with no LaTeX spelling (CJK, emoji) and those
    whose spelling reads back as another character are kept as they are. Combining accents
    are composed first (NFC).
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    return _NON_ASCII.sub(_spell_match, text)


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _spell_match(match: re.Match[str]) -> str:
    return _spell(match.group())


_WORD = re.compile(r"[^\W_]+")
_INNER_CANDIDATE = re.compile(r"(?<![^\W_])[^\W_][^\W_]*?[^\W_a-z0-9][^\W_]*")
"""The words (:data:`_WORD` runs) :func:`_protect_word` may brace: those with a character after
their first that is not ``a-z``/``0-9``. ``_INNER_CANDIDATE.sub(_protect_word, text)`` equals
``_WORD.sub(_protect_word, text)`` (the other words come back unchanged) with one Python call
per candidate rather than per word."""


_LOGO = re.compile(r"TeX|TEX|TUG|METAFONT|MetaFont|MetaPost|ConTeXt")


# For ASCII text: a whole word (a run of letters and digits) with a capital after its first
# character, i.e. exactly the words :func:`_protect_word` braces.
_ASCII_INNER_CAPITAL = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9][a-z0-9]*[A-Z][A-Za-z0-9]*")


def _brace_match(match: re.Match[str]) -> str:
    return "{" + match.group() + "}"


def _protect_word(match: re.Match[str]) -> str:
    word = match.group()
    return "{" + word + "}" if any(c.isupper() for c in word[1:]) else word


def _protect_logo(match: re.Match[str]) -> str:
    word = match.group()
    return "{" + word + "}" if _LOGO.search(word) else word


def _escape_plain(
    text: str, ascii: bool, protect: bool | str = False, ligatures: bool = False
) -> str:
    if protect == "logos":
        text = _WORD.sub(_protect_logo, text)
    elif protect and text.isascii():
        text = _ASCII_INNER_CAPITAL.sub(_brace_match, text)
    elif protect:
        text = _INNER_CANDIDATE.sub(_protect_word, text)
    if _SPECIAL_RE.search(text):
        text = _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group()], text)
    if ligatures and _LIGATURE.search(text):
        text = _LIGATURE.sub(lambda m: m.group() + "{}", text)
    return to_ascii_latex(text) if ascii else text


def protect_plain(text: str, *, ascii: bool, protect_case: bool | str) -> str:
    """:func:`encode_text` for text with nothing to escape: words braced, non-ASCII spelled.

    Only for text without markup, LaTeX, special characters, braces or TeX ligatures (see
    ``_UNTOUCHED`` in :mod:`citekit.syntax.latex_encoder`): for it this is exactly what
    :func:`encode_text` returns with ``protect_case``, without looking for those again.
    """
    if protect_case is True and text.isascii():
        # What _escape_plain does for it; the braces it adds pair up (the text has none).
        return _ASCII_INNER_CAPITAL.sub(_brace_match, text)
    return balance_braces(_escape_plain(text, ascii, protect_case))


def _pair_tags(text: str, special: bool = False) -> dict[int, tuple[str, int]]:
    """Start offset of every *paired* tag → (latex replacement, end offset)."""
    stack: list[tuple[str, re.Match[str]]] = []
    paired: dict[int, tuple[str, int]] = {}
    for match in _TAG.finditer(text):
        token = match.group()
        if match["tag"] and not match["close"]:
            stack.append((match["tag"], match))
        elif token.startswith("<span"):
            stack.append(("nocase" if "nocase" in token else "sc", match))
        else:
            name = match["tag"] if match["tag"] else None
            closes_span = token == "</span>"
            if stack and (
                (closes_span and stack[-1][0] in ("nocase", "sc"))
                or (not closes_span and stack[-1][0] == name)
            ):
                kind, opener = stack.pop()
                wrap = special and kind != "nocase"
                opening = "{" + _OPEN_LATEX[kind] if wrap else _OPEN_LATEX[kind]
                paired[opener.start()] = (opening, opener.end())
                paired[match.start()] = ("}}" if wrap else "}", match.end())
    return paired


def _closing_offset(text: str, start: int, paired: dict[int, tuple[str, int]]) -> int:
    """Offset of the tag closing the span that opens at ``start`` (spans nest properly)."""
    depth = 0
    for offset in sorted(k for k in paired if k >= start):
        token_end = paired[offset][1]
        if text.startswith("</", offset):
            depth -= 1
            if depth == 0:
                return offset
        elif token_end > offset:
            depth += 1
    return start


_BRACE = re.compile("[{}]")


def balance_braces(text: str) -> str:
    r"""Replace braces that do not pair up by ``\\textbraceleft{}``/``\\textbraceright{}``.

    Braces after a backslash count too, because BibTeX counts them; the result can always sit
    between ``{`` and ``}`` of a field.
    """
    if "{" not in text and "}" not in text:
        return text
    opens: list[int] = []
    bad: set[int] = set()
    for brace in _BRACE.finditer(text):  # only the braces, not every character
        if brace.group() == "{":
            opens.append(brace.start())
        elif opens:
            opens.pop()
        else:
            bad.add(brace.start())
    bad.update(opens)
    if not bad:
        return text
    pieces: list[str] = []
    for index, char in enumerate(text):
        if index in bad:
            # Drop a preceding backslash of an escaped brace (``\{`` → ``\textbraceleft{}``).
            if pieces and pieces[-1] == "\\":
                pieces.pop()
            pieces.append("\\textbraceleft{}" if char == "{" else "\\textbraceright{}")
        else:
            pieces.append(char)
    return "".join(pieces)


def _group_end(text: str, start: int) -> int:
    """Offset just after the brace group opening at ``start`` (or -1 when unclosed)."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return -1


def encode_text(
    text: str,
    *,
    ascii: bool = True,
    markup: bool = True,
    protect_case: bool | str = False,
    special_markup: bool = False,
    literal: bool = False,
    strict: bool = False,
) -> str:
    r"""Encode one text value (title, note, publisher, a name part …) for a ``.bib`` field.

    Args:
        text: CSL text, possibly with the citeproc-js markup subset.
        ascii: Spell non-ASCII characters as LaTeX (``True``) or keep UTF-8 (``False``).
        markup: Translate ``<i>``/``<b>``/``<span class="nocase">``… (``False`` for names,
            where the tags are taken literally).
        protect_case: Brace words with a capital after their first letter (``{LaTeX}``,
            ``{DNA}``) outside protected spans, so BibTeX styles do not lower-case them;
            ``"logos"`` braces only TeX-family names (``TeX``, ``LaTeX``, ``TUGboat``).
        special_markup: Write ``{\emph{…}}`` rather than ``\emph{…}``: BibTeX then treats
            it as one special character and changes its case like the text around it, as a
            CSL processor does (a bare ``\emph{…}`` would protect its argument).
        literal: The text is CSL text, not what the ``.bib`` reader left (which may hold
            LaTeX it kept as written): with ``markup``, split TeX ligatures (``--`` →
            ``-{}-``, ``''`` → ``'{}'``) and write brace pairs as ``\{…\}``, so the reader
            gives the same characters back.
        strict: Take every backslash, brace and ``$`` in ``text`` as a character, not as
            LaTeX the reader left undecoded (``\textbackslash{}``, ``\textbraceleft{}``,
            ``\$``), and split ligatures; see :meth:`Encoder.text`.

    Returns:
        The field value without its outer braces; braces are balanced.
    """
    # Text the .bib reader gave back holds LaTeX only where it kept some (a macro, math); where
    # it has none, its braces and "--" came from "\{", "-{}-" and are characters too.
    literal = markup and (literal or ("\\" not in text and "$" not in text))
    if not strict and not (_LITERAL_WORK if literal else _NEEDS_WORK).search(text):
        if not protect_case:
            return to_ascii_latex(text) if ascii else text
        return balance_braces(_escape_plain(text, ascii, protect_case, literal))
    paired = _pair_tags(text, special_markup) if markup and "<" in text else {}
    out: list[str] = []
    plain_start = 0
    index = 0
    length = len(text)
    spans: list[bool] = []  # open markup spans: is it a protected (nocase) one?
    raw_depth = 0
    macro_end = -1  # where the last LaTeX macro kept from the text ended
    literal_closers: set[int] = set()  # "}" of literal "{…}" pairs, written "\}"

    def flush(upto: int) -> None:
        if upto > plain_start:
            protect = protect_case if raw_depth == 0 and not any(spans) else False
            split = (literal and raw_depth == 0) or strict
            out.append(_escape_plain(text[plain_start:upto], ascii, protect, split))

    while index < length:
        found = _ACTIVE.search(text, index)
        if found is None:
            break
        index = found.start()
        char = text[index]
        if char == "<" and index in paired:
            flush(index)
            replacement, end = paired[index]
            starts: tuple[str, ...] = ("\\",) if special_markup else ("<", "\\")
            if strict:
                starts += ("{", "}", "$")  # written \textbraceleft{}, \$: commands too
            if replacement == "{" and text.startswith(starts + _MACRO_SPECIALS, end):
                # ``{\emph{x}}`` would read as a special character, not as protected text.
                replacement = "{{"
                closing = _closing_offset(text, index, paired)
                paired[closing] = ("}}", paired[closing][1])
            out.append(replacement)
            if replacement.startswith("}"):
                if spans:
                    spans.pop()
            else:
                spans.append(replacement in ("{", "{{"))
            index = plain_start = end
            continue
        if strict and char in _STRICT:
            flush(index)
            out.append(_STRICT[char])
            index = plain_start = index + 1
            continue
        if char == "$" and not strict:
            math = _MATH.match(text, index)
            if math and _MATHY.search(math.group()[1:-1]):
                flush(index)
                out.append(math.group())
                index = plain_start = math.end()
                continue
        if char == "\\":
            macro = _MACRO.match(text, index)
            if macro is None:  # a lone backslash at the very end
                flush(index)
                out.append("\\textbackslash{}")
                index = plain_start = index + 1
                continue
            flush(index)
            end = macro.end()
            if macro.group() in ("\\(", "\\["):  # \(x^2\) math, kept as written
                close = text.find("\\)" if macro.group() == "\\(" else "\\]", end)
                if close > 0:
                    end = close + 2
            if macro.group() in _VERBATIM_MACROS and text.startswith("{", end):
                group_end = _group_end(text, end)
                if group_end > 0:
                    end = group_end
            chunk = text[index:end]
            name = macro.group()[1:]
            braced_next = text.startswith("{", end)
            if macro.group().rstrip("*") in DANGEROUS_MACROS:
                chunk = "\\textbackslash{}" + chunk[1:]
            elif (
                end == macro.end()
                and name.isalpha()
                and not name.islower()
                and not braced_next
                and not (out and out[-1].endswith("{") and text.startswith("}", end))
            ):
                # ``{\MaxMinAntSystem}``: a brace group keeps BibTeX from lower-casing the name.
                chunk = "{" + chunk + "}"
            out.append(to_ascii_latex(chunk) if ascii else chunk)
            index = plain_start = macro_end = end
            continue
        if char == "h" and text.startswith(("http://", "https://"), index):
            link = _LINK.match(text, index)
            if link is not None and balance_braces(link.group()) == link.group():
                flush(index)
                out.append("\\url{" + link.group() + "}")
                index = plain_start = link.end()
                continue
        if char in "{}":
            flush(index)
            if index in literal_closers:
                out.append("\\}")
            elif literal and char == "{" and _literal_brace(text, index, raw_depth, macro_end):
                # A brace the text has as a character (CSL braces are not markup): ``\{``,
                # which reads back as "{"; BibTeX counts it, so only a matched pair is written
                # this way (balance_braces spells an unmatched one \textbraceleft{}).
                closer = _group_end(text, index) - 1
                if closer > 0:
                    literal_closers.add(closer)
                    out.append("\\{")
                else:
                    out.append("{")
            else:
                raw_depth += 1 if char == "{" else -1
                out.append(char)
            index = plain_start = index + 1
            continue
        index += 1
    flush(length)
    return balance_braces("".join(out))


def _literal_brace(text: str, index: int, raw_depth: int, macro_end: int) -> bool:
    r"""Whether the ``{`` at ``index`` is a character, not a macro's argument group.

    The reader leaves braces in text only around what it could not decode: the argument of a
    kept macro (``\foo{x}``) or a group holding one or math (``{\foo x}``, ``{$_0$}``); those
    stay raw.
    """
    if raw_depth > 0 or (macro_end >= 0 and not text[macro_end:index].strip()):
        return False
    end = _group_end(text, index)
    return end < 0 or not any(c in text[index:end] for c in "\\$")


def encode_verbatim(text: str) -> str:
    """Encode a url/doi/eprint/file value: nothing escaped, unbalanced braces percent-encoded."""
    if ("{" in text or "}" in text) and balance_braces(text) != text:
        return text.replace("{", "%7B").replace("}", "%7D")
    return text


def encode_pages(text: str, *, ascii: bool = True) -> str:
    """Encode a page range: ``12-19``/``12–19`` → ``12--19`` (lists of ranges too)."""
    return encode_text(_PAGE_DASH.sub("--", text), ascii=ascii, markup=False)

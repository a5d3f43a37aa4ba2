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
from functools import lru_cache
from typing import Any

__all__ = [
    "DANGEROUS_MACROS",
    "Encoder",
    "balance_braces",
    "encode_pages",
    "encode_text",
    "encode_verbatim",
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
# Math: $...$ whose content looks like TeX (a macro, ^, _, braces) or is a short symbol.
_MATH = re.compile(r"\$(?=\S)(?:[^$\\]|\\.){1,200}?(?<=\S)\$")
_MATHY = re.compile(r"[\\^_{}]|^[A-Za-z0-9]{1,3}'*$")
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
_NEEDS_WORK = re.compile(r"[<$\\{}&%#_~^]")
_PAGE_DASH = re.compile(r"(?<=[0-9A-Za-z])\s*(?:--|[-\u2010-\u2015\u2212])\s*(?=[0-9A-Za-z])")

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


def to_ascii_latex(text: str) -> str:
    r"""Spell every non-ASCII character of ``text`` as LaTeX (``ü`` → ``{\\"u}``).

    ASCII characters are left alone; characters with no LaTeX spelling (CJK, emoji) are kept.
    """
    if text.isascii():
        return text
    if _DIRECT_RE.search(text):
        text = _DIRECT_RE.sub(lambda m: _DIRECT[m.group()], text)
        if text.isascii():
            return text
    out: str = _encoder().unicode_to_latex(text)
    return out


def _escape_plain(text: str, ascii: bool) -> str:
    if _SPECIAL_RE.search(text):
        text = _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group()], text)
    return to_ascii_latex(text) if ascii else text


def _pair_tags(text: str) -> dict[int, tuple[str, int]]:
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
                paired[opener.start()] = (_OPEN_LATEX[kind], opener.end())
                paired[match.start()] = ("}", match.end())
    return paired


def balance_braces(text: str) -> str:
    r"""Replace braces that do not pair up by ``\\textbraceleft{}``/``\\textbraceright{}``.

    Braces after a backslash count too, because BibTeX counts them; the result can always sit
    between ``{`` and ``}`` of a field.
    """
    if "{" not in text and "}" not in text:
        return text
    opens: list[int] = []
    bad: set[int] = set()
    for index, char in enumerate(text):
        if char == "{":
            opens.append(index)
        elif char == "}":
            if opens:
                opens.pop()
            else:
                bad.add(index)
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


def encode_text(text: str, *, ascii: bool = True, markup: bool = True) -> str:
    """Encode one text value (title, note, publisher, a name part …) for a ``.bib`` field.

    Args:
        text: CSL text, possibly with the citeproc-js markup subset.
        ascii: Spell non-ASCII characters as LaTeX (``True``) or keep UTF-8 (``False``).
        markup: Translate ``<i>``/``<b>``/``<span class="nocase">``… (``False`` for names,
            where the tags are taken literally).

    Returns:
        The field value without its outer braces; braces are balanced.
    """
    if not _NEEDS_WORK.search(text):
        return to_ascii_latex(text) if ascii else text
    paired = _pair_tags(text) if markup and "<" in text else {}
    out: list[str] = []
    plain_start = 0
    index = 0
    length = len(text)

    def flush(upto: int) -> None:
        if upto > plain_start:
            out.append(_escape_plain(text[plain_start:upto], ascii))

    while index < length:
        char = text[index]
        if char == "<" and index in paired:
            flush(index)
            replacement, end = paired[index]
            out.append(replacement)
            index = plain_start = end
            continue
        if char == "$":
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
            if macro.group() in _VERBATIM_MACROS and text.startswith("{", end):
                group_end = _group_end(text, end)
                if group_end > 0:
                    end = group_end
            chunk = text[index:end]
            if macro.group().rstrip("*") in DANGEROUS_MACROS:
                chunk = "\\textbackslash{}" + chunk[1:]
            out.append(to_ascii_latex(chunk) if ascii else chunk)
            index = plain_start = end
            continue
        if char in "{}":
            flush(index)
            out.append(char)
            index = plain_start = index + 1
            continue
        index += 1
    flush(length)
    return balance_braces("".join(out))


def encode_verbatim(text: str) -> str:
    """Encode a url/doi/eprint/file value: nothing escaped, unbalanced braces percent-encoded."""
    if ("{" in text or "}" in text) and balance_braces(text) != text:
        return text.replace("{", "%7B").replace("}", "%7D")
    return text


def encode_pages(text: str, *, ascii: bool = True) -> str:
    """Encode a page range: ``12-19``/``12–19`` → ``12--19`` (lists of ranges too)."""
    return encode_text(_PAGE_DASH.sub("--", text), ascii=ascii, markup=False)


class Encoder:
    r"""The encoding functions bound to one choice of ASCII or UTF-8 output.

    Example: ``Encoder(ascii=True).text("Jürgen & Co")`` is ``J{\\"u}rgen \\& Co``.
    """

    def __init__(self, *, ascii: bool = True) -> None:
        self.ascii = ascii

    def text(self, text: str, *, markup: bool = True) -> str:
        """See :func:`encode_text`."""
        return encode_text(text, ascii=self.ascii, markup=markup)

    def pages(self, text: str) -> str:
        """See :func:`encode_pages`."""
        return encode_pages(text, ascii=self.ascii)

    def verbatim(self, text: str) -> str:
        """See :func:`encode_verbatim`."""
        return encode_verbatim(text)

    def balance(self, text: str) -> str:
        """See :func:`balance_braces`."""
        return balance_braces(text)

"""The ``Encoder`` the BibTeX/BibLaTeX writers use: cached, and checked to read back.

:meth:`Encoder.text` encodes with :func:`~citekit.syntax.unicode_to_latex.encode_text` and, when
the value holds characters that are LaTeX syntax, decodes the result the way the reader decodes
that field; a value that would not come back the same is written in strict mode instead, so
``read(write(x)) == x``. Short values (names, journals, publishers) are cached.
"""

from __future__ import annotations

import re
import unicodedata

from citekit.syntax.latex_chunks import decode_in_chunks
from citekit.syntax.latex_to_unicode import TITLE_FIELDS, VERBATIM_FIELDS, Mode, latex_to_unicode
from citekit.syntax.unicode_to_latex import (
    balance_braces,
    encode_pages,
    encode_text,
    encode_verbatim,
    protect_plain,
    to_ascii_latex,
)

__all__ = ["Encoder", "reads_back"]

_RISKY = re.compile("[\\\\{}$]|[-\u2013\u2014][-\u2013\u2014]|``|''|[!?]`")


def _canonical(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())  # split() = re's \s


def _mode(field: str | None, markup: bool) -> Mode:
    """How the reader decodes ``field`` (as :func:`.latex_to_unicode.decode_field` does)."""
    if not markup:
        return "text"
    if field is None or field in TITLE_FIELDS:
        return "title"
    return "rich"


def reads_back(encoded: str, text: str, *, mode: Mode = "title") -> bool:
    """Whether the reader decodes ``encoded`` (a field value) in ``mode`` as ``text`` again.

    A long value is decoded in pieces where that provably gives the same text
    (:func:`~citekit.syntax.latex_chunks.decode_in_chunks`): one hard construct then costs
    a pylatexenc walk of its piece, not of the whole abstract.
    """
    decoded = decode_in_chunks(encoded, mode)
    return decoded == text or _canonical(decoded) == _canonical(text)


_TEXT_CACHE_SIZE = 32768
_TEXT_CACHE_LENGTH = 80
"""Longer values (titles, abstracts) rarely repeat and are not cached."""
_UNTOUCHED = re.compile("[<$\\\\{}&%#_~^]|https?://|[-\u2013\u2014][-\u2013\u2014]|``|''|[!?]`")
"""Anything :func:`encode_text` or the read-back check acts on.

A value with none of these is written as it is (UTF-8) or with its non-ASCII characters
spelled (ASCII), and with ``protect_case`` its words braced: exactly what
:func:`encode_text` returns for it (no markup, macro, special character, brace or ligature
to handle), and no read-back check applies (:data:`_RISKY` cannot match), so
:meth:`Encoder.text` returns that directly.
"""
_UNTOUCHED_CHARS = re.compile("[<$\\\\{}&%#_~^:`'!?\u2013\u2014-]")
"""A character every match of :data:`_UNTOUCHED` holds: without one, it cannot match."""
_SPECIAL_CHARS = re.compile("[<$\\\\{}&%#_~^]")
_DASH_PAIR = re.compile("[-\u2013\u2014][-\u2013\u2014]")
_URL_START = re.compile("https?://")


def untouched(text: str) -> bool:
    """Whether :data:`_UNTOUCHED` finds nothing in ``text`` (its parts tested one by one).

    Equal to ``_UNTOUCHED.search(text) is None``, only faster: a single character class and
    substring tests scan long values (abstracts) several times quicker than the alternation;
    in a long value (where the class usually matches: a hyphen, a colon) the characters are
    looked for one by one (``in`` scans a string many times faster than a regex class).
    """
    if len(text) > _LONG:
        return _untouched_long(text)
    if _UNTOUCHED_CHARS.search(text) is None:
        return True
    if _SPECIAL_CHARS.search(text) is not None:
        return False
    if "``" in text or "''" in text or "!`" in text or "?`" in text:
        return False
    if _DASH_PAIR.search(text) is not None:
        return False
    return "://" not in text or _URL_START.search(text) is None


_LONG = 100
"""From this length on, :func:`untouched` tests with :func:`_untouched_long`."""
_DASH_PAIRS = tuple(a + b for a in "-\u2013\u2014" for b in "-\u2013\u2014")


def _untouched_long(text: str) -> bool:
    """:func:`untouched` by substring tests alone (each a fast scan of the whole text)."""
    if (
        "\\" in text
        or "{" in text
        or "}" in text
        or "$" in text
        or "<" in text
        or "&" in text
        or "%" in text
        or "#" in text
        or "_" in text
        or "~" in text
        or "^" in text
        or "``" in text
        or "''" in text
        or "!`" in text
        or "?`" in text
    ):
        return False
    if ("-" in text or "\u2013" in text or "\u2014" in text) and any(
        pair in text for pair in _DASH_PAIRS
    ):
        return False
    return "://" not in text or _URL_START.search(text) is None


class Encoder:
    r"""The encoding functions bound to one choice of ASCII or UTF-8 output.

    Example: ``Encoder(ascii=True).text("Jürgen & Co")`` is ``J{\\"u}rgen \\& Co``.
    """

    keeps_plain_ascii = True
    """:meth:`text` returns ASCII letters, dots and single spaces unchanged (``markup=False``,
    no ``protect_case``): the name writer relies on it to skip encoding such names."""

    def __init__(
        self, *, ascii: bool = True, special_markup: bool = False, literal: bool = False
    ) -> None:
        self.ascii = ascii
        self.special_markup = special_markup
        self.is_literal = literal
        self._literal: Encoder | None = self if literal else None
        self._cache: dict[tuple[str, bool, bool | str, str | None], str] = {}

    def literal(self) -> Encoder:
        """This encoder for CSL text (see ``literal`` of :func:`encode_text`)."""
        if self._literal is None:
            self._literal = Encoder(
                ascii=self.ascii, special_markup=self.special_markup, literal=True
            )
        return self._literal

    def text(
        self,
        text: str,
        *,
        markup: bool = True,
        protect_case: bool | str = False,
        field: str | None = None,
    ) -> str:
        r"""See :func:`encode_text`; the result always reads back as ``text``.

        A backslash, brace or ``$`` in a CSL value is either LaTeX the reader could not
        decode (``\thinspace``, ``$\alpha$``: written as is, so it works in LaTeX) or a
        character the source escaped (``\textbackslash{}times``, ``\{112\}``). When the
        first encoding, decoded again as the reader decodes ``field`` (without a field:
        ``title`` mode with markup, ``text`` without), does not give ``text`` back, the value
        is written in strict mode, so that ``read(write(x)) == x`` and writing stays
        idempotent. Fields the reader does not decode (``isbn``, ``keywords``, ``year`` …)
        are written as before: they read back verbatim.

        Values without anything to escape are returned at once (see :data:`_UNTOUCHED`);
        other short values (names, journals, publishers repeat) are cached per encoder.
        """
        if untouched(text):
            if not protect_case:
                return to_ascii_latex(text) if self.ascii and not text.isascii() else text
            return protect_plain(text, ascii=self.ascii, protect_case=protect_case)
        if len(text) > _TEXT_CACHE_LENGTH:
            return self._text(text, markup, protect_case, field)
        key = (text, markup, protect_case, field)
        value = self._cache.get(key)
        if value is None:
            value = self._text(text, markup, protect_case, field)
            if len(self._cache) >= _TEXT_CACHE_SIZE:
                self._cache.clear()  # bounded, so streaming memory stays flat
            self._cache[key] = value
        return value

    def _text(self, text: str, markup: bool, protect_case: bool | str, field: str | None) -> str:
        """:meth:`text` without the fast path and the cache."""
        encoded = encode_text(
            text,
            ascii=self.ascii,
            markup=markup,
            protect_case=protect_case,
            special_markup=self.special_markup,
            literal=self.is_literal,
        )
        if _RISKY.search(text) is None or (field is not None and field in VERBATIM_FIELDS):
            return encoded
        plain = encoded
        if protect_case:
            plain = encode_text(
                text,
                ascii=self.ascii,
                markup=markup,
                special_markup=self.special_markup,
                literal=self.is_literal,
            )
        if reads_back(plain, text, mode=_mode(field, markup)):
            return encoded
        return encode_text(
            text,
            ascii=self.ascii,
            markup=markup,
            protect_case=protect_case,
            special_markup=self.special_markup,
            strict=True,
        )

    def decode(self, text: str) -> str:
        """The reader's decoding of one name part (LaTeX → Unicode, ``text`` mode)."""
        if "\\" not in text and "{" not in text and "~" not in text:
            return text
        return latex_to_unicode(text, mode="text").text

    def pages(self, text: str) -> str:
        """See :func:`encode_pages`."""
        return encode_pages(text, ascii=self.ascii)

    def verbatim(self, text: str) -> str:
        """See :func:`encode_verbatim`."""
        return encode_verbatim(text)

    def balance(self, text: str) -> str:
        """See :func:`balance_braces`."""
        return balance_braces(text)

"""citeproc-py's ``join`` of rendered pieces, with the running text kept instead of rebuilt.

``citeproc.string.join`` appends a delimiter and each piece through ``+`` on citeproc-py's
string types (``str``, ``String``, ``NoCase``, ``MixedString``), and every seam is checked by
``normalize_seam``, which turns the whole text so far into a ``str`` — four times per piece,
so joining is quadratic in the pieces. :func:`join` performs exactly the same operations in
the same order (the same ``+`` dispatch, the same seam rule, the same ``MixedString``
segments, empty pieces and ``_strip_first_char`` included) but keeps ``str()`` of the running
text as it grows. Anything it does not model (another type, a non-``str`` delimiter) goes to
citeproc-py's own ``join``. ``tests/writers/test_formatted_plans.py`` compares both on every
combination of tricky pieces.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from citeproc import string as cp_string
from citeproc.string import MixedString, NoCase, String

__all__ = ["delimited_join", "join"]

_PUNCTUATION = cp_string.SEAM_PUNCTUATION
_strip_first_char = cp_string._strip_first_char  # citeproc-py's own seam edit
_MODELLED = frozenset((str, String, NoCase, MixedString))


def _seam(left: str, other: Any) -> Any:
    """``normalize_seam(left_object, other)`` given ``str(left_object)``."""
    other_text = str(other)
    if not left or not other_text:
        return other
    last, first = left[-1], other_text[0]
    if (last == " " and first == " ") or (last == first and first in _PUNCTUATION):
        return _strip_first_char(other)
    return other


def _mixed_add(mixed: MixedString, text: str, other: Any) -> tuple[Any, str]:
    """``MixedString.__add__`` (with its empty-operand short-cut) given ``str(mixed)``."""
    if other == "":
        return mixed, text
    other = _seam(text, other)
    if other == "" or other == []:
        return mixed, text
    if isinstance(other, list):
        return MixedString(list.__add__(mixed, other)), text + str(other)
    return MixedString(list.__add__(mixed, MixedString([other]))), text + str(other)


def _add(left: Any, text: str, other: Any) -> tuple[Any, str]:
    """``left + other`` as Python dispatches it on citeproc-py's types, given ``str(left)``."""
    if type(left) is MixedString:
        return _mixed_add(left, text, other)
    if isinstance(left, String):  # String.__add__ (NoCase does not override it)
        if other == "":
            return left, text
        return _mixed_add(MixedString([left]), text, other)
    # a plain str on the left
    if type(other) is str:
        return left + other, text + other
    # String.__radd__ / MixedString.__radd__ (a subclass's or list's reflected add)
    if left == "":
        return other, str(other)
    return _mixed_add(MixedString([left]), text, other)


def join(items: Iterable[Any], delimiter: Any = "") -> Any:
    """``citeproc.string.join(items, delimiter)``, same result, linear in the pieces."""
    pieces = list(items)
    if type(delimiter) is not str or any(type(p) not in _MODELLED for p in pieces):
        return cp_string.join(pieces, delimiter)
    if not pieces:
        return String("")
    output = pieces[0]
    text = str(output)
    for piece in pieces[1:]:
        output, text = _add(output, text, _seam(text, delimiter))
        output, text = _add(output, text, _seam(text, piece))
    return output


def delimited_join(self: Any, strings: Iterable[Any], default_delimiter: str = "") -> Any:
    """``Delimited.join`` (the element's ``delimiter``) through :func:`join`."""
    delimiter = self.get("delimiter", default_delimiter)
    try:
        text = join((s for s in strings if s is not None), delimiter)
    except BaseException:  # citeproc-py: a bare ``except``
        text = String("")
    return text

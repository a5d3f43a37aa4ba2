"""Name shapes whose ``.bib`` spelling is known without encoding or parsing it back.

:mod:`citekit.mapping.bib_values` writes every CSL name and checks the classic spelling by
parsing it back; for the shapes here the result of that is known beforehand, so the name
writers (``format_names``, the ``csl-*`` carrier) take them as shortcuts. Each is tested
against the general path.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "AND_WORD",
    "ASCII_FAMILY",
    "ASCII_GIVEN",
    "PARTICLE",
    "QUOTED_NAME",
    "capitalised_words",
    "plain_ascii_name",
]

AND_WORD = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
"""A word ``and``: BibTeX would split a name list there."""


def capitalised_words(name: dict[str, Any]) -> bool:
    """A name whose classic spelling ``bib_values._verified`` keeps (not ``_is_plain``).

    Either a one-word ASCII ``family`` alone (``Plato``), or a ``family`` of plain words (an
    apostrophe ``’`` may stand inside them: ``O’Connor``) with a plain ``given`` (``Van Der
    Torre, Leendert``) and at most one particle of lower-case ASCII words (``van``,
    ``de la``), where every family word, and every part of a hyphenated one, starts with a
    capital: BibTeX's von part is then the particle, and the comma ends the last name. (A
    dropping particle reads back as a non-dropping one, and no other spelling does better:
    :func:`citekit.mapping.bib_values._verified` keeps this one too.)
    """
    family = name.get("family")
    if not _plain_words(family):
        return False
    assert isinstance(family, str)
    if len(name) == 1:
        if " " in family or not family.isascii():
            # "Van Der Torre" alone would read as given "Van Der"; "Ö" alone is written
            # {\"O}, which BibTeX reads as a given name.
            return False
    else:
        if not _plain_words(name.get("given")):
            return False
        if len(name) == 3:
            particle = name.get("non-dropping-particle") or name.get("dropping-particle")
            if not isinstance(particle, str) or PARTICLE.fullmatch(particle) is None:
                return False
        elif len(name) != 2:
            return False
    return all(word[:1].isupper() for word in family.replace("-", " ").split(" "))


QUOTED_NAME = re.compile(r"[^\W\d_][\w.'\u2019-]*(?: [^\W\d_][\w.'\u2019-]*)*")
"""Words as in ``bib_values._PLAIN_NAME``, and ``’`` inside them (``{\\textquoteright}``)."""
PARTICLE = re.compile(r"(?!(?:and|others)\b)[a-z]+(?: (?!(?:and|others)\b)[a-z]+)*")


_WORD = r"(?!(?i:and)(?: |\Z))[A-Za-z][A-Za-z.]*"
ASCII_FAMILY = re.compile(_WORD)
ASCII_GIVEN = re.compile(rf"{_WORD}(?: {_WORD})*")
"""ASCII letters and dots, no word ``and``: names an encoder with ``keeps_plain_ascii`` writes
as they are, which BibTeX splits at the comma alone (see ``bib_values._is_plain``)."""


def plain_ascii_name(name: dict[str, Any]) -> str | None:
    """``Family, Given`` for a name of just those parts in ASCII letters and dots, else ``None``.

    The family is one word, and neither part has a word ``and``. An encoder with
    ``keeps_plain_ascii`` writes such parts as they are, and BibTeX splits the result at the
    comma alone, so no part needs braces or a check.
    """
    family, given = name.get("family"), name.get("given")
    if (
        len(name) == 2
        and type(family) is str
        and type(given) is str
        and ASCII_FAMILY.fullmatch(family) is not None
        and ASCII_GIVEN.fullmatch(given) is not None
    ):
        return family + ", " + given
    return None


def _plain_words(value: object) -> bool:
    """A name part of plain words, without a bare ``and`` (which BibTeX reads as a split)."""
    return (
        isinstance(value, str)
        and QUOTED_NAME.fullmatch(value) is not None
        and AND_WORD.search(value) is None
    )

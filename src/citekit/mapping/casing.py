r"""BibTeX title case → CSL sentence case (opt-in: reader option ``sentence_case=True``).

CSL recommends storing English titles in sentence case so that styles can apply either case;
BibTeX files hold them in title case with ``{braces}`` protecting words. Example::

    sentence_case('The <span class="nocase">DNA</span> of Escherichia Coli: A Study')
    == 'The <span class="nocase">DNA</span> of escherichia coli: A study'

Words inside ``nocase`` spans are untouched; so are words with a capital after their first
letter (``LaTeX``, ``McDonald``, ``NASA``), the first word, and the first word after ``:``,
``?``, ``!`` or ``.``, and single capital letters but ``A`` (``I``, ``Part V``). Only
capitalised words (``Study``, ``Self-Driving``) are lowered. The reader keeps the title as
written in ``custom["bibtex"]["original-case"]``.
"""

from __future__ import annotations

import re

__all__ = ["JOURNAL_TYPES", "SENTENCE_CASE_VARIABLES", "sentence_case"]

SENTENCE_CASE_VARIABLES: tuple[str, ...] = (
    "title", "title-short", "container-title", "collection-title", "volume-title", "event-title",
)  # fmt: skip
"""CSL variables converted by the ``sentence_case`` reader option."""

JOURNAL_TYPES: frozenset[str] = frozenset(
    {"article-journal", "article-magazine", "article-newspaper", "periodical", "review"}
)
"""Types whose ``container-title`` is a journal's name (a proper name: never converted)."""

_SPAN = re.compile(r'(<span class="nocase">.*?</span>|<[^>]+>)', re.DOTALL)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CAPITALISED = re.compile(r"^[^\W\d_][^\W\d_A-Z]*(?:-[^\W\d_][^\W\d_A-Z]*)*$")


def _lower(word: str) -> str:
    if not word[:1].isupper() or _CAPITALISED.match(word) is None:
        return word
    if len(word) == 1 and word != "A":  # "I", roman numerals ("Part V")
        return word
    return word.lower()


def sentence_case(text: str) -> str:
    """Convert title-case ``text`` (citeproc-js markup allowed) to sentence case."""
    out: list[str] = []
    keep_next = True
    for part in _SPAN.split(text):
        if not part:
            continue
        if part.startswith("<"):
            out.append(part)
            if part.startswith('<span class="nocase">'):
                keep_next = False
            continue
        pieces: list[str] = []
        position = 0
        for match in _WORD.finditer(part):
            between = part[position : match.start()]
            pieces.append(between)
            if re.search(r"[:?!.]\s*$", between):
                keep_next = True
            word = match.group()
            if keep_next and "-" in word:  # Higher-Dimensional → Higher-dimensional
                head, _, rest = word.partition("-")
                word = f"{head}-{'-'.join(_lower(p) for p in rest.split('-'))}"
                pieces.append(word)
            else:
                pieces.append(word if keep_next else _lower(word))
            keep_next = False
            position = match.end()
        tail = part[position:]
        pieces.append(tail)
        if re.search(r"[:?!.]\s*$", tail):
            keep_next = True
        out.append("".join(pieces))
    return "".join(out)

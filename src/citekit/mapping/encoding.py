"""The LaTeX-encoder interface the CSL → bib mapping needs (implemented in the syntax layer).

``mapping`` and ``syntax`` are independent layers, so the writer hands the mapping an object
with these methods, bound to the profile's ASCII/UTF-8 choice; see
:class:`citekit.syntax.latex_encoder.Encoder`.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["LatexEncoder"]


class LatexEncoder(Protocol):
    """Encodes CSL strings as ``.bib`` field values (without the outer braces)."""

    def text(
        self,
        text: str,
        *,
        markup: bool = True,
        protect_case: bool | str = False,
        field: str | None = None,
    ) -> str:
        """A text value; ``markup`` translates ``<i>``, ``<span class="nocase">``….

        ``protect_case`` braces words with inner capitals (``{LaTeX}``) for BibTeX styles
        (``"logos"``: only TeX-family names). ``field`` is the ``.bib`` field written, so
        the value can be written in a form the reader decodes back to ``text``.
        """
        ...

    def pages(self, text: str) -> str:
        """A page range (``1-10`` → ``1--10``)."""
        ...

    def verbatim(self, text: str) -> str:
        """A url/doi/eprint/file value (never escaped)."""
        ...

    def balance(self, text: str) -> str:
        """Raw LaTeX with unbalanced braces made harmless."""
        ...

    def literal(self) -> LatexEncoder:
        """The same encoder for CSL-origin text, whose braces and ``--`` are characters."""
        ...

"""Regression tests for reader bugs reported after integration (TeX logos, publisher, names)."""

from __future__ import annotations

import pytest

from citekit.errors import Diagnostics
from citekit.readers.bibtex import read_text


def _record(text: str, dialect: str) -> dict[str, object]:
    library = read_text(text, source="t.bib", diagnostics=Diagnostics(), dialect=dialect)
    return library.records[0]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (r"The {\TeX}book", 'The <span class="nocase">TeX</span>book'),
        (r"The {\LaTeX} Companion", 'The <span class="nocase">LaTeX</span> Companion'),
        (
            r"{\LaTeX{}} or {\TeX}",
            '<span class="nocase">LaTeX</span> or <span class="nocase">TeX</span>',
        ),
        # Not logos: a special character and a declaration stay unprotected, as before.
        (r"{\'E}cole {\em in vivo}", "École <i>in vivo</i>"),
    ],
)
def test_tex_logo_in_braces_is_protected(title: str, expected: str) -> None:
    record = _record(f"@book{{k, title = {{{title}}}}}", "bibtex")
    assert record["title"] == expected

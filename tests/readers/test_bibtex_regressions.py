"""Regression tests for reader bugs reported after integration (publisher, names, TeX logos)."""

from __future__ import annotations

import pytest

from citekit.errors import Diagnostics
from citekit.mapping.names import NameParser
from citekit.readers.bibtex import read_text


def _record(text: str, dialect: str) -> dict[str, object]:
    library = read_text(text, source="t.bib", diagnostics=Diagnostics(), dialect=dialect)
    return library.records[0]


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_braced_and_in_publisher_is_not_a_separator(dialect: str) -> None:
    text = (
        "@book{siam, title = {T}, year = 2000,\n"
        "  publisher = {Society for Industrial {and} Applied Mathematics}}"
    )
    record = _record(text, dialect)
    assert record["publisher"] == "Society for Industrial and Applied Mathematics"


def test_bare_and_in_biblatex_publisher_is_a_separator() -> None:
    text = "@book{b, title = {T}, publisher = {Routledge {and} Kegan Paul and Smithers}}"
    assert _record(text, "biblatex")["publisher"] == "Routledge and Kegan Paul; Smithers"
    # BibTeX's publisher is plain text: nothing is split.
    text_bibtex = _record(text, "bibtex")["publisher"]
    assert text_bibtex == "Routledge and Kegan Paul and Smithers"


# Measured with BibTeX 0.99d and ../shared/corpora/names-bibtex-oracle/names.bst
# ("{ff}|{vv}|{ll}|{jj}"). A brace group starting with a backslash is a special character
# whose case is that of its first letter, so {\'E}ric is a first name; in \'{E}ric the
# backslash is outside braces, {E} is skipped and "ric" is lower case, so BibTeX itself reads
# it as a von part (papers.bib writes the names this way; citekit follows BibTeX).
@pytest.mark.parametrize(
    ("raw", "first", "von", "last"),
    [
        (r"{\'E}ric Sopena", r"{\'E}ric", "", "Sopena"),
        (r"{\'E}va Tardos", r"{\'E}va", "", "Tardos"),
        (r"{\'{E}}va Tardos", r"{\'{E}}va", "", "Tardos"),
        (r"\'{E}ric Sopena", "", r"\'{E}ric", "Sopena"),
        (r"\'{E}va Tardos", "", r"\'{E}va", "Tardos"),
    ],
)
def test_accented_first_names_split_as_bibtex(raw: str, first: str, von: str, last: str) -> None:
    name, _ = NameParser().parse_one(raw)
    got = (name.get("given", ""), name.get("non-dropping-particle", ""), name.get("family", ""))
    assert got == (first, von, last)


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_accented_first_names_are_given_names(dialect: str) -> None:
    text = r"@article{a, title = {T}, author = {{\'E}ric Sopena and {\'E}va Tardos}}"
    assert _record(text, dialect)["author"] == [
        {"family": "Sopena", "given": "Éric"},
        {"family": "Tardos", "given": "Éva"},
    ]


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

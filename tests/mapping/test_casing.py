"""Opt-in sentence casing of BibTeX title-case titles."""

from __future__ import annotations

import pytest

from citekit.errors import Diagnostics
from citekit.mapping.casing import sentence_case
from citekit.readers.bibtex import read_text


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Deep Learning for Graphs", "Deep learning for graphs"),
        ("The Art of Computer Programming: Fundamental Algorithms",
         "The art of computer programming: Fundamental algorithms"),
        ('The <span class="nocase">DNA</span> of Cells',
         'The <span class="nocase">DNA</span> of cells'),
        ("NASA and LaTeX and McDonald Stay", "NASA and LaTeX and McDonald stay"),
        ("Higher-Dimensional Algebra V", "Higher-dimensional algebra V"),
        ("Why? Because It Works", "Why? Because it works"),
        ("<i>In Vivo</i> Studies", "<i>In vivo</i> studies"),
        ("Über Die Natur", "Über die natur"),
        ("What I Learned in Part V of A Book", "What I learned in part V of a book"),
    ],
)  # fmt: skip
def test_sentence_case(title: str, expected: str) -> None:
    assert sentence_case(title) == expected


def test_reader_option_keeps_the_original_and_skips_journals_and_other_languages() -> None:
    text = (
        "@article{a, title={Deep Learning for {DNA}}, journal={Journal of Things}}\n"
        "@book{b, title={Die Kunst Der Fuge}, langid={german}}\n"
        "@incollection{c, title={A Chapter}, booktitle={The Big Book}}\n"
    )
    plain = read_text(text, source="t.bib", diagnostics=Diagnostics())
    assert plain["a"]["title"] == 'Deep Learning for <span class="nocase">DNA</span>'
    library = read_text(text, source="t.bib", diagnostics=Diagnostics(), sentence_case=True)
    a, b, c = library.records
    assert a["title"] == 'Deep learning for <span class="nocase">DNA</span>'
    assert a["container-title"] == "Journal of Things"
    assert a["custom"]["bibtex"]["original-case"] == {
        "title": 'Deep Learning for <span class="nocase">DNA</span>'
    }
    assert b["title"] == "Die Kunst Der Fuge"
    assert (c["title"], c["container-title"]) == ("A chapter", "The big book")

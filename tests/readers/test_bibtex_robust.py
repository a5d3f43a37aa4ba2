"""The reader never raises on damaged input: every case gives records and/or diagnostics."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.errors import Diagnostics
from citekit.readers.bibtex import read_text

BROKEN = [
    "", "garbage", "@", "@article{", "@article{k,", "@string{", '@string{x = "abc', "@preamble{",
    "@comment", '@article{k, title = "a {" }', "@article{k, title = {a}}}}}",
    "\x00@misc{k, title={\x00}}", "@misc{k, author = { and  and }}", "@misc{k, author = {,,,}}",
    "@misc{k, year = {2020-13-45}, month={Sep--Oct}}", "@misc{k, date = {2020-13-45}}",
    "@misc{, title={nokey}}", "@misc{k, title = 12abc}", "@misc{k, title={\\begin{x}}}",
    "@misc(k, title={paren})", "@misc{k, title={\\url{}}}", "@misc{k, crossref={k}}",
]  # fmt: skip


@pytest.mark.parametrize("text", BROKEN)
def test_broken_snippets_never_raise(text: str) -> None:
    read_text(text, source="t.bib", diagnostics=Diagnostics())


@pytest.mark.parametrize("text", ["@article{", "@string{", "@preamble{"])
def test_headless_blocks_are_errors_not_records(text: str) -> None:
    sink = Diagnostics()
    assert len(read_text(text, source="t.bib", diagnostics=sink)) == 0
    assert [d.code for d in sink] == ["bibtex.unclosed-entry"]


_PIECES = st.sampled_from(
    ["@article{", "@string{", "@misc(", "k,", "key", "title", "author", " = ", "=", "{", "}",
     '"', "#", ",", "\n", " and ", "others", "\\'e", "\\emph{", "$", "%", "~", "--", "jan",
     "crossref", "xdata", "2020", "family=", "@comment{", ")", "\\", "{\\\"O}"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=5), max_size=40).map("".join))
def test_arbitrary_bib_like_text_never_raises(text: str) -> None:
    sink = Diagnostics()
    library = read_text(text, source="t.bib", diagnostics=sink)
    assert len(library.records) == len(library.locations)

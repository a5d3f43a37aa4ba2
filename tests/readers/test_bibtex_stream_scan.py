"""The streaming reader's quick crossref/xdata scan and its macro snapshots."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.readers._bibtex_shared import MacroTable
from citekit.readers._bibtex_stream import _REF, _overlaps, _ref_matches

PIECES = ["crossref", "CrossRef", "XDATA", "xdata", "=", "{", "}", '"', ",", " ", "\n", "a",
          "_x", "İ", "ſ", "#", "@misc{k,"]  # fmt: skip


def _spans(matches: list) -> list[tuple[int, int, tuple[str | None, ...]]]:
    return [(m.start(), m.end(), m.groups()) for m in matches]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(PIECES), max_size=25).map("".join))
def test_ref_matches_equal_the_pattern_alone(text: str) -> None:
    assert _spans(_ref_matches(text)) == _spans(list(_REF.finditer(text)))


def test_ref_matches_examples() -> None:
    text = "@book{a, Crossref = {p1}}\n@book{b, xdata = {x1, x2}, acrossref = {no}}\n"
    assert [m.group(1) for m in _ref_matches(text)] == ["p1", "x1, x2"]
    assert _ref_matches("@book{a, title = {Cross-references}}") == []


def test_overlaps() -> None:
    starts, ends = [5, 20], [10, 40]
    assert _overlaps(starts, ends, 0, 6)
    assert not _overlaps(starts, ends, 10, 20)
    assert _overlaps(starts, ends, 30, 50)  # a match that began in an earlier block
    assert not _overlaps(starts, ends, 40, 60)


def test_macro_table_copy_is_independent() -> None:
    table = MacroTable({"JACM": "J. ACM"})
    table["jacm"] = "Journal of the ACM"
    copy = table.copy()
    assert copy == table
    assert copy.first == {"jacm": "J. ACM"}
    assert copy.changed("jacm")
    copy["new"] = "N"
    assert "new" not in table
    assert "new" not in table.first
    assert isinstance(copy, MacroTable)


LINE_PIECES = ["@", "@string", "@STRING", "@book", "@ book", "{", "(", "k1", "K2", ",", " ",
               "\t", "\n", "\n\n", "=", '"', "crossref", "xdata", "é", "İ", "ſ", "x"]  # fmt: skip
line_texts = st.lists(st.sampled_from(LINE_PIECES), max_size=30).map("".join)


@settings(max_examples=500)
@given(line_texts)
def test_line_finders_equal_the_multiline_patterns(text: str) -> None:
    """The newline-led searches find exactly what the ``^``-anchored patterns find."""
    from citekit.readers._bibtex_stream import _HEAD_LINE, _block_starts, _head_keys
    from citekit.syntax.segments import BLOCK_LINE

    assert _head_keys(text) == _HEAD_LINE.findall(text)
    assert _block_starts(text) == [m.start() for m in BLOCK_LINE.finditer(text)]
    assert _spans(_ref_matches(text)) == _spans(list(_REF.finditer(text)))


@settings(max_examples=300)
@given(line_texts)
def test_string_check_equals_the_multiline_search(text: str) -> None:
    """A segment is sent as one that changes the macro table iff a line starts @string."""
    from citekit.readers._bibtex_parallel import _STRING_HINT, _has_strings

    assert _has_strings(text) == (_STRING_HINT.search(text) is not None)
    assert _has_strings(text.encode()) == _has_strings(text)


@pytest.mark.parametrize("head", ["@string{", "@STRING(", " \t@ ſtrİng {", "@strıng{", "@strin{"])
def test_string_check_of_bytes_knows_the_letters_that_fold(head: str) -> None:
    from citekit.readers._bibtex_parallel import _has_strings

    for text in (head + "a = {b}}", "x\n" + head + "a = {b}}"):
        assert _has_strings(text.encode()) == _has_strings(text)


def test_ref_matches_in_text_that_is_not_ascii() -> None:
    text = "@book{é, crossref = {p1}}\n@book{ü€, title = {x}, XData = {x1}}\n"
    assert _spans(_ref_matches(text)) == _spans(list(_REF.finditer(text)))
    assert [m.group(1) for m in _ref_matches(text)] == ["p1", "x1"]

"""Segments of a .bib stream: joined they are the text; cuts fall only before block lines."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.syntax.segments import is_plain_utf8, iter_segments

BIB = (
    '@string{acm = "ACM"}\n% comment {\n@article{a, title = {x\n@misc{y z}, year = 2000}\n'
    + "".join(f"@book{{b{i}, title = {{T{i} ü}}, publisher = acm}}\n\n" for i in range(300))
    + '  @inproceedings( c, title = "q" )\ntrailing text\n'
)


def test_segments_join_to_the_text_and_count_lines() -> None:
    data = ("\ufeff" + BIB).encode()
    segments = list(iter_segments(io.BytesIO(data), chunk_size=97))
    assert len(segments) > 10
    assert "".join(text for text, _ in segments) == BIB
    line = 0
    for text, first_line in segments:
        assert first_line == line
        line += text.count("\n")
    for text, _ in segments[1:]:
        assert text.lstrip(" \t").startswith("@")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet='@{}()\n ab=,"é%', max_size=400), st.integers(1, 50))
def test_segments_join_for_any_text(text: str, chunk: int) -> None:
    joined = "".join(t for t, _ in iter_segments(io.BytesIO(text.encode()), chunk_size=chunk))
    assert joined == text


def test_is_plain_utf8() -> None:
    assert is_plain_utf8(io.BytesIO(BIB.encode()))
    assert not is_plain_utf8(io.BytesIO("é".encode("latin-1") + b"abc"))
    assert not is_plain_utf8(io.BytesIO(b"ab\x00cd"))
    assert not is_plain_utf8(io.BytesIO("@book{x}".encode("utf-16")))


def _last_block_line_forward(text: str, start: int) -> int:
    """The plain definition: the last block-line match found scanning forward."""
    from citekit.syntax.segments import BLOCK_LINE

    best = 0
    for match in BLOCK_LINE.finditer(text, start):
        best = match.start()
    return best


_BITS = ["@", "\n", " ", "\t", "a", "{", "(", "x@", "@b{", "\n@c{", "\n @ d(", "é"]


@settings(max_examples=400)
@given(
    st.lists(st.sampled_from(_BITS), max_size=30).map("".join),
    st.integers(min_value=1, max_value=40),
)
def test_backward_search_finds_the_last_block_line(text: str, start: int) -> None:
    import re

    from citekit.syntax.segments import _BLOCK_LINE, _BLOCK_LINE_BYTES, _last_block_line

    assert _last_block_line(text, start, "@", "\n", _BLOCK_LINE) == _last_block_line_forward(
        text, start
    )
    # The same search over UTF-8 bytes (type names of ASCII word characters only).
    data = text.encode()
    forward = 0
    for match in re.compile(rb"(?m)^[ \t]*@\w*[ \t]*[{(]").finditer(data, start):
        forward = match.start()
    assert _last_block_line(data, start, b"@", b"\n", _BLOCK_LINE_BYTES) == forward


def test_encoded_segments_join_to_the_bytes_and_cut_at_block_lines() -> None:
    from citekit.syntax.segments import BLOCK_LINE, iter_encoded_segments

    data = ("\ufeff" + BIB + "@bоok{cyrillic, title = {x}}\n" * 40).encode()
    segments = list(iter_encoded_segments(io.BytesIO(data), chunk_size=97))
    assert len(segments) > 10
    assert b"".join(piece for piece, _ in segments).decode() == data.decode()[1:]
    line = 0
    for piece, first_line in segments:
        assert first_line == line
        line += piece.count(b"\n")
        text = piece.decode()  # each piece decodes on its own
        assert first_line == 0 or BLOCK_LINE.match(text) is not None
        assert "bоok" not in text[:6]  # never cut before a type name of other letters


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet='@{}()\n ab=,"é%𝔸ſ', max_size=400), st.integers(1, 50))
def test_encoded_segments_join_for_any_text(text: str, chunk: int) -> None:
    from citekit.syntax.segments import iter_encoded_segments

    pieces = list(iter_encoded_segments(io.BytesIO(text.encode()), chunk_size=chunk))
    assert b"".join(piece for piece, _ in pieces) == text.encode()
    for piece, _ in pieces:
        piece.decode()

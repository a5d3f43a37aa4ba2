"""Streaming conversion holds no records: its peak memory does not grow with the input.

What a stream must keep per entry is only the id (duplicate-id warnings) and its location,
about 250 bytes; a converted record with its ``custom`` carrier takes several kilobytes.
Growing the input eightfold must therefore leave the traced peak almost where it was.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from citekit.api import convert_stream


def _bib(count: int) -> str:
    parts = ['@string{jn = "Journal of Things"}\n']
    for index in range(count):
        crossref = "  crossref = {proc},\n" if index % 500 == 1 else ""
        parts.append(
            f'@article{{key{index},\n  author = {{M{{\\"u}}ller, J. and Name{index % 7}, A.}},\n'
            f"  title = {{Title {index} on {{DNA}}}},\n  journal = jn,\n{crossref}"
            f"  year = {1990 + index % 30},\n  note = {{{'A note. ' * 20}}}\n}}\n\n"
        )
    parts.append("@proceedings{proc, title = {Proceedings}, address = {City}}\n")
    return "".join(parts)


def _peak(path: Path, out: Path, to_format: str) -> int:
    tracemalloc.start()
    try:
        convert_stream(path, out, to_format=to_format, jobs=1)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("to_format", ["csl-json"])
def test_peak_memory_does_not_grow_with_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to_format: str
) -> None:
    import citekit.syntax.segments as segments

    monkeypatch.setattr(segments, "_CHUNK", 1 << 15)  # segments of ~32 KB
    small, large = tmp_path / "small.bib", tmp_path / "large.bib"
    small.write_text(_bib(1_000), "utf-8")
    large.write_text(_bib(8_000), "utf-8")
    out = tmp_path / "out"
    _peak(small, out, to_format)  # warm the caches and imports once
    grown = _peak(large, out, to_format) - _peak(small, out, to_format)
    # 7,000 more entries: ~1.8 MB of ids and locations; holding their records would be
    # over 20 MB (each record is several KB).
    assert grown < 4_000_000, f"peak grew by {grown / 1e6:.1f} MB for 7,000 more entries"


def _csl_json(count: int) -> str:
    import json

    items = [
        {
            "id": f"key{index}",
            "type": "article-journal",
            "author": [{"family": "Müller", "given": "J."}, {"family": f"Name{index % 7}"}],
            "title": f"Title {index} on DNA",
            "container-title": "Journal of Things",
            "issued": {"date-parts": [[1990 + index % 30]]},
            "note": "A note. " * 20,
        }
        for index in range(count)
    ]
    return json.dumps(items, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("jobs", [1, 2])
def test_csl_json_to_bibtex_memory_is_flat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    """The fused CSL-JSON → BibTeX path (citekit._stream_tobib): the parent holds no records.

    Per entry it keeps the id, its case-folded form and its line (duplicate-id warnings),
    ~300 bytes; the workers' memory is their own (one slice of 500 items at a time). With
    ``jobs=1`` this process converts the slices itself, one at a time.
    """
    import citekit._stream_tobib as tobib

    monkeypatch.setattr(tobib, "_BLOCK", 1 << 16)  # reads of 64 KB (1 MB by default)
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    small.write_text(_csl_json(1_000), "utf-8")
    large.write_text(_csl_json(6_000), "utf-8")
    assert tobib.plan(str(large), from_format=None, options={}, jobs=jobs) is not None
    out = tmp_path / "out.bib"

    def peak(path: Path) -> int:
        tracemalloc.start()
        try:
            convert_stream(path, out, to_format="bibtex", write_options={"jobs": jobs})
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    peak(small)
    grown = peak(large) - peak(small)
    # 5,000 more entries: ~1.5 MB of ids; their records would be over 15 MB.
    assert grown < 2_500_000, f"peak grew by {grown / 1e6:.1f} MB for 5,000 more entries"

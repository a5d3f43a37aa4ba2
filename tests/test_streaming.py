"""The streaming API gives exactly the Library path's output, with records streamed through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import citekit
from citekit.api import convert_stream, iter_read, write_stream
from citekit.errors import Diagnostics, StrictModeError

RECORDS = [
    {
        "id": "Doe2020",
        "type": "book",
        "title": "Ünïcode & <b>x</b>",
        "issued": {"date-parts": [[2020]]},
        "author": [{"family": "Doe", "given": "Jane"}, {"literal": "World Health Organization"}],
    },
    {
        "id": "roe",
        "type": "article-journal",
        "title": "Two\nlines",
        "container-title": "J",
        "page": "1-10",
        "custom": {"z": 1, "a": [1, 2]},
    },
    {"type": "chapter", "title": "No id here", "author": [{"family": "Doe", "given": "J."}]},
    {"id": "ROE", "type": "report", "title": "Case-only clash"},
    {"type": "chapter", "title": "No id either", "author": [{"family": "Doe", "given": "J."}]},
]


def many(n: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"k{i}",
            "type": "article-journal",
            "title": f"T {i} 50%",
            "author": [{"family": f"Fam{i % 7}", "given": "Ann"}],
        }
        for i in range(n)
    ]


@pytest.fixture
def json_input(tmp_path: Path) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(RECORDS), "utf-8")
    return path


@pytest.mark.parametrize("to", ["csl-json", "bibtex", "biblatex"])
def test_convert_stream_equals_convert(json_input: Path, tmp_path: Path, to: str) -> None:
    library, expected = citekit.convert(json_input, tmp_path / "a.out", to_format=to)
    result = convert_stream(json_input, tmp_path / "b.out", to_format=to)
    assert (tmp_path / "b.out").read_text("utf-8") == expected
    assert result.count == len(library.records)
    # api.read_many reports each duplicate-id diagnostic twice (merged.check_ids appends to
    # the list it was also given); the streaming path reports it once.
    assert result.diagnostics == list(dict.fromkeys(library.diagnostics))


@pytest.mark.parametrize("to", ["csl-json", "bibtex"])
@pytest.mark.parametrize("n", [0, 1, 499, 500, 501, 1203])
def test_write_stream_batches_equal_write(tmp_path: Path, to: str, n: int) -> None:
    records = many(n)
    if n > 600:
        records[600] = {"type": "book", "title": "anonymous"}  # id-less after batches
        records[601] = {"id": "Fam0Ann", "type": "book", "title": "taken later"}
    library = citekit.Library()
    for record in records:
        library.add(record)
    expected = citekit.write_string(library, format=to)
    count = write_stream(iter(records), tmp_path / "out", format=to)
    assert count == n
    assert (tmp_path / "out").read_text("utf-8") == expected


def test_iter_read_is_lazy_and_reports_duplicates(json_input: Path) -> None:
    diagnostics = Diagnostics()
    stream = iter_read(json_input, diagnostics=diagnostics)
    first = next(stream)
    assert first["id"] == "Doe2020"
    rest = list(stream)
    assert [r["id"] for r in [first, *rest]] == citekit.read(json_input).ids
    assert "library.id-case-collision" in [d.code for d in diagnostics]


def test_strict_error_leaves_destination_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "a", "type": "book"}, {"id": "b", "title": }]', "utf-8")
    out = tmp_path / "out.json"
    out.write_text("old", "utf-8")
    with pytest.raises(StrictModeError):
        convert_stream(bad, out, to_format="csl-json", strict=True)
    assert out.read_text("utf-8") == "old"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


BIB = r"""@string{acm = "ACM"}
@inproceedings{child, author = {M{\"u}ller, J{\"o}rg and van der Berg, Jan},
  title = {A {DNA} Study}, crossref = {Proc2020}, pages = {1--10}}
@misc{plain, title = {Plain -- \emph{entry}}, publisher = acm # " Press", year = 2019}
@inproceedings{dup, title = {One}}
@inproceedings{dup, title = {Two}, crossref = {proc2020}}
@proceedings{Proc2020, title = {Proceedings of {X}}, year = 2020, publisher = acm}
@article{broken, title = {unclosed
@book{after, title = {After}, xdata = {missing}}
@string{acm = "Other"}
@misc{late, publisher = acm}
"""


@pytest.mark.parametrize("chunk", [16, 64, 1 << 18])
def test_bib_stream_equals_library_path(tmp_path: Path, chunk: int, monkeypatch) -> None:
    import citekit.syntax.segments as segments

    monkeypatch.setitem(segments.iter_segments.__kwdefaults__, "chunk_size", chunk)
    monkeypatch.setitem(segments.iter_encoded_segments.__kwdefaults__, "chunk_size", chunk)
    path = tmp_path / "refs.bib"
    path.write_text(BIB, "utf-8")
    library = citekit.read(path)
    diagnostics = Diagnostics()
    streamed = list(citekit.api.iter_read_located(path, diagnostics=diagnostics))
    assert [r for r, _ in streamed] == library.records
    assert [w for _, w in streamed] == library.locations
    assert sorted(map(str, diagnostics)) == sorted(map(str, library.diagnostics))
    child = library.records[0]
    assert child["container-title"].startswith("Proceedings of")  # inherited from a later parent
    _, text = citekit.convert(path, tmp_path / "a.json", to_format="csl-json")
    convert_stream(path, tmp_path / "b.json", to_format="csl-json")
    assert (tmp_path / "b.json").read_text("utf-8") == text

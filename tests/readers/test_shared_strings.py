"""@string macros and crossref shared across the .bib files of one read, as BibTeX does.

Expected values were checked against real BibTeX 0.99d and biber 2.18 with the files of
``tests/fixtures/shared_strings`` (``\\bibliography{abbrev,refs,procs}``): macros are
visible in the files after the one that defines them, a later ``@string`` redefinition wins
for the entries after it (in the same file too), and crossref parents are found in any file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import ROOT

import citekit
from citekit.api import convert_stream, iter_read, iter_read_located
from citekit.errors import Diagnostics

FIXTURES = ROOT / "tests" / "fixtures" / "shared_strings"
JACM = 'Journal of the <span class="nocase">ACM</span>'


@pytest.fixture
def files(tmp_path: Path) -> list[Path]:
    for name in ("abbrev.bib", "refs.bib", "procs.bib"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return [tmp_path / "abbrev.bib", tmp_path / "refs.bib", tmp_path / "procs.bib"]


def _by_id(records: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(record["id"]): record for record in records}


def test_read_many_shares_macros_and_crossref(files: list[Path]) -> None:
    library = citekit.read_many(files)
    records = _by_id(library.records)
    assert records["knuth1974"]["container-title"] == JACM
    assert records["early2001"]["publisher"] == "First Publisher"
    assert records["late2005"]["publisher"] == "Second Publisher Press"  # redefined before it
    assert records["procs2010"]["publisher"] == "Second Publisher"  # next file: latest value
    assert records["procs2010"]["collection-title"] == "Lecture Notes in Computer Science"
    assert records["child2010"]["container-title"] == "Proceedings of the Workshop"
    assert records["child2010"]["custom"]["bibtex"]["inherited"]  # parent in another file
    assert [d for d in library.diagnostics if d.severity.value != "info"] == []
    assert [loc.source if loc else None for loc in library.locations] == [str(files[1])] * 5 + [
        str(files[2])
    ]


def test_each_file_alone_reports_undefined_macros_in_its_own_file(files: list[Path]) -> None:
    library = citekit.read(files[1])
    undefined = [d for d in library.diagnostics if d.code == "bibtex.undefined-macro"]
    assert {(d.key, d.field) for d in undefined} == {
        ("knuth1974", "journal"),
        ("early2001", "publisher"),
        ("tcs2012", "journal"),
    }
    assert all(d.source == str(files[1]) and d.line for d in undefined)


def test_diagnostics_keep_their_own_file_location(tmp_path: Path) -> None:
    (tmp_path / "a.bib").write_text('@string{j = "J"}\n@string{bad = j # nope}\n')
    (tmp_path / "b.bib").write_text("\n\n@article{x, journal = j # missing, title = {T}}\n")
    library = citekit.read_many([tmp_path / "a.bib", tmp_path / "b.bib"])
    found = {(d.source, d.line, d.key) for d in library.diagnostics}
    assert (str(tmp_path / "a.bib"), 2, "bad") in found
    assert (str(tmp_path / "b.bib"), 3, "x") in found
    assert library.records[0]["container-title"] == "J"


def test_macro_defined_only_after_use_stays_undefined(tmp_path: Path) -> None:
    # BibTeX reads in order: refs.bib before abbrev.bib cannot see its macros.
    (tmp_path / "a.bib").write_text('@string{j = "J"}\n')
    (tmp_path / "b.bib").write_text("@article{x, journal = j}\n")
    library = citekit.read_many([tmp_path / "b.bib", tmp_path / "a.bib"])
    assert [d.code for d in library.diagnostics] == ["bibtex.undefined-macro"]
    assert "container-title" not in library.records[0]


def test_redefinition_in_one_file_wins_for_later_entries() -> None:
    text = '@string{p = "A"}\n@misc{x, publisher = p}\n@string{p = "B"}\n@misc{y, publisher = p}\n'
    library = citekit.read_string(text, format="bibtex")
    assert [r["publisher"] for r in library.records] == ["A", "B"]


def test_read_with_strings_option(files: list[Path]) -> None:
    library = citekit.read(files[1], strings=[files[0]])
    assert not [d for d in library.diagnostics if d.code == "bibtex.undefined-macro"]
    assert _by_id(library.records)["tcs2012"]["container-title"] == "Theoretical Computer Science"
    assert "jacm" in library.extras.strings  # so --keep-macros output can define it


def test_keep_macros_writes_each_string_once_and_values_where_redefined(
    files: list[Path],
) -> None:
    library = citekit.read_many(files)
    text = citekit.write_string(library, format="bibtex", keep_macros=True)
    assert text.count("@string{pub =") == 1
    assert '@string{pub = "First Publisher"}' in text
    assert text.index("@string") < text.index("@article")
    assert "journal = jacm" in text
    assert "publisher = pub\n" in text  # early2001: read with the first value
    assert "publisher = {Second Publisher Press}" in text  # read after the redefinition
    again = citekit.read_string(text, format="bibtex")
    assert [d for d in again.diagnostics if d.severity.value != "info"] == []
    for old, new in zip(library.records, again.records, strict=True):
        for variable in ("publisher", "container-title", "collection-title"):
            assert old.get(variable) == new.get(variable), (old["id"], variable)


@pytest.mark.parametrize("segment", [None, 64])
def test_streaming_equals_read_many(
    files: list[Path], segment: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if segment is not None:  # tiny segments: every block its own piece
        import citekit.syntax.segments as segments

        monkeypatch.setattr(segments, "_CHUNK", segment)
    library = citekit.read_many(files)
    diagnostics = Diagnostics()
    streamed = list(iter_read_located(files, diagnostics=diagnostics))
    assert [record for record, _ in streamed] == library.records
    assert [where for _, where in streamed] == library.locations
    assert list(iter_read(files)) == library.records
    assert diagnostics.items == library.diagnostics


def test_convert_stream_matches_convert(files: list[Path], tmp_path: Path) -> None:
    _, expected = citekit.convert(files, to_format="csl-json")
    result = convert_stream(files, tmp_path / "out.json")
    assert (tmp_path / "out.json").read_text("utf-8") == expected
    assert result.count == 6
    assert not [d for d in result.diagnostics if d.code == "bibtex.undefined-macro"]


def test_mixed_formats_keep_input_order(files: list[Path], tmp_path: Path) -> None:
    json_path = tmp_path / "extra.json"
    json_path.write_text('[{"id": "j1", "type": "book", "title": "J"}]')
    library = citekit.read_many([files[0], json_path, files[1]])
    assert library.ids[0] == "j1"
    assert library.ids[1:] == ["knuth1974", "early2001", "late2005", "child2010", "tcs2012"]
    records = _by_id(library.records)
    assert records["knuth1974"]["container-title"] == JACM
    streamed = [r["id"] for r in iter_read([files[0], json_path, files[1]])]
    assert streamed == library.ids


def test_keep_macros_redefinition_in_other_case_round_trips() -> None:
    text = (
        '@string{Pub = "A"}\n@misc{x, publisher = pub}\n'
        '@string{pub = "B"}\n@misc{y, publisher = PUB}\n'
    )
    library = citekit.read_string(text, format="bibtex")
    assert library.extras.strings == {"Pub": '"A"'}
    out = citekit.write_string(library, format="bibtex", keep_macros=True)
    again = citekit.read_string(out, format="bibtex")
    assert [r["publisher"] for r in again.records] == ["A", "B"]


def test_iter_read_with_strings(files: list[Path]) -> None:
    expected = citekit.read(files[1], strings=[files[0]])
    diagnostics = Diagnostics()
    assert list(iter_read(files[1], strings=[files[0]], diagnostics=diagnostics)) == (
        expected.records
    )
    assert diagnostics.items == expected.diagnostics

from __future__ import annotations

from pathlib import Path

import pytest

from citekit.errors import Diagnostics
from citekit.syntax.aux import AuxCitation, parse_aux_text, read_aux


@pytest.fixture
def aux_dir(fixtures_dir: Path) -> Path:
    return fixtures_dir / "aux"


def test_bibtex_aux_with_nested_input(aux_dir: Path):
    sink = Diagnostics()
    data = read_aux(aux_dir / "paper.aux", diagnostics=sink)
    main, nested = str(aux_dir / "paper.aux"), str(aux_dir / "chapters" / "one.aux")
    assert data.citations == [
        AuxCitation("vaswani2017", main, 2),
        AuxCitation("lecun2015", main, 3),
        AuxCitation("vaswani2017", main, 3),
        AuxCitation("child2020", nested, 2),
        AuxCitation("ghost", nested, 3),
        AuxCitation("ghost", main, 8),
    ]
    assert data.keys == ["vaswani2017", "lecun2015", "child2020", "ghost"]
    assert data.bibdata == [aux_dir / "library.bib"]
    assert data.bibstyle == "plain"
    assert data.files == [main, nested]
    assert not data.cite_all
    assert sink.items == []


def test_nocite_star(aux_dir: Path):
    data = read_aux(aux_dir / "nocite.aux", diagnostics=Diagnostics())
    assert data.cite_all
    assert data.keys == ["lecun2015"]


def test_input_cycle_and_missing_input_are_diagnosed(aux_dir: Path):
    sink = Diagnostics()
    data = read_aux(aux_dir / "cycle.aux", diagnostics=sink)
    assert data.keys == ["lecun2015"]
    codes = [(d.code, d.line) for d in sink]
    assert codes == [("aux.input-cycle", 3), ("aux.missing-input", 4)]


def test_biblatex_aux_reads_both_cite_forms_and_the_bcf_datasource(aux_dir: Path):
    sink = Diagnostics()
    data = read_aux(aux_dir / "biber.aux", diagnostics=sink)
    assert [(c.key, c.line) for c in data.citations] == [
        ("vaswani2017", 3),
        ("child2020", 5),
        ("Lecun2015", 6),
    ]
    assert data.bibdata == [aux_dir / "library.json"]
    assert data.files[-1].endswith("biber.bcf")


def test_bcf_citekeys_with_lines(aux_dir: Path):
    data = read_aux(aux_dir / "biber.bcf", diagnostics=Diagnostics())
    assert [(c.key, c.line) for c in data.citations] == [
        ("vaswani2017", 7),
        ("child2020", 8),
        ("Lecun2015", 9),
    ]
    assert data.bibdata == [aux_dir / "library.json"]


def test_bcf_nocite_all(aux_dir: Path):
    data = read_aux(aux_dir / "nocite-all.bcf", diagnostics=Diagnostics())
    assert data.cite_all
    assert data.keys == ["lecun2015"]


def test_bcf_with_entities_is_refused(aux_dir: Path):
    sink = Diagnostics()
    data = read_aux(aux_dir / "hostile.bcf", diagnostics=sink)
    assert data.citations == []
    assert [d.code for d in sink] == ["aux.bcf-doctype"]


def test_broken_bcf_is_located(tmp_path: Path):
    bad = tmp_path / "bad.bcf"
    bad.write_text('<?xml version="1.0"?>\n<bcf:controlfile xmlns:bcf="x">\n<oops>\n')
    sink = Diagnostics()
    read_aux(bad, diagnostics=sink)
    assert [d.code for d in sink] == ["aux.bcf-syntax"]
    assert sink.items[0].line is not None


def test_bibdata_names_keep_explicit_suffixes(tmp_path: Path):
    text = "\\bibdata{refs,notes.md,/abs/lib}\n"
    data = parse_aux_text(text, source=str(tmp_path / "p.aux"), diagnostics=Diagnostics())
    assert data.bibdata == [tmp_path / "refs.bib", tmp_path / "notes.md", Path("/abs/lib.bib")]


def test_keys_with_spaces_and_empty_items_are_cleaned():
    data = parse_aux_text("\\citation{ a , ,b }\n", source="x.aux", diagnostics=Diagnostics())
    assert data.keys == ["a", "b"]

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from citekit import api


@pytest.fixture
def aux_dir(fixtures_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "aux"
    shutil.copytree(fixtures_dir / "aux", target)
    return target


def test_cited_records_crossref_parents_and_missing(aux_dir: Path):
    library, missing = api.cited_library(aux_dir / "paper.aux", [aux_dir / "library.json"])
    # library order; child2020 pulls in proc2020 (crossref), which pulls in pubdata (xdata)
    assert library.ids == ["vaswani2017", "lecun2015", "child2020", "proc2020", "pubdata"]
    assert [m.key for m in missing] == ["ghost"]
    places = [(Path(p.source).name, p.line) for p in missing[0].places]
    assert places == [("one.aux", 3), ("paper.aux", 8)]
    assert "ghost (cited at " in str(missing[0])
    errors = [d for d in library.diagnostics if d.code == "aux.missing-key"]
    assert len(errors) == 1
    assert errors[0].key == "ghost"
    assert errors[0].line == 3


def test_nocite_star_selects_everything(aux_dir: Path):
    library, missing = api.cited_library(aux_dir / "nocite.aux", [aux_dir / "library.json"])
    assert len(library) == 6
    assert missing == []


def test_bibdata_is_used_when_no_library_is_given(aux_dir: Path):
    (aux_dir / "library.json").rename(aux_dir / "library.bib.json")
    (aux_dir / "nocite.aux").write_text("\\citation{lecun2015}\n\\bibdata{library.bib.json}\n")
    library, missing = api.cited_library(aux_dir / "nocite.aux")
    assert library.ids == ["lecun2015"]
    assert missing == []


def test_biber_case_mismatch_is_matched_with_a_warning(aux_dir: Path):
    library, missing = api.cited_library(aux_dir / "biber.aux")  # datasource from the .bcf
    assert library.ids == ["vaswani2017", "lecun2015", "child2020", "proc2020", "pubdata"]
    assert missing == []
    warnings = [d for d in library.diagnostics if d.code == "aux.key-case"]
    assert [(w.key, w.line) for w in warnings] == [("Lecun2015", 6)]


def test_missing_parent_is_reported(aux_dir: Path, tmp_path: Path):
    lib = tmp_path / "lib.json"
    lib.write_text(
        '[{"id": "a", "type": "chapter", "title": "A",'
        ' "custom": {"bibtex": {"type": "incollection", "fields": {"crossref": "gone"}}}}]'
    )
    aux = tmp_path / "p.aux"
    aux.write_text("\\citation{a}\n")
    library, missing = api.cited_library(aux, [lib])
    assert library.ids == ["a"]
    assert [(m.key, m.places) for m in missing] == [("gone", ())]


def test_no_bibdata_and_no_library(tmp_path: Path):
    aux = tmp_path / "p.aux"
    aux.write_text("\\citation{a}\n")
    library, missing = api.cited_library(aux)
    assert [d.code for d in library.diagnostics] == ["aux.no-bibdata", "aux.missing-key"]
    assert [m.key for m in missing] == ["a"]

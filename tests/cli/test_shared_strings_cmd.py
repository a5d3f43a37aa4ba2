"""CLI entry points read several .bib files as one BibTeX database (shared @string, crossref)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.cli.conftest import Run
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "shared_strings"


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    for path in FIXTURES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _ids_and_publishers(text: str) -> dict[str, object]:
    return {item["id"]: item.get("publisher") for item in json.loads(text)}


def test_convert_several_inputs_streaming(run: Run, paper: Path) -> None:
    code, out, err = run(
        "convert", paper / "abbrev.bib", paper / "refs.bib", paper / "procs.bib", "-t", "json"
    )
    assert code == 0
    assert "undefined-macro" not in err
    assert "crossref-missing" not in err
    assert _ids_and_publishers(out)["late2005"] == "Second Publisher Press"
    assert _ids_and_publishers(out)["procs2010"] == "Second Publisher"


def test_convert_keep_macros_library_path(run: Run, paper: Path) -> None:
    code, out, err = run(
        "convert", paper / "abbrev.bib", paper / "refs.bib", "-t", "bibtex", "--keep-macros"
    )
    assert code == 0, err
    assert out.count("@string{pub =") == 1
    assert "journal = jacm" in out
    assert "undefined-macro" not in err


def test_strings_option(run: Run, paper: Path) -> None:
    code, out, err = run(
        "convert", paper / "refs.bib", "--strings", paper / "abbrev.bib", "-t", "json"
    )
    assert code == 0
    assert "undefined-macro" not in err
    assert _ids_and_publishers(out)["early2001"] == "First Publisher"
    code, _, err = run("check", paper / "refs.bib", "--strings", paper / "abbrev.bib")
    assert "undefined-macro" not in err
    code, out, err = run("check", paper / "refs.bib")
    assert "undefined-macro" in out


def test_check_and_format_several_inputs(run: Run, paper: Path) -> None:
    inputs = [paper / "abbrev.bib", paper / "refs.bib", paper / "procs.bib"]
    code, out, err = run("check", *inputs)
    assert "undefined-macro" not in out + err
    assert "crossref-missing" not in out + err
    code, out, err = run("format", *inputs, "--style", "apa")
    assert code == 0, err
    assert "Journal of the ACM" in out
    assert "Second Publisher Press" in out


def test_aux_reads_bibdata_as_one_database(run: Run, paper: Path, tmp_path: Path) -> None:
    aux = paper / "paper.aux"
    aux.write_text(
        "\\relax\n\\citation{late2005}\n\\citation{child2010}\n"
        "\\bibstyle{plain}\n\\bibdata{abbrev,refs,procs}\n"
    )
    code, out, err = run("aux", aux)
    assert code == 0, err
    assert "undefined-macro" not in err
    assert "missing" not in err
    assert "publisher = {Second Publisher Press}" in out
    assert "@proceedings{procs2010," in out
    assert "series = {Lecture Notes in Computer Science}" in out

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.conftest import Run


def test_aux_exports_cited_records_and_lists_missing(run: Run, aux_copy: Path):
    out = aux_copy / "cited.json"
    code, stdout, stderr = run(
        "aux", aux_copy / "paper.aux", "--bib", aux_copy / "library.json", "-o", out
    )
    assert code == 1  # 'ghost' is missing
    assert stdout == ""
    ids = [r["id"] for r in json.loads(out.read_text())]
    assert ids == ["vaswani2017", "lecun2015", "child2020", "proc2020", "pubdata"]
    nested = aux_copy / "chapters" / "one.aux"
    assert f"{nested}:3: error: 'ghost' is cited but not in any library" in stderr
    assert "5 cited records written to" in stderr
    assert "1 keys missing" in stderr


def test_allow_missing_exits_0(run: Run, aux_copy: Path):
    code, stdout, _ = run(
        "aux", aux_copy / "paper.aux", "--bib", aux_copy / "library.json",
        "-t", "csl-json", "--allow-missing",
    )  # fmt: skip
    assert code == 0
    assert len(json.loads(stdout)) == 5


def test_biber_aux_uses_bcf_datasource(run: Run, aux_copy: Path):
    code, stdout, stderr = run("aux", aux_copy / "biber.aux", "-t", "yaml", "-q")
    assert code == 0
    assert stderr == ""
    assert "id: child2020" in stdout
    code, stdout, _ = run("aux", aux_copy / "nocite-all.bcf", "-t", "json", "-q")
    assert code == 0
    assert len(json.loads(stdout)) == 6


def test_aux_usage_errors(run: Run, aux_copy: Path):
    assert run("aux", aux_copy / "nope.aux", "-t", "json")[0] == 2
    assert run("aux", aux_copy / "library.json", "-t", "json")[0] == 2
    code, _, err = run(
        "aux", aux_copy / "paper.aux", "--bib", aux_copy / "library.json",
        "-o", aux_copy / "library.json",
    )  # fmt: skip
    assert code == 2
    assert "would overwrite" in err


def test_aux_to_bibtex_default(run: Run, aux_copy: Path):
    pytest.importorskip("citekit.writers.bibtex")
    code, stdout, _ = run("aux", aux_copy / "nocite.aux", "--bib", aux_copy / "library.json", "-q")
    assert code == 0
    assert stdout.count("\n@") + stdout.startswith("@") == 6
    assert "@inproceedings{child2020," in stdout
    code, stdout, _ = run("aux", aux_copy / "biber.aux", "-q")
    assert "journaltitle = {Nature}" in stdout  # biblatex paper → biblatex output


def test_bib_library_from_bibdata_with_crossref_chain(run: Run, aux_copy: Path):
    pytest.importorskip("citekit.readers.bibtex")
    pytest.importorskip("citekit.writers.bibtex")
    code, stdout, err = run("aux", aux_copy / "crossref.aux", "-t", "json")
    assert code == 0, err
    assert [r["id"] for r in json.loads(stdout)] == ["child2021", "proc2021", "acmdata"]
    code, stdout, err = run("aux", aux_copy / "crossref.aux", "-q")
    assert code == 0, err
    assert "crossref = {proc2021}" in stdout
    assert "other2019" not in stdout

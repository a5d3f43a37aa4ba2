from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import Run

LINTY = """[
  {"id": "Doe2020", "type": "article-journal", "title": "A STUDY OF ALL THINGS",
   "author": [{"family": "Doe", "given": "Jane"}], "DOI": "10.1/ABC"},
  {"id": "doe2020", "type": "book", "title": "Other things entirely",
   "author": [{"family": "University", "given": "Stanford"}],
   "DOI": "https://doi.org/10.1/abc", "issued": {"date-parts": [[2001]]}}
]
"""


def test_check_text_output(run: Run, tmp_path: Path):
    lib = tmp_path / "l.json"
    lib.write_text(LINTY)
    code, out, err = run("check", lib)
    assert code == 0  # warnings only
    lines = out.splitlines()
    assert f"{lib}:2:3: warning: article-journal requires container-title [Doe2020]" in out
    assert any("differs from 'Doe2020' only in case" in line for line in lines)
    assert any("(check.duplicate-doi)" in line for line in lines)
    assert any("(check.corporate-name)" in line for line in lines)
    assert any("(check.title-all-caps)" in line for line in lines)
    assert "2 records, 0 errors" in err
    assert run("check", "--strict", lib)[0] == 1


def test_check_json_and_errors_exit_1(run: Run, tmp_path: Path):
    lib = tmp_path / "l.json"
    lib.write_text('[{"id": "a", "type": "book", "title": "T"},\n {"id": "b", broken}]')
    code, out, _ = run("check", lib, "--json")
    assert code == 1
    document = json.loads(out)
    assert document["records"] == 1
    assert document["errors"] == 1
    syntax = [d for d in document["diagnostics"] if d["code"] == "csl-json.syntax"]
    assert syntax[0]["line"] == 2
    assert syntax[0]["source"] == str(lib)


def test_check_bib_located(run: Run, tmp_path: Path):
    import pytest

    pytest.importorskip("citekit.readers.bibtex")
    bib = tmp_path / "b.bib"
    bib.write_text(
        "@article{good, author={Doe, J.}, title={A}, journal={J}, year={2020}}\n"
        "@article{bad, author={X}, title={B\n"
        "@book{who, author={University, Stanford}, title={T}, publisher={P}, year=2000}\n"
    )
    code, out, _ = run("check", bib)
    assert code == 1
    assert f"{bib}:2:1: error: " in out
    assert f"{bib}:3:1: warning: author 'Stanford University' looks like an organisation" in out

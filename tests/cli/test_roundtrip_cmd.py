from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli.conftest import Run
from tests.conftest import ROOT


def test_roundtrip_example_is_lossless(run: Run):
    pytest.importorskip("citekit.readers.bibtex")
    code, out, _ = run("roundtrip", ROOT / "examples" / "refs.bib")
    assert code == 0
    assert out.strip().endswith("0 with differences, 0 field differences")
    code, out, _ = run("roundtrip", ROOT / "examples" / "refs.bib", "--json")
    assert code == 0
    assert json.loads(out)["records"] == 5


def test_roundtrip_json_via_bibtex(run: Run, lib_json: Path):
    pytest.importorskip("citekit.readers.bibtex")
    code, out, _ = run("roundtrip", lib_json)
    assert "csl-json → bibtex → csl-json: 2 records" in out
    assert code in (0, 1)
    assert (code == 0) == ("0 with differences" in out)


def test_roundtrip_usage(run: Run, tmp_path: Path):
    assert run("roundtrip", tmp_path / "absent.bib")[0] == 2
    assert run("roundtrip", tmp_path / "x.bib", "--via", "nope")[0] == 2

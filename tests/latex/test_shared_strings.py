r"""``\bibliography{abbrev,refs,procs}`` via ``citekit aux``: the .bbl BibTeX makes of the files.

``abbrev.bib`` holds only ``@string`` macros, ``refs.bib`` uses and redefines them and
``procs.bib`` holds a crossref parent (``tests/fixtures/shared_strings``). Real BibTeX reads
the three as one database; ``citekit aux paper.aux -o cited.bib`` must export the cited
records with every macro expanded so that BibTeX on ``cited.bib`` alone typesets exactly the
same bibliography. Needs pdflatex and bibtex; skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT

pytestmark = pytest.mark.latex

FIXTURES = ROOT / "tests" / "fixtures" / "shared_strings"


def _run(cwd: Path, *command: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr}"
    return result.stdout + result.stderr


def test_bibliography_split_over_files_matches_bibtex(tmp_path: Path) -> None:
    for tool in ("pdflatex", "bibtex"):
        if shutil.which(tool) is None:
            pytest.skip(f"not installed: {tool}")
    for path in FIXTURES.glob("*.*"):
        shutil.copy(path, tmp_path / path.name)
    _run(tmp_path, "pdflatex", "-interaction=nonstopmode", "paper.tex")
    log = _run(tmp_path, "bibtex", "paper")
    assert "Warning" not in log  # the originals are clean for BibTeX itself
    expected = (tmp_path / "paper.bbl").read_text("utf-8")

    report = _run(tmp_path, sys.executable, "-m", "citekit", "aux", "paper.aux", "-o", "cited.bib")
    assert "undefined-macro" not in report
    assert "missing" not in report
    assert "6 cited records" in report
    tex = (tmp_path / "paper.tex").read_text("utf-8")
    (tmp_path / "single.tex").write_text(tex.replace("{abbrev,refs,procs}", "{cited}"), "utf-8")
    _run(tmp_path, "pdflatex", "-interaction=nonstopmode", "single.tex")
    log = _run(tmp_path, "bibtex", "single")
    assert "Warning" not in log
    assert (tmp_path / "single.bbl").read_text("utf-8") == expected
    # The macros were really needed (a journal from abbrev.bib, a redefined publisher).
    assert "Journal of the {ACM}" in expected
    assert "Second Publisher Press" in expected
    for _ in range(2):
        _run(tmp_path, "pdflatex", "-interaction=nonstopmode", "single.tex")
    text = (tmp_path / "single.log").read_text("latin-1")
    assert "undefined" not in text

"""Compile examples/latex with the real TeX tools, both ways, with `citekit aux` in between.

Needs pdflatex, bibtex, biber and latexmk (``.ci/run`` installs them); skipped otherwise.
The builds must finish with no LaTeX errors, no BibTeX/biber errors or warnings, and no
undefined citations.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT

pytestmark = pytest.mark.latex

GENERATED = re.compile(r"\.(aux|bbl|blg|bcf|log|pdf|fls|fdb_latexmk|run\.xml|out)$|cited.*\.bib$")


def _need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)}")
    pytest.importorskip("citekit.readers.markdown")
    pytest.importorskip("citekit.readers.bibtex")


@pytest.fixture
def workdir(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    examples = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", examples)
    for path in (examples / "latex").iterdir():
        if GENERATED.search(path.name):
            path.unlink()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "citekit"
    script.write_text(
        f"#!{sys.executable}\nimport sys\nsys.path.insert(0, {str(ROOT / 'src')!r})\n"
        "from citekit.cli import main\nsys.exit(main())\n"
    )
    script.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    return examples / "latex", env


def _run(cwd: Path, env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr}"
    return result


def _assert_clean_latex_log(log: Path) -> None:
    text = log.read_text(encoding="latin-1")
    errors = [line for line in text.splitlines() if line.startswith("!")]
    assert errors == [], errors
    undefined = re.findall(r"Citation .{1,80} undefined|There were undefined \w+", text)
    assert undefined == [], undefined
    assert "Please rerun LaTeX" not in text
    assert "Please (re)run Biber" not in text
    assert "Empty bibliography" not in text


def _assert_bbl_has(bbl: Path, keys: list[str]) -> None:
    text = bbl.read_text(encoding="utf-8")
    for key in keys:
        assert key in text, key


def _cited_keys(tex: Path) -> list[str]:
    found = re.findall(r"\\(?:auto|text)?cite(?:\[[^]]*\])?\{([^}]*)\}", tex.read_text())
    return sorted({key.strip() for group in found for key in group.split(",")})


def test_pdflatex_bibtex(workdir: tuple[Path, dict[str, str]]):
    _need("pdflatex", "bibtex")
    cwd, env = workdir
    flags = ("-interaction=nonstopmode", "-halt-on-error")
    _run(cwd, env, "pdflatex", *flags, "paper")
    _run(cwd, env, "citekit", "aux", "paper.aux", "--bib", "../refs.bib", "notes.md",
         "-o", "cited.bib")  # fmt: skip
    bibtex = _run(cwd, env, "bibtex", "paper")
    assert "error message" not in bibtex.stdout
    assert "Warning--" not in bibtex.stdout, bibtex.stdout
    _run(cwd, env, "pdflatex", *flags, "paper")
    _run(cwd, env, "pdflatex", *flags, "paper")
    _assert_clean_latex_log(cwd / "paper.log")
    keys = _cited_keys(cwd / "paper.tex")
    _assert_bbl_has(cwd / "paper.bbl", [f"\\bibitem{{{key}}}" for key in keys])
    assert (cwd / "paper.pdf").stat().st_size > 1000


def test_pdflatex_biber(workdir: tuple[Path, dict[str, str]]):
    _need("pdflatex", "biber")
    cwd, env = workdir
    flags = ("-interaction=nonstopmode", "-halt-on-error")
    _run(cwd, env, "pdflatex", *flags, "paper-biblatex")
    _run(cwd, env, "citekit", "aux", "paper-biblatex.aux", "--bib", "../refs.bib", "notes.md",
         "-o", "cited-biblatex.bib")  # fmt: skip
    assert "journaltitle = " in (cwd / "cited-biblatex.bib").read_text()
    _run(cwd, env, "biber", "paper-biblatex")
    blg = (cwd / "paper-biblatex.blg").read_text()
    assert " ERROR - " not in blg, blg
    assert " WARN - " not in blg, blg
    _run(cwd, env, "pdflatex", *flags, "paper-biblatex")
    _run(cwd, env, "pdflatex", *flags, "paper-biblatex")
    _assert_clean_latex_log(cwd / "paper-biblatex.log")
    keys = _cited_keys(cwd / "paper-biblatex.tex")
    _assert_bbl_has(cwd / "paper-biblatex.bbl", [f"\\entry{{{key}}}" for key in keys])


@pytest.mark.parametrize(
    ("paper", "bibfile"), [("paper", "cited.bib"), ("paper-biblatex", "cited-biblatex.bib")]
)
def test_latexmk(workdir: tuple[Path, dict[str, str]], paper: str, bibfile: str):
    _need("pdflatex", "bibtex", "biber", "latexmk")
    cwd, env = workdir
    _run(cwd, env, "latexmk", "-interaction=nonstopmode", paper)
    assert (cwd / bibfile).is_file()
    assert (cwd / f"{paper}.pdf").is_file()
    _assert_clean_latex_log(cwd / f"{paper}.log")
    again = _run(cwd, env, "latexmk", "-interaction=nonstopmode", paper)
    assert "up-to-date" in again.stdout + again.stderr  # stable: no endless reruns


def test_missing_key_stops_the_latexmk_build(workdir: tuple[Path, dict[str, str]]):
    _need("pdflatex", "bibtex", "latexmk")
    cwd, env = workdir
    tex = cwd / "paper.tex"
    tex.write_text(tex.read_text().replace(r"\cite{knuth1984texbook}", r"\cite{nobody1999}"))
    result = subprocess.run(
        ["latexmk", "-interaction=nonstopmode", "paper"],
        cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode != 0
    assert "'nobody1999' is cited but not in any library" in result.stdout + result.stderr

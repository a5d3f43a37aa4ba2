"""``citekit convert`` of a small plain .bib file leaves the heavy dependencies unimported.

Start-up time is measured in ``benchmarks/`` (no timed asserts here); this test guards the
lazy imports that keep it short: pybtex is only needed for names the fast splitter declines,
pylatexenc's walker only for values the LaTeX fast paths decline, citeproc/lxml only for
formatting, yaml only for CSL-YAML.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SMALL_BIB = r"""@article{doe2020,
  author = {Doe, Jane and M{\"u}ller, J{\"o}rg},
  title = {A Small Example: {DNA} -- the {\'E}tude},
  journal = {Journal of Examples},
  year = 2020, volume = 3, pages = {1--10}, month = jan,
}
@book{roe1999, author = {Roe, Richard and Smith-Jones, Anne Marie}, title = {{The} Book},
  publisher = {P}, year = 1999}
"""

PROBE = """
import json, sys
from citekit.cli import main
status = main(["convert", sys.argv[1], "-t", "csl-json", "-o", sys.argv[2]])
from citekit.syntax import latex_to_unicode
print(json.dumps({"status": status, "modules": sorted(sys.modules),
                  "walker_loaded": latex_to_unicode._CONVERTER is not None}))
"""


def _run_probe(code: str, folder: Path, output_name: str) -> tuple[dict[str, object], Path]:
    """Run ``code`` in a fresh interpreter on SMALL_BIB; its JSON report and output path."""
    source = folder / "small.bib"
    source.write_text(SMALL_BIB, "utf-8")
    out = folder / output_name
    done = subprocess.run(
        [sys.executable, "-c", code, str(source), str(out)],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": ""},
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result, out


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    result, out = _run_probe(PROBE, tmp_path_factory.mktemp("startup"), "small.json")
    records = json.loads(out.read_text("utf-8"))
    assert [r["id"] for r in records] == ["doe2020", "roe1999"]
    assert records[0]["author"][1] == {"family": "Müller", "given": "Jörg"}
    assert records[0]["title"] == ('A Small Example: <span class="nocase">DNA</span> – the Étude')
    return result


HEAVY = (
    "pybtex",
    "pylatexenc",
    "bibtexparser",
    "citeproc",
    "lxml",
    "yaml",
    "multiprocessing",
    "concurrent",
)


def _heavy(modules: object) -> set[str]:
    assert isinstance(modules, list)
    return {m.split(".")[0] for m in modules if m.split(".")[0] in HEAVY}


def test_convert_imports_no_heavy_module(probe: dict[str, object]) -> None:
    """citekit's own tokenizer reads the file: not even bibtexparser (the reference of its
    conformance tests) is imported, nor the worker-pool machinery for a small input."""
    assert probe["status"] == 0
    assert _heavy(probe["modules"]) == set()


def test_latex_walker_not_loaded(probe: dict[str, object]) -> None:
    """Accents, braces and dashes are decoded without building pylatexenc's databases."""
    assert probe["walker_loaded"] is False


FORMAT_PROBE = """
import json, sys
from citekit.cli import main
status = main(["format", sys.argv[1], "--style", "apa", "-o", sys.argv[2]])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def test_format_starts_without_worker_pool(tmp_path: Path) -> None:
    """`citekit format` of a small file loads citeproc but not the worker-pool machinery."""
    result, out = _run_probe(FORMAT_PROBE, tmp_path, "small.txt")
    assert result["status"] == 0
    assert "Doe, J." in out.read_text("utf-8")
    assert _heavy(result["modules"]) & {"multiprocessing", "concurrent"} == set()
    assert "citeproc" in _heavy(result["modules"])

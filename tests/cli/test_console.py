"""The real entry points: ``python -m citekit`` and the installed ``citekit`` script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT

HEAVY = ("bibtexparser", "pybtex", "citeproc", "pylatexenc", "lxml", "yaml")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _module(*argv: str, stdin: str | None = None, cwd: Path | None = None):
    return subprocess.run(
        [sys.executable, "-m", "citekit", *argv],
        input=stdin, capture_output=True, text=True, env=_env(), cwd=cwd, check=False,
        timeout=120,
    )  # fmt: skip


def test_help_and_version():
    result = _module("--help")
    assert result.returncode == 0
    assert "everyday commands" in result.stdout
    assert _module("--version").stdout.startswith("citekit ")


def test_stdin_pipe_to_stdout_and_exit_codes(lib_json: Path):
    result = _module("convert", "-", "-t", "csl-yaml", stdin=lib_json.read_text())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("---\nreferences:\n")
    assert _module("convert", "absent.json", "-t", "yaml").returncode == 2
    bad = lib_json.with_name("bad.json")
    bad.write_text('[{"id": "a", "type": "book"}, {oops}]')
    result = _module("convert", str(bad), "-t", "yaml", "--strict")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}:1:" in result.stderr


def test_no_progress_bar_when_piped(lib_json: Path, tmp_path: Path):
    other = tmp_path / "other.json"
    other.write_text("[]")
    result = _module("convert", str(lib_json), str(other), "-t", "json")
    assert "\r" not in result.stderr
    assert "reading [" not in result.stderr


def test_check_json_through_the_console(lib_json: Path):
    result = _module("check", str(lib_json), "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["records"] == 2


def test_cli_import_is_light():
    code = f"import sys, citekit.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def citekit_exe(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The ``citekit`` console script: the installed one, or one pip installs into a venv.

    The venv sees the system site-packages (dependencies), and citekit is installed from a
    copy of this tree with ``--no-deps --no-build-isolation --no-index`` (offline).
    """
    found = shutil.which("citekit")
    if found is not None:
        return found
    base = tmp_path_factory.mktemp("console")
    tree = base / "tree"
    tree.mkdir()
    shutil.copy(ROOT / "pyproject.toml", tree)
    shutil.copytree(ROOT / "src", tree / "src")
    readme = ROOT / "README.md"
    (tree / "README.md").write_text(readme.read_text() if readme.exists() else "citekit\n")
    if (ROOT / "styles").is_dir():
        shutil.copytree(ROOT / "styles", tree / "styles")
    else:
        (tree / "styles").mkdir()
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True, timeout=300)  # fmt: skip
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation",
         "--no-index", str(tree)],
        capture_output=True, text=True, env=env, check=False, timeout=600,
    )  # fmt: skip
    exe = venv / "bin" / "citekit"
    if result.returncode != 0 or not exe.exists():
        pytest.skip(f"cannot install citekit into a venv: {result.stderr[-500:]}")
    return str(exe)


def _exe(exe: str, *argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [exe, *argv], capture_output=True, text=True, env=env, cwd=cwd, check=False, timeout=120
    )


@pytest.mark.slow
def test_installed_console_script(citekit_exe: str, lib_json: Path, fixtures_dir: Path):
    result = _exe(citekit_exe, "convert", str(lib_json), "-t", "csl-yaml")
    assert result.returncode == 0, result.stderr
    assert "id: vaswani2017" in result.stdout
    assert _exe(citekit_exe, "--help").returncode == 0
    assert _exe(citekit_exe, "convert", "absent.bib", "-t", "json").returncode == 2
    aux = fixtures_dir / "aux"
    result = _exe(citekit_exe, "aux", str(aux / "paper.aux"), "--bib", str(aux / "library.json"),
                  "-t", "json")  # fmt: skip
    assert result.returncode == 1
    assert "'ghost' is cited but not in any library" in result.stderr
    assert "Traceback" not in result.stderr
    result = _exe(citekit_exe, "check", str(lib_json), "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["records"] == 2


def test_console_script_entry_point_resolves():
    import importlib
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = scripts["citekit"].partition(":")
    main = getattr(importlib.import_module(module), function)
    assert main(["formats"]) == 0


def test_closed_stdout_pipe_gives_no_traceback(tmp_path: Path):
    big = tmp_path / "big.json"
    items = [{"id": f"k{i}", "type": "book", "title": "T" * 200} for i in range(3000)]
    big.write_text(json.dumps(items))
    process = subprocess.Popen(
        [sys.executable, "-m", "citekit", "convert", str(big), "-t", "csl-yaml"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(),
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.close()  # before citekit writes: its write gets EPIPE
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    assert b"Traceback" not in stderr
    assert b"Exception ignored" not in stderr


def test_import_citekit_does_not_load_the_api():
    code = "import sys, citekit; print('citekit.api' in sys.modules); print(citekit.read.__name__)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True
    )
    assert result.stdout.split() == ["False", "read"]

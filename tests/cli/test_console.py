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


def test_installed_console_script(lib_json: Path):
    exe = shutil.which("citekit")
    if exe is None:
        pytest.skip("the citekit console script is not installed")
    result = subprocess.run(
        [exe, "convert", str(lib_json), "-t", "csl-yaml"],
        capture_output=True, text=True, env=_env(), check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "id: vaswani2017" in result.stdout


def test_console_script_entry_point_resolves():
    import importlib
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = scripts["citekit"].partition(":")
    main = getattr(importlib.import_module(module), function)
    assert main(["formats"]) == 0

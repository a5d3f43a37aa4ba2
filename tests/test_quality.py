"""The code-quality gates run as tests, so CI enforces them: ruff, mypy --strict, layers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from tests.conftest import ROOT


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env=env, check=False, timeout=600
    )


def _tool(name: str) -> None:
    if shutil.which(name) is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")


def test_ruff_check():
    _tool("ruff")
    result = _run("ruff", "check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
    _tool("ruff")
    result = _run("ruff", "format", "--check", "src", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict():
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_layers():
    _tool("lint-imports")
    result = _run("lint-imports")
    assert result.returncode == 0, result.stdout + result.stderr

"""Helpers for the hostile-input suite: run the CLI in a subprocess, build records."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str | os.PathLike[str], stdin: bytes | None = None, timeout: float = 60):
    """Run ``python -m citekit`` in a fresh interpreter; return the CompletedProcess (bytes)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return subprocess.run(
        [sys.executable, "-m", "citekit", *map(os.fspath, args)],
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
        check=False,
    )


def assert_no_traceback(result: subprocess.CompletedProcess[bytes]) -> str:
    """Assert the CLI did not crash; return stderr as text."""
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err, err
    assert "internal error" not in err, err
    assert result.returncode in (0, 1, 2), (result.returncode, err)
    return err

"""CLI start-up time: best of N runs of `python -m citekit …` against bare `python -c pass`.

Run: ``python benchmarks/cli_startup.py [runs]``. Byte-code caching is forced on (into a
temporary prefix) because an installed citekit has its ``.pyc`` files; a
``PYTHONDONTWRITEBYTECODE=1`` environment would otherwise measure compilation.
CPU time (user + system) is printed too: it is less sensitive to a busy machine.
The issue's budget: ``citekit --help`` and ``citekit convert small.bib`` ≤ 0.15 s.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "citekit --help": ["-m", "citekit", "--help"],
    "citekit convert refs.bib -t csl-json": [
        "-m", "citekit", "convert", "examples/refs.bib", "-t", "csl-json",
    ],
    "citekit convert refs.bib -t bibtex": [
        "-m", "citekit", "convert", "examples/refs.bib", "-t", "bibtex",
    ],
    "citekit convert notes.md -t bibtex": [
        "-m", "citekit", "convert", "examples/latex/notes.md", "-t", "bibtex",
    ],
}  # fmt: skip


def main(runs: int = 15) -> None:
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update({"PYTHONPATH": str(ROOT / "src"), "PYTHONPYCACHEPREFIX": cache})
        for label, argv in COMMANDS.items():
            best = best_cpu = float("inf")
            for _ in range(runs):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True,
                               check=True)  # fmt: skip
                best = min(best, time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                best_cpu = min(best_cpu, cpu)
            print(f"{label:40s} wall {best:.3f} s   cpu {best_cpu:.3f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)

"""Time the markdown reading-list reader on the real lists (records per second).

Usage: ``PYTHONPATH=src python benchmarks/bench_markdown.py [FILE.md ...]`` (default: every
list in ../shared/corpora/markdown and the seed).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import citekit


def main() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared"
    paths = [Path(arg) for arg in sys.argv[1:]] or sorted(
        [*shared.glob("corpora/markdown/**/*.md"), shared / "seed" / "reading-list.md"]
    )
    for path in paths:
        best = float("inf")
        count = 0
        for _ in range(3):
            start = time.perf_counter()
            count = len(citekit.read(path, format="markdown"))
            best = min(best, time.perf_counter() - start)
        rate = count / best if best else 0.0
        print(f"{path.name:55s} {count:5d} records {best:7.3f} s {rate:9.0f} records/s")


if __name__ == "__main__":
    main()

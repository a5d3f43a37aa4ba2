"""Time the BibTeX/BibLaTeX writers per 1,000 entries (anchor: citation-js 0.04 s/1k).

Usage: ``PYTHONPATH=src python benchmarks/bench_writers.py [FILE.bib]`` (default: the
largest corpus file in ../shared/corpora/bib).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import citekit


def main() -> None:
    default = Path(__file__).resolve().parents[2] / "shared/corpora/bib/bbt-user-library-7166.bib"
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    library = citekit.read(path)
    count = len(library)
    for fmt in ("bibtex", "biblatex", "csl-json"):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            citekit.write_string(library, format=fmt)
            best = min(best, time.perf_counter() - start)
        print(f"{fmt:9s} {count} entries: {best:.3f} s = {best / count * 1000:.3f} s per 1k")


if __name__ == "__main__":
    main()

"""Linear-time check for hostile sizes: run each case at size n and 2n, report the time ratio.

A ratio near 2 means linear; near 4 means quadratic. Peak memory (tracemalloc) is reported
against the input size. Not part of the test suite (no timed asserts there).

    PYTHONPATH=src python benchmarks/hostile_scaling.py [--scale 1.0] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import citekit


def _bib(text: str) -> None:
    library = citekit.read_string(text, format="biblatex")
    for target in ("bibtex", "csl-json"):
        citekit.write_string(library, format=target)


def _md(text: str) -> None:
    library = citekit.read_string(text, format="markdown")
    citekit.write_string(library, format="bibtex")


def _json(text: str) -> None:
    library = citekit.read_string(text, format="csl-json")
    citekit.write_string(library, format="bibtex")


CASES: dict[str, tuple[Callable[[str], None], Callable[[int], str], int]] = {
    # name: (runner, make input of size n, base n)
    "bib-nested-braces": (
        _bib,
        lambda n: "@book{a, title={" + "{" * n + "x" + "}" * n + "}}",
        10_000,
    ),
    "bib-plain-field-5MB": (_bib, lambda n: "@book{a, title={" + "word " * n + "}}", 1_000_000),
    "bib-latex-field": (_bib, lambda n: "@book{a, title={" + "\\'e{\\\"u} " * n + "}}", 20_000),
    "bib-authors": (
        _bib,
        lambda n: "@book{a, author={" + " and ".join(f"F{i}, G." for i in range(n)) + "}}",
        50_000,
    ),
    "bib-one-line-entries": (
        _bib,
        lambda n: " ".join(f"@misc{{k{i}, title={{t}}}}" for i in range(n)),
        20_000,
    ),
    "json-authors": (
        _json,
        lambda n: json.dumps(
            [{"id": "a", "type": "book", "author": [{"family": f"F{i}"} for i in range(n)]}]
        ),
        100_000,
    ),
    "json-long-title": (
        _json,
        lambda n: json.dumps([{"id": "a", "type": "book", "title": "x{y}<i>z</i> " * n}]),
        250_000,
    ),
    "md-open-brackets": (_md, lambda n: "- [" + "[" * n + "x](http://a)\n", 50_000),
    "md-long-line": (_md, lambda n: "- " + "word, " * n + "\n", 250_000),
    "md-stars": (_md, lambda n: "- **" + "*" * n + "\n", 50_000),
    "md-emphasis-mix": (_md, lambda n: "- " + "*_" * n + "\n", 50_000),
    "md-author-line": (
        _md,
        lambda n: (
            "### [T](https://arxiv.org/abs/2101.00001)\n_"
            + ", ".join(f"A{i} B{i}" for i in range(n))
            + "_\n"
        ),
        50_000,
    ),
    "md-headings": (_md, lambda n: "### x\n" * n, 50_000),
    "md-url-spam": (_md, lambda n: "- " + "https://arxiv.org/abs/" * n + "\n", 20_000),
}


def measure(run: Callable[[str], None], text: str, *, memory: bool = False) -> tuple[float, int]:
    """Seconds for one run (without tracing) and, with ``memory``, the traced peak bytes."""
    start = time.perf_counter()
    run(text)
    elapsed = time.perf_counter() - start
    peak = 0
    if memory:  # tracemalloc slows Python code 3-10x, so it gets its own run
        tracemalloc.start()
        run(text)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every base size")
    parser.add_argument("--only", action="append", help="run only these cases")
    parser.add_argument("--memory", action="store_true", help="also trace peak memory (slow)")
    args = parser.parse_args()
    print(
        f"{'case':24s} {'n':>9s} {'t(n)':>8s} {'t(2n)':>8s} {'ratio':>6s} {'MB in':>7s} "
        f"{'peak MB':>8s}"
    )
    worst = 0.0
    for name, (run, make, base) in CASES.items():
        if args.only and name not in args.only:
            continue
        n = max(1, int(base * args.scale))
        small, large = make(n), make(2 * n)
        run(make(max(1, n // 10)))  # warm caches and imports
        t1, _ = measure(run, small)
        t2, peak = measure(run, large, memory=args.memory)
        ratio = t2 / t1 if t1 > 0 else float("nan")
        worst = max(worst, ratio)
        print(
            f"{name:24s} {n:9d} {t1:8.2f} {t2:8.2f} {ratio:6.2f} "
            f"{len(large.encode()) / 1e6:7.2f} {peak / 1e6:8.1f}",
            flush=True,
        )
    print(f"worst ratio t(2n)/t(n): {worst:.2f} (2 = linear, 4 = quadratic)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

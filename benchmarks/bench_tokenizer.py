"""CPU time of .bib splitting and reading, before (bibtexparser) and after (citekit's tokenizer).

Usage (from the repository root, after ``python benchmarks/run.py`` built the corpora)::

    python benchmarks/bench_tokenizer.py            # 1k, 10k, full; best of 3
    python benchmarks/bench_tokenizer.py --runs 5 --sizes 1k,10k

Rows: ``floor`` (``worker.floor_split``), bibtexparser's splitter, citekit's tokenizer, the
syntax layer (split + macros + located fields) with either splitter, and the whole
``citekit.read(path, jobs=1)`` with either splitter (one process, so its CPU time is all
counted). Process CPU time (``time.process_time``), best of the
runs, in one process: on a shared machine CPU time is far steadier than wall time, and every
row is measured in the same run so the ratios are comparable. Wall-time comparisons with
citation-js and pandoc are ``run.py``'s job.
"""

from __future__ import annotations

import argparse
import functools
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from worker import floor_split  # noqa: E402

import citekit  # noqa: E402
import citekit.readers.bibtex as reader  # noqa: E402
from citekit.errors import Diagnostics  # noqa: E402
from citekit.syntax.bibtex import iter_entries  # noqa: E402
from citekit.syntax.bibtex_tokenizer import tokenize  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "citekit-bench"


def _splitter(text: str) -> int:
    from bibtexparser.splitter import Splitter

    return len(Splitter(text).split().blocks)


def _tokens(text: str) -> int:
    return sum(1 for _ in tokenize(text))


def _syntax(text: str, splitter: str) -> int:
    entries = iter_entries(text, source="x.bib", diagnostics=Diagnostics(), _splitter=splitter)
    return sum(1 for _ in entries)


def _read(path: Path, splitter: str) -> int:
    original = reader.iter_entries
    reader.iter_entries = functools.partial(iter_entries, _splitter=splitter)  # type: ignore[assignment]
    try:
        return len(citekit.read(path, jobs=1).records)
    finally:
        reader.iter_entries = original  # type: ignore[assignment]


def best(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="1k,10k,full")
    args = parser.parse_args()
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    corpus = sorted(CACHE.glob("corpus-*"))[-1]
    print(f"{'size':>5} {'row':<28} {'CPU s':>8} {'ms/entry':>9}")
    for size in args.sizes.split(","):
        path = corpus / f"{size}.bib"
        text = path.read_text("utf-8")
        entries = sum(1 for b in tokenize(text) if b.kind == "entry")
        partial = functools.partial
        rows: list[tuple[str, Callable[[], object]]] = [
            ("floor (regex brace split)", partial(floor_split, text)),
            ("bibtexparser splitter", partial(_splitter, text)),
            ("citekit tokenizer", partial(_tokens, text)),
            ("syntax layer, bibtexparser", partial(_syntax, text, "bibtexparser")),
            ("syntax layer, tokenizer", partial(_syntax, text, "citekit")),
            ("citekit.read, bibtexparser", partial(_read, path, "bibtexparser")),
            ("citekit.read, tokenizer", partial(_read, path, "citekit")),
        ]
        for name, run in rows:
            seconds = best(run, args.runs)
            print(f"{size:>5} {name:<28} {seconds:8.3f} {1000 * seconds / entries:9.4f}")


if __name__ == "__main__":
    main()

"""Formatting speed: citekit vs raw citeproc-py vs pandoc 3, APA and IEEE, text output.

Input: CSL-JSON (default: 1,000 real entries built from ../shared/corpora/perf):

    d=$(mktemp -d) && cp -r ../shared/corpora/perf/{src,build.py,drop.txt} "$d" \
        && (cd "$d" && python3 build.py) \
        && pandoc "$d/1k.bib" -f bibtex -t csljson -o /tmp/1k.json
    python benchmarks/format_bench.py /tmp/1k.json --runs 3

Every tool formats the whole bibliography with every entry cited; the compiled-style cache of
citekit is cleared before each run so style loading is counted. Medians of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def time_runs(func: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run_citekit(records: list[dict[str, Any]], style: str) -> int:
    from citekit import format_bibliography
    from citekit.writers.formatted import engine

    engine._cached.cache_clear()
    return len(format_bibliography(records, style=style).entries)


def run_raw(records: list[dict[str, Any]], path: Path) -> int:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(str(path))
        bib = CitationStylesBibliography(style, CiteProcJSON(records), formatter.plain)
        bib.register(Citation([CitationItem(str(r["id"])) for r in records]))
        bib.sort()
        return len(bib.bibliography())


def run_pandoc(json_path: Path, csl: Path) -> int:
    import pypandoc

    doc = "---\nnocite: '@*'\n---\n"
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as handle:
        handle.write(doc)
    out = subprocess.run(
        [
            pypandoc.get_pandoc_path(),
            handle.name,
            "--citeproc",
            f"--bibliography={json_path}",
            f"--csl={csl}",
            "-t",
            "plain",
            "--wrap=none",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sum(1 for block in out.split("\n\n") if block.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("json", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--styles", default="apa,ieee")
    parser.add_argument("--no-pandoc", action="store_true")
    args = parser.parse_args()
    from citekit.styles import resolve

    records = json.loads(args.json.read_text(encoding="utf-8"))
    print(f"{len(records)} entries, median of {args.runs} runs, text output")
    print(f"{'style':6} {'citekit':>10} {'citeproc-py':>12} {'pandoc 3':>10}  ratios")
    for style in args.styles.split(","):
        path = resolve(style).path
        ck, n_ck = time_runs(lambda s=style: run_citekit(records, s), args.runs)
        try:
            raw, n_raw = time_runs(lambda p=path: run_raw(records, p), args.runs)
        except Exception as exc:
            raw, n_raw = float("nan"), f"crashed: {type(exc).__name__}"
        pd, n_pd = (
            (float("nan"), "-")
            if args.no_pandoc
            else time_runs(lambda p=path: run_pandoc(args.json, p), args.runs)
        )
        print(
            f"{style:6} {ck:9.2f}s {raw:11.2f}s {pd:9.2f}s"
            f"  raw/citekit {raw / ck:.2f}x  pandoc/citekit {pd / ck:.2f}x"
            f"  (entries: {n_ck}, {n_raw}, {n_pd})"
        )


if __name__ == "__main__":
    main()

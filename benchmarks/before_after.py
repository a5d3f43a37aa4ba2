"""Before/after in one run: .bib → CSL-JSON and start-up for several citekit checkouts.

Usage (from the repository root, after ``python benchmarks/run.py --jobs parse`` has built the
corpus and installed citation-js)::

    git worktree add --detach /tmp/ck-main main
    python benchmarks/before_after.py --tree main=/tmp/ck-main --tree this=. --runs 3

For each input (10k, full) the runs alternate between citation-js, pandoc and every tree, so
all of them see the same machine load; medians and the ratios citation-js ÷ tree and pandoc ÷
tree are printed as a markdown table. Start-up is the CPU time (user + sys from ``os.wait4``)
of whole ``citekit --help`` / ``convert small.bib`` / ``format small.bib --style apa``
processes, with a warmed bytecode cache and without one: CPU time is far less sensitive to a
loaded machine than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import CACHE, HERE, build_corpora, find_pandoc, install_citationjs


def _inproc(cmd: list[str], env: dict[str, str]) -> float:
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True)
    return time.perf_counter() - start


def _cpu(cmd: list[str], env: dict[str, str]) -> float:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    return usage.ru_utime + usage.ru_stime


def parse_rows(trees: dict[str, Path], corpus: Path, runs: int, runs_big: int) -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="citekit-ba-"))
    cjs = install_citationjs()
    pandoc = find_pandoc()
    tools: dict[str, object] = {}
    if cjs:
        node_env = {**os.environ, "NODE_PATH": str(cjs)}
        script = str(HERE / "citationjs_bench.js")
        tools["citation-js"] = lambda b: _inproc(["node", script, "parse", b], node_env)
    if pandoc:
        out = str(work / "pandoc.json")
        tools["pandoc"] = lambda b: _wall([pandoc, "-f", "bibtex", "-t", "csljson", b, "-o", out])
    for name, tree in trees.items():
        env = {**os.environ, "PYTHONPATH": str(tree / "src")}
        worker = [sys.executable, str(tree / "benchmarks" / "worker.py"), "citekit", "parse"]
        out = str(work / f"{name}.json")
        tools[f"citekit {name}"] = lambda b, w=worker, e=env, o=out: _inproc([*w, b, "--out", o], e)
    rows = []
    for size, count in (("10k", runs), ("full", runs_big)):
        bib = str(corpus / f"{size}.bib")
        seconds: dict[str, list[float]] = {name: [] for name in tools}
        for _ in range(count):
            for name, tool in tools.items():
                seconds[name].append(tool(bib))  # type: ignore[operator]
                print(f"{size} {name} {seconds[name][-1]:.2f} s", file=sys.stderr, flush=True)
        med = {name: statistics.median(values) for name, values in seconds.items()}
        for name, value in med.items():
            cjs_ratio = f"{med['citation-js'] / value:.2f}" if "citation-js" in med else "–"
            pandoc_ratio = f"{med['pandoc'] / value:.2f}" if "pandoc" in med else "–"
            rows.append(f"| {size} | {name} | {value:.2f} | {cjs_ratio} | {pandoc_ratio} |")
    return rows


def startup_rows(trees: dict[str, Path], corpus: Path, runs: int) -> list[str]:
    small = str(corpus / "small.bib")
    out = str(Path(tempfile.mkdtemp(prefix="citekit-ba-")) / "small.json")
    commands = {
        "citekit --help": ["--help"],
        "citekit convert small.bib": ["convert", small, "-t", "csl-json", "-o", out],
        "citekit format small.bib --style apa": ["format", small, "--style", "apa"],
    }
    rows = []
    for label, args in commands.items():
        for cached in (True, False):
            cells = []
            for name, tree in trees.items():
                env = {**os.environ, "PYTHONPATH": str(tree / "src")}
                if cached:
                    env.pop("PYTHONDONTWRITEBYTECODE", None)
                    env["PYTHONPYCACHEPREFIX"] = str(CACHE / f"pycache-{name}")
                else:
                    env["PYTHONDONTWRITEBYTECODE"] = "1"
                cmd = [sys.executable, "-m", "citekit", *args]
                _cpu(cmd, env)  # warm the bytecode cache (and the file cache)
                cells.append(f"{statistics.median(_cpu(cmd, env) for _ in range(runs)):.3f}")
            kind = "bytecode cached" if cached else "no bytecode"
            rows.append(f"| `{label}` ({kind}) | {' | '.join(cells)} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", required=True, help="NAME=PATH (repeat)")
    parser.add_argument("--runs", type=int, default=3, help="runs per tool for 10k (3)")
    parser.add_argument("--runs-big", type=int, default=1, help="runs for full (1)")
    parser.add_argument("--startup-runs", type=int, default=8, help="runs per command (8)")
    parser.add_argument("--skip-parse", action="store_true", help="start-up only")
    args = parser.parse_args()
    trees = {}
    for item in args.tree:
        name, _, path = item.partition("=")
        trees[name] = Path(path).resolve()
    corpus = build_corpora(find_pandoc())
    if not args.skip_parse:
        print("| input | tool | seconds | citation-js ÷ tool | pandoc ÷ tool |")
        print("|---|---|---|---|---|")
        print("\n".join(parse_rows(trees, corpus, args.runs, args.runs_big)))
        print()
    print(f"| command (CPU s, median of {args.startup_runs}) | {' | '.join(trees)} |")
    print("|---|" + "---|" * len(trees))
    print("\n".join(startup_rows(trees, corpus, args.startup_runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

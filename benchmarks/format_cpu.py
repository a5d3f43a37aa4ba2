"""Formatting speed as CPU time, tools interleaved: robust on a shared, overloaded machine.

``run.py`` reports wall time; when other processes saturate the cores (load average 10 on 2
cores), wall times swing 2-5x between consecutive runs of the same command. This script runs
every tool once per round, round-robin (so load hits all of them alike), several rounds, and
reports the median **CPU time** (user + system, from ``os.wait4``) of each whole process,
imports and style loading included for every tool (Python, node and pandoc alike), plus wall
time for the ``jobs=2`` comparison.

    python benchmarks/format_cpu.py --rounds 3
    python benchmarks/format_cpu.py --base /tmp/base   # also citekit from another checkout

``--base`` is a checkout (e.g. ``git archive bb2d60e | tar -x -C /tmp/base``) whose
``benchmarks/worker.py`` and ``src`` are used as "citekit (base)". The corpus and citation-js
come from ``run.py``'s cache (run it once first).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402  (benchmarks/run.py: corpus, tools)


def cpu(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """CPU seconds (user + system, including reaped children) and wall seconds of ``cmd``."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"failed: {' '.join(cmd)}: {err.read().decode()[-300:]}")
    return usage.ru_utime + usage.ru_stime, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--base", type=Path, help="another checkout to time as citekit (base)")
    parser.add_argument("--sizes", default="1k,2k,4k", help="citekit sizes (others: 1k)")
    args = parser.parse_args()
    pandoc = bench.find_pandoc()
    cjs = bench.install_citationjs()
    corpus = bench.build_corpora(pandoc)
    work = Path(tempfile.mkdtemp(prefix="citekit-cpu-"))
    envs = {
        "node": {**os.environ, "NODE_PATH": str(cjs) if cjs else ""},
        "new": {**os.environ, "PYTHONPATH": str(HERE.parent / "src")},
    }
    commands: dict[tuple[str, str, str], tuple[list[str], dict[str, str]]] = {}
    for style in ("apa", "ieee"):
        csl = str(bench.STYLES / f"{style}.csl")
        src = str(corpus / "1k.json")
        if cjs:
            cmd = ["node", str(HERE / "citationjs_bench.js"), "format", src, csl]
            commands[(style, "citation-js", "1k")] = (cmd, envs["node"])
        if pandoc:
            md = work / "nocite.md"
            md.write_text("---\nnocite: '@*'\n---\n", "utf-8")
            cmd = [pandoc, str(md), "--citeproc", "--bibliography", src, "--csl", csl]
            cmd += ["-t", "plain", "-o", str(work / "pandoc.txt")]
            commands[(style, "pandoc", "1k")] = (cmd, os.environ.copy())
        worker = [sys.executable, str(HERE / "worker.py")]
        commands[(style, "citeproc-py", "1k")] = (
            [*worker, "citeproc-py", "format", src, "--style", csl],
            envs["new"],
        )
        for size in args.sizes.split(","):
            data = str(corpus / f"{size}.json")
            commands[(style, "citekit", size)] = (
                [*worker, "citekit", "format", data, "--style", csl],
                envs["new"],
            )
        commands[(style, "citekit jobs=2", "1k")] = (
            [*worker, "citekit", "format", src, "--style", csl, "--jobs", "2"],
            envs["new"],
        )
        if args.base:
            base_env = {**os.environ, "PYTHONPATH": str(args.base / "src")}
            base_worker = [sys.executable, str(args.base / "benchmarks" / "worker.py")]
            commands[(style, "citekit (base)", "1k")] = (
                [*base_worker, "citekit", "format", src, "--style", csl],
                base_env,
            )
    samples: dict[tuple[str, str, str], list[tuple[float, float]]] = {k: [] for k in commands}
    for round_ in range(args.rounds):
        for key, (cmd, env) in commands.items():
            samples[key].append(cpu(cmd, env))
            print(f"round {round_ + 1} {key}: cpu {samples[key][-1][0]:.2f} s", file=sys.stderr)
    load = os.getloadavg()[0]
    print(f"\n## CPU time, median of {args.rounds} interleaved rounds (load {load:.1f} at end)\n")
    print("| style | tool | size | CPU s | wall s | CPU per 1,000 | tool ÷ citekit (CPU) |")
    print("|---|---|---|---|---|---|---|")
    for key, values in samples.items():
        style, tool, size = key
        cpu_s = statistics.median(v[0] for v in values)
        wall = statistics.median(v[1] for v in values)
        ours = statistics.median(v[0] for v in samples[(style, "citekit", "1k")])
        per = cpu_s / int(size.rstrip("k"))
        ratio = f"{cpu_s / ours:.2f}×" if size == "1k" and tool != "citekit" else ""
        print(f"| {style} | {tool} | {size} | {cpu_s:.2f} | {wall:.2f} | {per:.2f} | {ratio} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

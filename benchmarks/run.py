"""Benchmark citekit against pandoc 3, citation-js, raw citeproc-py and bare parsers.

Usage (from the repository root)::

    python benchmarks/run.py            # everything, 3 runs each, medians
    python benchmarks/run.py --quick    # 1 run, 1k and 10k only
    python benchmarks/run.py --jobs parse,startup --runs 5

Every measurement runs in a fresh process; its wall time (or in-process time where the tool
reports one), and its peak RSS from ``os.wait4``, are recorded. Reference tools that cannot
be found or installed are skipped with a message. See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared")).resolve()
PERF = SHARED / "corpora" / "perf"
STYLES = SHARED / "corpora" / "styles"
CACHE = Path(
    os.environ.get("CITEKIT_BENCH_CACHE", Path(tempfile.gettempdir()) / "citekit-bench")
).resolve()
NPM_PACKAGES = ("@citation-js/core", "@citation-js/plugin-bibtex", "@citation-js/plugin-csl")
ALL_JOBS = ("parse", "tobib", "format", "startup", "stream")
SMALL_BIB = """@article{doe2020,
  author = {Doe, Jane and M{\\"u}ller, J{\\"o}rg},
  title = {A Small Example},
  journal = {Journal of Examples},
  year = 2020, volume = 3, pages = {1--10},
}
@book{roe1999, author = {Roe, Richard}, title = {{The} Book}, publisher = {P}, year = 1999}
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- measuring
@dataclass
class Sample:
    seconds: float
    rss_mb: float
    count: int | None = None


@dataclass
class Result:
    job: str
    tool: str
    size: str
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    @property
    def seconds(self) -> float | None:
        return statistics.median(s.seconds for s in self.samples) if self.samples else None

    @property
    def rss_mb(self) -> float | None:
        return max(s.rss_mb for s in self.samples) if self.samples else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "job": self.job,
            "tool": self.tool,
            "size": self.size,
            "median_s": self.seconds,
            "peak_rss_mb": self.rss_mb,
            "runs": [s.__dict__ for s in self.samples],
            "error": self.error,
        }


def measure(
    cmd: list[str], *, env: dict[str, str] | None = None, timeout: float = 1800
) -> tuple[float, float, str, str, int]:
    """Run ``cmd``; return wall seconds, peak RSS (MB) of that process, stdout, stderr, status."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (
            wall,
            usage.ru_maxrss / 1024,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            proc.returncode,
        )


def run_tool(
    result: Result, cmd: list[str], runs: int, *, inproc: bool, env: dict[str, str] | None = None
) -> Result:
    """Fill ``result`` with ``runs`` samples of ``cmd`` (stops at the first failure)."""
    for _ in range(runs):
        wall, rss, stdout, stderr, status = measure(cmd, env=env)
        if status != 0:
            result.error = (stderr.strip().splitlines() or [f"exit {status}"])[-1][:200]
            log(f"    {result.tool} {result.job} {result.size}: FAILED: {result.error}")
            return result
        seconds, count = wall, None
        if inproc:
            data = json.loads(stdout.strip().splitlines()[-1])
            seconds, count = data["seconds"], data.get("count")
        result.samples.append(Sample(seconds, rss, count))
    log(
        f"    {result.tool:15} {result.job:12} {result.size:5} "
        f"{result.seconds:8.3f} s  {result.rss_mb:7.0f} MB"
    )
    return result


# --------------------------------------------------------------------------- the tools
def find_pandoc() -> str | None:
    try:
        import pypandoc

        path: str = pypandoc.get_pandoc_path()
        return path
    except (ImportError, OSError):
        return shutil.which("pandoc")


def install_citationjs() -> Path | None:
    """``node_modules`` with citation-js, installed with npm into the cache (once)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        log("skipping citation-js: node/npm not found")
        return None
    folder = CACHE / "citation-js"
    modules = folder / "node_modules"
    if all((modules / name / "package.json").exists() for name in NPM_PACKAGES):
        return modules
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "package.json").write_text('{"name": "citekit-bench", "private": true}\n')
    log("installing citation-js with npm …")
    proc = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", *NPM_PACKAGES],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        log(f"skipping citation-js: npm install failed: {proc.stderr.strip()[-300:]}")
        return None
    return modules


def citationjs_version(modules: Path) -> str:
    data = json.loads((modules / "@citation-js" / "core" / "package.json").read_text())
    return str(data["version"])


# --------------------------------------------------------------------------- corpora
def build_corpora(pandoc: str | None) -> Path:
    """Build the .bib sizes with ``build.py`` (cached) and CSL-JSON versions of them."""
    if not (PERF / "build.py").exists():
        raise SystemExit(f"{PERF} not found; set CITEKIT_SHARED to the shared folder")
    digest = hashlib.sha256((PERF / "build.py").read_bytes() + (PERF / "drop.txt").read_bytes())
    corpus = CACHE / f"corpus-{digest.hexdigest()[:12]}"
    if not (corpus / "full.bib").exists():
        log(f"building the corpus in {corpus} …")
        corpus.mkdir(parents=True, exist_ok=True)
        for name in ("build.py", "drop.txt"):
            shutil.copy(PERF / name, corpus / name)
        if not (corpus / "src").exists():
            shutil.copytree(PERF / "src", corpus / "src")
        subprocess.run([sys.executable, "build.py"], cwd=corpus, check=True)
    (corpus / "small.bib").write_text(SMALL_BIB, "utf-8")
    for size in ("1k", "2k", "4k", "10k", "full"):
        target = corpus / f"{size}.json"
        if target.exists():
            continue
        # The CSL-JSON inputs come from pandoc, a neutral third party (so every tool formats
        # the same items); without pandoc, citekit's own reader makes them.
        log(f"making {target.name} …")
        if pandoc:
            cmd = [pandoc, "-f", "bibtex", "-t", "csljson", str(corpus / f"{size}.bib")]
            cmd += ["-o", str(target)]
            subprocess.run(cmd, check=True)
        else:
            sys.path.insert(0, str(ROOT / "src"))
            import citekit

            citekit.write(citekit.read(corpus / f"{size}.bib"), target, format="csl-json")
    return corpus


def entries(corpus: Path, size: str) -> int:
    size = size.split("-j")[0]
    counts = {"100": 100, "1k": 1000, "2k": 2000, "4k": 4000, "10k": 10000}
    if size in counts:
        return counts[size]
    return len(json.loads((corpus / f"{size}.json").read_text("utf-8")))


# --------------------------------------------------------------------------- the jobs
class Bench:
    """Runs the selected jobs and collects :class:`Result` rows."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.runs: int = args.runs
        self.results: list[Result] = []
        self.pandoc = None if "pandoc" in args.skip else find_pandoc()
        if self.pandoc is None and "pandoc" not in args.skip:
            log("skipping pandoc: pypandoc-binary / pandoc not found")
        self.cjs = None if "citation-js" in args.skip else install_citationjs()
        self.corpus = build_corpora(self.pandoc)
        self.work = Path(tempfile.mkdtemp(prefix="citekit-bench-"))
        self.env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.node_env = {**os.environ, "NODE_PATH": str(self.cjs) if self.cjs else ""}

    def want(self, tool: str) -> bool:
        return tool not in self.args.skip

    def runs_for(self, size: str) -> int:
        """Big inputs run once unless --runs-big says otherwise (they take minutes)."""
        return self.args.runs_big if size.split("-j")[0] in ("full", "2k", "4k") else self.runs

    def py(self, tool: str, job: str, size: str, src: Path, **extra: str) -> None:
        if not self.want(tool):
            return
        variants = [(tool, HERE, self.env)]
        if self.args.baseline and tool.startswith("citekit"):
            # The same measurement with another checkout's code (before/after in one run).
            base = self.args.baseline
            env = {**os.environ, "PYTHONPATH": str(base / "src")}
            variants.append((f"{tool} (baseline)", base / "benchmarks", env))
        for name, bench_dir, env in variants:
            out = self.work / f"{tool}-{job}-{size}.out"
            cmd = [sys.executable, str(bench_dir / "worker.py"), tool, job.split("-")[0]]
            cmd += [str(src), "--out", str(out)]
            for key, value in extra.items():
                cmd += [f"--{key}", value]
            self.add(
                run_tool(Result(job, name, size), cmd, self.runs_for(size), inproc=True, env=env)
            )

    def add(self, result: Result) -> None:
        self.results.append(result)

    def sizes(self, *names: str) -> list[str]:
        return [s for s in names if not (self.args.quick and s in ("full", "2k", "4k"))]

    def job_parse(self) -> None:
        log(".bib → CSL-JSON")
        for size in self.sizes("1k", "10k", "full"):
            bib = self.corpus / f"{size}.bib"
            self.py("floor", "parse", size, bib)
            self.py("bibtexparser", "parse", size, bib)
            self.py("citekit-tokenizer", "parse", size, bib)
            self.py("citekit-syntax-bp", "parse", size, bib)
            self.py("citekit-syntax", "parse", size, bib)
            self.py("citekit-bp", "parse", size, bib)
            self.py("citekit-j1", "parse", size, bib)
            if self.cjs:
                cmd = ["node", str(HERE / "citationjs_bench.js"), "parse", str(bib)]
                self.add(
                    run_tool(
                        Result("parse", "citation-js", size),
                        cmd,
                        self.runs,
                        inproc=True,
                        env=self.node_env,
                    )
                )
            if self.pandoc:
                cmd = [self.pandoc, "-f", "bibtex", "-t", "csljson", str(bib)]
                cmd += ["-o", str(self.work / "pandoc.json")]
                self.add(
                    run_tool(
                        Result("parse", "pandoc", size), cmd, self.runs_for(size), inproc=False
                    )
                )
            self.py("citekit", "parse", size, bib)
            self.py("citekit-stream", "parse", size, bib)
            self.py("citekit-jobs2", "parse", size, bib)

    def job_tobib(self) -> None:
        log("CSL-JSON → .bib")
        for size in self.sizes("1k", "10k", "full"):
            src = self.corpus / f"{size}.json"
            if self.cjs:
                cmd = ["node", str(HERE / "citationjs_bench.js"), "tobib", str(src)]
                self.add(
                    run_tool(
                        Result("tobib", "citation-js", size),
                        cmd,
                        self.runs,
                        inproc=True,
                        env=self.node_env,
                    )
                )
            if self.pandoc:
                cmd = [self.pandoc, "-f", "csljson", "-t", "bibtex", str(src)]
                cmd += ["-o", str(self.work / "pandoc.bib")]
                self.add(
                    run_tool(
                        Result("tobib", "pandoc", size), cmd, self.runs_for(size), inproc=False
                    )
                )
            self.py("pybtex", "tobib", size, src)
            self.py("citekit", "tobib", size, src)
            self.py("citekit-stream", "tobib", size, src)
            if size != "1k":  # automatic jobs starts workers from 2,000 records; serial:
                self.py("citekit", "tobib", f"{size}-j1", src, jobs="1")
                self.py("citekit", "tobib", f"{size}-j2", src, jobs="2")

    def job_format(self) -> None:
        for style in ("apa", "ieee"):
            log(f"format {style} (text)")
            csl = STYLES / f"{style}.csl"
            job = f"format-{style}"
            for size in self.sizes("1k", "2k", "4k"):
                src = self.corpus / f"{size}.json"
                if self.cjs and size == "1k":
                    cmd = ["node", str(HERE / "citationjs_bench.js"), "format", str(src), str(csl)]
                    self.add(
                        run_tool(
                            Result(job, "citation-js", size),
                            cmd,
                            self.runs,
                            inproc=True,
                            env=self.node_env,
                        )
                    )
                if self.pandoc and size == "1k":
                    md = self.work / "nocite.md"
                    md.write_text("---\nnocite: '@*'\n---\n", "utf-8")
                    cmd = [self.pandoc, str(md), "--citeproc", "--bibliography", str(src)]
                    cmd += ["--csl", str(csl), "-t", "plain", "-o", str(self.work / "pandoc.txt")]
                    self.add(run_tool(Result(job, "pandoc", size), cmd, self.runs, inproc=False))
                if size == "1k":
                    self.py("citeproc-py", job, size, src, style=str(csl))
                self.py("citekit", job, size, src, style=str(csl))
                if self.args.workers > 1 and size == "1k":
                    self.py(
                        "citekit", job, f"{size}-j{self.args.workers}", src, style=str(csl),
                        jobs=str(self.args.workers),
                    )  # fmt: skip

    def job_startup(self) -> None:
        log("startup")
        runs = max(self.runs, 5) * 2
        small = self.corpus / "small.bib"
        convert = ["convert", str(small), "-t", "csl-json", "-o", str(self.work / "small.json")]
        commands = (
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("citekit --help", [sys.executable, "-m", "citekit", "--help"]),
            ("citekit convert small.bib", [sys.executable, "-m", "citekit", *convert]),
            (
                "citekit format small.bib --style apa",
                [sys.executable, "-m", "citekit", "format", str(small), "--style", "apa"],
            ),
        )
        # An installed package has its bytecode compiled (pip does it); a source checkout run
        # with PYTHONDONTWRITEBYTECODE=1 compiles every module on every start. Both are shown:
        # "(bytecode)" rows use a bytecode cache in the cache folder, warmed by one run.
        cached = {k: v for k, v in self.env.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
        for name, argv in commands:
            self.add(run_tool(Result("startup", name, "-"), argv, runs, inproc=False, env=self.env))
            if name != "python -c pass":
                measure(argv, env=cached)
                self.add(
                    run_tool(
                        Result("startup", f"{name} (bytecode)", "-"),
                        argv,
                        runs,
                        inproc=False,
                        env=cached,
                    )
                )

    def job_stream(self) -> None:
        log("streaming memory and the whole CLI job (wall time incl. startup)")
        # (job name, input suffix, output format): the last is CSL-JSON → BibTeX through the
        # CLI, the user's form of the `tobib` job.
        conversions = (
            ("cli→csl-json", "bib", "csl-json"),
            ("cli→bibtex", "bib", "bibtex"),
            ("cli json→bibtex", "json", "bibtex"),
        )
        for job, suffix, to in conversions:
            for size in self.sizes("1k", "10k", "full"):
                for tool, extra in (("citekit CLI", []), ("citekit CLI -j1", ["--jobs", "1"])):
                    out = self.work / f"stream.{'json' if to == 'csl-json' else 'bib'}"
                    cmd = [sys.executable, "-m", "citekit", "convert"]
                    cmd += [str(self.corpus / f"{size}.{suffix}"), "-t", to, "-o", str(out)]
                    self.add(
                        run_tool(
                            Result(job, tool, size),
                            [*cmd, *extra],
                            self.runs_for(size),
                            inproc=False,
                            env=self.env,
                        )
                    )


# --------------------------------------------------------------------------- reporting
def per_k(result: Result, corpus: Path) -> float | None:
    if result.seconds is None:
        return None
    if result.size == "-":
        return result.seconds
    return result.seconds / (entries(corpus, result.size) / 1000)


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def table(results: list[Result], corpus: Path) -> str:
    lines = [
        "| job | tool | size | median s | s per 1,000 | peak RSS MB | tool ÷ citekit |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        base = next(
            (
                b
                for b in results
                if b.job == r.job
                and b.size == r.size.split("-j")[0]
                and b.tool == "citekit"
                and b.seconds
            ),
            None,
        )
        ratio = f"{r.seconds / base.seconds:.2f}×" if base and r.seconds and base is not r else ""
        cell = "failed: " + r.error if r.error else fmt(r.seconds)
        lines.append(
            f"| {r.job} | {r.tool} | {r.size} | {cell} | {fmt(per_k(r, corpus))} "
            f"| {fmt(r.rss_mb, 0)} | {ratio} |"
        )
    return "\n".join(lines)


def find(results: list[Result], job: str, tool: str, size: str) -> Result | None:
    for r in results:
        if r.job == job and r.tool == tool and r.size == size and r.seconds:
            return r
    return None


def targets(results: list[Result], corpus: Path) -> str:
    """The issue's targets as ratios measured in this run."""
    rows = ["| target | measured | ok |", "|---|---|---|"]

    def ratio(job: str, ref: str, size: str, need: float, tool: str = "citekit") -> None:
        a, b = find(results, job, ref, size), find(results, job, tool, size)
        if a and b and a.seconds and b.seconds:
            got = a.seconds / b.seconds
            rows.append(
                f"| {job} {size}: {tool} ≥ {need}× faster than {ref} | {got:.2f}× "
                f"| {'yes' if got >= need else 'NO'} |"
            )
        else:
            rows.append(f"| {job} {size}: {tool} ≥ {need}× faster than {ref} | not measured | |")

    def cli_ratio(job: str, ref: str, cli_job: str, size: str, need: float) -> None:
        a, b = find(results, job, ref, size), find(results, cli_job, "citekit CLI", size)
        label = f"`citekit convert` ({cli_job}) {size} ≥ {need}× faster than {ref}"
        if a and b and a.seconds and b.seconds:
            got = a.seconds / b.seconds
            rows.append(f"| {label} | {got:.2f}× | {'yes' if got >= need else 'NO'} |")
        else:
            rows.append(f"| {label} | not measured | |")

    for size in ("10k", "full"):
        ratio("parse", "pandoc", size, 8)
        ratio("parse", "citation-js", size, 1.4)
        ratio("parse", "pandoc", size, 8, "citekit-stream")
        ratio("parse", "citation-js", size, 1.4, "citekit-stream")
        ratio("parse", "pandoc", size, 8, "citekit-jobs2")
        ratio("parse", "citation-js", size, 1.4, "citekit-jobs2")
        pandoc, ck = (
            find(results, "parse", "pandoc", size),
            find(results, "parse", "citekit-stream", size),
        )
        if pandoc and ck and pandoc.rss_mb and ck.rss_mb:
            got = ck.rss_mb / pandoc.rss_mb
            rows.append(
                f"| parse {size}: streamed peak RSS ≤ ¼ of pandoc's | {ck.rss_mb:.0f} MB vs "
                f"{pandoc.rss_mb:.0f} MB = {got:.2f} | {'yes' if got <= 0.25 else 'NO'} |"
            )
        # The whole user job: `citekit convert N.bib -t csl-json -o out.json`, wall time of the
        # process (start-up included, default --jobs) against pandoc's process and
        # citation-js's in-process time (which excludes node's start-up and `require`).
        cli_ratio("parse", "pandoc", "cli→csl-json", size, 8)
        cli_ratio("parse", "citation-js", "cli→csl-json", size, 1.4)
    for size in ("1k", "10k", "full"):
        ratio("tobib", "citation-js", size, 1.0)
        cli_ratio("tobib", "citation-js", "cli json→bibtex", size, 1.0)
        ratio("tobib", "citation-js", size, 1.0, "citekit-stream")
        ratio("tobib", "pandoc", size, 1.0)
    ratio("format-apa", "citation-js", "1k", 2)
    ratio("format-apa", "citeproc-py", "1k", 5)
    ratio("format-ieee", "pandoc", "1k", 1)
    for job, sizes in (
        ("parse", ("1k", "10k", "full")),
        ("format-apa", ("1k", "2k", "4k")),
        ("format-ieee", ("1k", "2k", "4k")),
    ):
        got = [find(results, job, "citekit", s) for s in sizes]
        if all(got):
            per = [per_k(r, corpus) or 0.0 for r in got if r]
            # Linear = the cost per 1,000 does not grow with the input (the smallest input
            # also carries the fixed costs: style loading, lazy imports, cold caches).
            linear = all(b <= 1.15 * a for a, b in itertools.pairwise(per))
            rows.append(
                f"| {job} linear (s per 1,000 not growing): at {'/'.join(sizes)} | "
                f"{' / '.join(fmt(p) for p in per)} | "
                f"{'yes' if linear else 'NO'} |"
            )
    for name in (
        "citekit --help",
        "citekit convert small.bib",
        "citekit --help (bytecode)",
        "citekit convert small.bib (bytecode)",
    ):
        r = find(results, "startup", name, "-")
        if r and r.seconds:
            rows.append(
                f"| startup `{name}` ≤ 0.15 s | {r.seconds:.3f} s "
                f"| {'yes' if r.seconds <= 0.15 else 'NO'} |"
            )
    for to, tool in itertools.product(("csl-json", "bibtex"), ("citekit CLI", "citekit CLI -j1")):
        got = [find(results, f"cli→{to}", tool, s) for s in ("1k", "10k", "full")]
        if all(got):
            rss = [r.rss_mb or 0 for r in got if r]
            rows.append(
                f"| `{tool.replace('citekit CLI', 'citekit convert')} big.bib -t {to}` peak RSS"
                " flat (1k/10k/full) | "
                f"{' / '.join(f'{x:.0f}' for x in rss)} MB | "
                f"{'yes' if max(rss) <= 1.5 * min(rss) else 'NO'} |"
            )
    return "\n".join(rows)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return (
        f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}, "
        f"load average {load[0]:.2f} at the end"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 run, 1k and 10k only")
    parser.add_argument("--runs", type=int, default=None, help="runs per measurement (3)")
    parser.add_argument(
        "--jobs", default=",".join(ALL_JOBS), help=f"comma-separated subset of {','.join(ALL_JOBS)}"
    )
    parser.add_argument(
        "--skip", default="", help="comma-separated tools to leave out (e.g. pandoc,citeproc-py)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="also time citekit's formatting with N worker processes (1: do not)",
    )
    parser.add_argument(
        "--runs-big", type=int, default=1, help="runs for the full/2k/4k inputs (1)"
    )
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of an earlier citekit (e.g. `git worktree add /tmp/base main`): "
        "its citekit rows are measured too, as 'citekit (baseline)', in the same run",
    )
    args = parser.parse_args(argv)
    args.runs = args.runs or (1 if args.quick else 3)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    bench = Bench(args)
    versions = [f"pandoc {'(skipped)' if not bench.pandoc else _pandoc_version(bench.pandoc)}"]
    if bench.cjs:
        versions.append(f"citation-js {citationjs_version(bench.cjs)}")
    log("tools: " + ", ".join(versions))
    for job in args.jobs.split(","):
        getattr(bench, f"job_{job.strip()}")()
    print(f"\n## Results ({machine()}; {args.runs} run(s), medians)\n")
    print("Tools: " + ", ".join(versions) + "\n")
    print(table(bench.results, bench.corpus))
    print("\n## Targets\n")
    print(targets(bench.results, bench.corpus))
    if args.json:
        args.json.write_text(
            json.dumps([r.as_dict() for r in bench.results], indent=2) + "\n", "utf-8"
        )
    shutil.rmtree(bench.work, ignore_errors=True)
    return 0


def _pandoc_version(pandoc: str) -> str:
    out = subprocess.run([pandoc, "--version"], capture_output=True, text=True).stdout
    return out.split("\n", 1)[0].split()[-1] if out else "?"


if __name__ == "__main__":
    raise SystemExit(main())

"""Differential check for the CSL-JSON → .bib writers: output hashes must not change.

``python benchmarks/tobib_check.py`` reads every ``.json`` file of ``../shared/corpora`` (or
``$CITEKIT_SHARED/corpora``) plus the benchmark's ``10k.json`` and ``full.json`` (from the
cache folder of ``run.py``, when built) as CSL-JSON and writes each with the four ``.bib``
profiles (``bibtex``, ``bibtex-utf8``, ``biblatex``, ``biblatex-ascii``), the streaming writer
(``convert_stream``, BibTeX and BibLaTeX), and for 10k/full also with ``jobs=2`` (forked
workers, which must give the serial hashes). The SHA-256 of
every output text and of the reader's and writer's diagnostics is compared with
``tobib_hashes.json`` (recorded from the code before the speed work with ``--record``, and
recorded again on 2026-11-25 after the deliberate output changes of issue 3 — carrier fields,
read-back-safe escaping, name spellings — were merged;
one combined hash per corpus file, every variant for 10k/full), so any changed output byte
is reported with the file (and, for 10k/full, the variant) it is in.

    python benchmarks/tobib_check.py            # compare (exit 1 on any difference)
    python benchmarks/tobib_check.py --record   # (re)record the hashes (only from trusted code)
    python benchmarks/tobib_check.py --quick    # corpora only, not 10k/full
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
HASHES = Path(__file__).with_name("tobib_hashes.json")
PROFILES = (
    ("bibtex", "bibtex"),
    ("bibtex", "bibtex-utf8"),
    ("biblatex", "biblatex"),
    ("biblatex", "biblatex-ascii"),
)


def _shared() -> Path:
    return Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared")) / "corpora"


def _bench_inputs() -> list[Path]:
    cache = Path(
        os.environ.get("CITEKIT_BENCH_CACHE", Path(tempfile.gettempdir()) / "citekit-bench")
    )
    found: list[Path] = []
    for name in ("10k.json", "full.json"):
        hits = sorted(cache.glob(f"corpus-*/{name}"))
        if hits:
            found.append(hits[-1])
    return found


def inputs(quick: bool) -> Iterator[tuple[str, Path]]:
    """``(name, path)`` of every input: corpus-relative names, ``bench/10k.json`` etc."""
    corpora = _shared()
    for path in sorted(corpora.rglob("*.json")):
        if "perf" in path.relative_to(corpora).parts:
            continue
        yield str(path.relative_to(corpora)), path
    if not quick:
        for path in _bench_inputs():
            yield f"bench/{path.name}", path


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _diags(items: list[Any]) -> str:
    return "\n".join(repr(d) for d in items)


def hashes_for(path: Path, *, workers: bool = False) -> dict[str, str]:
    """The hash of every output variant of one input file.

    With ``workers``, the BibTeX/BibLaTeX outputs are also written with ``jobs=2`` (forked
    workers) as variants ``<name>@jobs2``, which must hash like ``<name>``.
    """
    from citekit import api
    from citekit.errors import Diagnostics

    out: dict[str, str] = {}
    try:
        library = api.read(path, format="csl-json")
    except Exception as exc:  # recorded: a new exception is a difference
        return {"read": f"exception {type(exc).__name__}: {exc}"}
    out["read-diagnostics"] = _digest(_diags(library.diagnostics))
    for fmt, profile in PROFILES:
        diagnostics = Diagnostics()
        try:
            text = api.write_string(library, format=fmt, diagnostics=diagnostics, profile=profile)
        except Exception as exc:
            out[profile] = f"exception {type(exc).__name__}: {exc}"
            continue
        out[profile] = _digest(text)
        out[profile + "-diagnostics"] = _digest(_diags(diagnostics.items))
        if workers:
            diagnostics = Diagnostics()
            text = api.write_string(
                library, format=fmt, diagnostics=diagnostics, profile=profile, jobs=2
            )
            out[profile + "@jobs2"] = _digest(text)
            out[profile + "-diagnostics@jobs2"] = _digest(_diags(diagnostics.items))
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in ("bibtex", "biblatex"):
            target = Path(tmp) / f"out.{fmt}"
            try:
                result = api.convert_stream(path, target, from_format="csl-json", to_format=fmt)
            except Exception as exc:
                out["stream-" + fmt] = f"exception {type(exc).__name__}: {exc}"
                continue
            out["stream-" + fmt] = _digest(target.read_text("utf-8", "surrogatepass"))
            out["stream-" + fmt + "-diagnostics"] = _digest(_diags(result.diagnostics))
            if workers:
                options = {"jobs": 2}
                result = api.convert_stream(
                    path, target, from_format="csl-json", to_format=fmt, write_options=options
                )
                text = target.read_text("utf-8", "surrogatepass")
                out["stream-" + fmt + "@jobs2"] = _digest(text)
                out["stream-" + fmt + "-diagnostics@jobs2"] = _digest(_diags(result.diagnostics))
    return out


def compact(name: str, hashes: dict[str, str]) -> dict[str, str]:
    """What is stored for one input: every variant for 10k/full, one combined hash otherwise.

    The combined hash keeps ``tobib_hashes.json`` small; a difference in a corpus file is
    then reported for the file as a whole (``[all]``).
    """
    if name.startswith("bench/"):
        return hashes
    return {"all": _digest(json.dumps(hashes, sort_keys=True))}


def _dump(table: dict[str, dict[str, str]]) -> str:
    lines = [f"{json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in sorted(table.items())]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write tobib_hashes.json")
    parser.add_argument("--quick", action="store_true", help="corpora only (no 10k/full)")
    parser.add_argument("--bench-only", action="store_true", help="only 10k/full (with jobs=2)")
    args = parser.parse_args(argv)
    recorded: dict[str, dict[str, str]] = (
        json.loads(HASHES.read_text("utf-8")) if HASHES.exists() else {}
    )
    current: dict[str, dict[str, str]] = {}
    bad = 0
    t0 = time.perf_counter()
    for name, path in inputs(args.quick):
        if args.bench_only and not name.startswith("bench/"):
            continue
        got = hashes_for(path, workers=name.startswith("bench/"))
        current[name] = got = compact(name, got)
        if args.record:
            # the jobs=2 variants must equal the serial ones; only those are stored
            current[name] = {k: v for k, v in got.items() if "@" not in k}
            continue
        want = recorded.get(name)
        if want is None:
            print(f"?? {name}: no recorded hashes")
            continue
        for variant in sorted(set(want) | set(got)):
            if want.get(variant.split("@")[0]) != got.get(variant):
                bad += 1
                print(f"DIFF {name} [{variant}]: {want.get(variant)} -> {got.get(variant)}")
    if args.record:
        if args.quick or args.bench_only:
            current = {**recorded, **current}
        HASHES.write_text(_dump(current), "utf-8")
        print(f"recorded {len(current)} inputs in {HASHES.name}")
        return 0
    checked = sum(len(v) for v in current.values())
    print(
        f"{len(current)} inputs, {checked} outputs checked, {bad} differences "
        f"({time.perf_counter() - t0:.1f} s)"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

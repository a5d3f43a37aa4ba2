"""Differential check: formatted output must not change when the formatter is optimised.

Formats the benchmark corpus (``1k.json``, ``2k.json`` from ``run.py``'s cache) in APA, IEEE,
Chicago (author-date), Vancouver (``nlm-citation-sequence``) and Harvard (Cite Them Right) as
text (and the 1k inputs also as HTML, which exercises labels and markup), and compares the
SHA-256 of every output, and of its diagnostics, with ``format_identity.json``.

    python benchmarks/format_identity.py                 # check against format_identity.json
    python benchmarks/format_identity.py --jobs 2        # the same with jobs=2
    python benchmarks/format_identity.py --src /tmp/base/src --write  # record reference hashes

The reference hashes were written with the code of ``main`` at bb2d60e (before the
formatting speed work) via ``git archive bb2d60e src | tar -x -C /tmp/base``, and re-recorded
on branch ``disamb`` (disambiguation by names: APA, Chicago author-date and Cite Them Right
lose year suffixes that names now make unnecessary; see docs/formatting.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "format_identity.json"
STYLES = ("apa", "ieee", "chicago-author-date", "nlm-citation-sequence", "harvard-cite-them-right")
CASES = [(style, size, "text") for size in ("1k", "2k") for style in STYLES]
CASES += [(style, "1k", "html") for style in STYLES]


def corpus_dir() -> Path:
    """The benchmark corpus folder built by ``run.py`` (``$CITEKIT_BENCH_CACHE``)."""
    cache = Path(
        os.environ.get("CITEKIT_BENCH_CACHE", Path(tempfile.gettempdir()) / "citekit-bench")
    )
    found = sorted(p for p in cache.glob("corpus-*") if (p / "2k.json").exists())
    if not found:
        raise SystemExit(
            f"no corpus in {cache}: run `python benchmarks/run.py --jobs format` first"
        )
    return found[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=HERE.parent / "src", help="citekit source")
    parser.add_argument("--write", action="store_true", help="write the reference hashes")
    parser.add_argument("--jobs", type=int, default=None, help="format_bibliography(jobs=)")
    parser.add_argument("--dump", type=Path, help="also write every output into this folder")
    parser.add_argument("--only", default="", help="comma-separated styles to check")
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    import citekit

    corpus = corpus_dir()
    libraries = {size: citekit.read(corpus / f"{size}.json") for size in ("1k", "2k")}
    reference = json.loads(REFERENCE.read_text("utf-8")) if REFERENCE.exists() else {}
    only = {s for s in args.only.split(",") if s}
    hashes: dict[str, str] = {}
    failed = 0
    for style, size, output in CASES:
        if only and style not in only:
            continue
        name = f"{style}/{size}/{output}"
        t0 = time.perf_counter()
        result = citekit.format_bibliography(
            libraries[size], style=style, output=output, jobs=args.jobs
        )
        seconds = time.perf_counter() - t0
        text = str(result)
        diags = "\n".join(str(d) for d in result.diagnostics)
        digest = hashlib.sha256(text.encode()).hexdigest()
        digest += ":" + hashlib.sha256(diags.encode()).hexdigest()[:16]
        hashes[name] = digest
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            (args.dump / f"{style}-{size}.{output}").write_text(text + "\n--\n" + diags, "utf-8")
        status = "recorded"
        if not args.write:
            status = "same" if reference.get(name) == digest else "DIFFERENT"
            failed += status != "same"
        print(f"{name:45} {len(result.entries):5} entries {seconds:7.2f} s  {status}", flush=True)
    if args.write:
        reference.update(hashes)
        REFERENCE.write_text(json.dumps(reference, indent=2, sort_keys=True) + "\n", "utf-8")
        print(f"wrote {REFERENCE}")
        return 0
    print("all identical" if not failed else f"{failed} output(s) differ")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

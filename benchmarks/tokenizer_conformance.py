"""Tokenizer conformance on every .bib of the shared corpora, the large ones and perf full.bib.

Usage (from the repository root)::

    python benchmarks/tokenizer_conformance.py            # every corpus .bib + perf corpora
    python benchmarks/tokenizer_conformance.py a.bib b.bib

Runs the comparison of ``tests/syntax/_tokenizer_reference.py`` (bibtexparser's splitter and
the former reader against citekit's tokenizer and reader: blocks, entries, field locations,
extras, diagnostics) on each file and prints the counts. The test suite does the same on
files up to 400 kB; this script also covers the large files, which take minutes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "syntax"))

from _tokenizer_reference import Outcome, compare  # noqa: E402

SHARED = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared")).resolve()
CACHE = Path(
    os.environ.get("CITEKIT_BENCH_CACHE", Path(tempfile.gettempdir()) / "citekit-bench")
).resolve()


def default_files() -> list[Path]:
    files = sorted((SHARED / "corpora").rglob("*.bib"))
    files += sorted(CACHE.glob("corpus-*/full.bib"))[:1]
    return files


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or default_files()
    total = Outcome()
    failures = 0
    start = time.perf_counter()
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        try:
            compare(text, total)
        except AssertionError as error:
            failures += 1
            print(f"DIFFERENT {path}: {str(error)[:300]}")
    print(
        f"{len(files)} files, {len(files) - failures} identical; {total.blocks} blocks, "
        f"{total.entries} entries, {total.fields} fields, {total.diagnostics} diagnostics "
        f"compared; {total.mislocated} files whose reader results differ because the former "
        f"reader mislocated a block; {len(total.relocated)} field locations corrected "
        f"({time.perf_counter() - start:.0f} s)"
    )
    for item in total.relocated:
        print("  relocated", item)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

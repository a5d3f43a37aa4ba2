"""Real BibTeX as the judge over the corpora: .bbl agreement of the originals and their rewrites.

For every ``.bib`` of ``../shared/corpora/bib`` outside ``small/`` (the real-world files:
tugboat, iridia, plume-bib, biber-etc, cryptobib, the Better BibTeX exports, nerf), runs the
real ``bibtex`` with each style on the original and on citekit's BibTeX rewrite
(``\\citation{*}``) and compares the ``.bbl`` entries one by one (see
``tests/writers/bbl_judge.py`` for the normalisation). Styles: ``plain``, ``abbrvnat`` and
``IEEEtran`` (skipped, and said so, when ``kpsewhich IEEEtran.bst`` finds nothing: it ships
in TeX Live's ``texlive-publishers``).

Usage: ``PYTHONPATH=src:. python benchmarks/bbl_agreement.py [--json OUT] [FILE.bib ...]``.
Files whose original BibTeX run gives no entries (e.g. one iridia file whose @strings live in
another) are reported and left out of the figures.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import citekit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.writers.bbl_judge import bibtex_bbl, compare_bbl

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bib"


def _styles() -> list[str]:
    styles = ["plain", "abbrvnat"]
    found = (
        shutil.which("kpsewhich")
        and subprocess.run(
            ["kpsewhich", "IEEEtran.bst"], capture_output=True, text=True, check=False
        ).stdout.strip()
    )
    if found:
        styles.append("IEEEtran")
    else:
        print("IEEEtran.bst not installed (apt-get install texlive-publishers): skipped")
    return styles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    files = args.files or sorted(p for p in CORPUS.rglob("*.bib") if "small" not in p.parts)
    styles = _styles()
    totals: dict[str, collections.Counter[str]] = {s: collections.Counter() for s in styles}
    per_file: dict[str, dict[str, list[int]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for index, path in enumerate(files):
            text = path.read_text("utf-8", errors="replace")
            rewrite = citekit.write_string(
                citekit.read_string(text, format="bibtex"), format="bibtex"
            )
            name = path.relative_to(CORPUS).as_posix() if path.is_relative_to(CORPUS) else str(path)
            per_file[name] = {}
            for style in styles:
                work = Path(tmp) / f"{index}-{style}"
                original, _ = bibtex_bbl(text, style, work / "original")
                ours, _ = bibtex_bbl(rewrite, style, work / "rewrite")
                result = compare_bbl(original, ours)
                if result.total == 0:
                    continue
                counts = totals[style]
                counts["files"] += 1
                counts["entries"] += result.total
                counts["same"] += len(result.same)
                counts["missing"] += len(result.missing)
                per_file[name][style] = [len(result.same), result.total, len(result.missing)]
            shown = ", ".join(f"{s} {v[0]}/{v[1]}" for s, v in per_file[name].items())
            print(f"{name}: {shown or 'no entries from the original'}", flush=True)
    print()
    for style, counts in totals.items():
        share = counts["same"] / counts["entries"] if counts["entries"] else 1.0
        print(f"{style}: {counts['same']}/{counts['entries']} entries identical ({share:.2%}) "
              f"in {counts['files']} files, {counts['missing']} missing")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps({"totals": totals, "files": per_file}, indent=1), "utf-8")


if __name__ == "__main__":
    main()

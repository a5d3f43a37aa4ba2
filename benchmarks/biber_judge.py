"""Real biber as the judge: new warnings and ``.bbl`` agreement of citekit's BibLaTeX rewrites.

For every BibLaTeX file of ``../shared/corpora/bib/small`` (biblatex-examples.bib, the
typst-biblatex files and biber's test data) and every CSL-JSON file of
``../shared/corpora/csl-json``, runs pdflatex + biber (biblatex, ``\\nocite{*}``) on the
original (for ``.bib``) and on citekit's BibLaTeX rewrite, and reports the biber warnings the
rewrite adds and the entries whose ``.bbl`` fields are identical (see
``tests/writers/bbl_judge.py`` for the normalisation).

Usage: ``PYTHONPATH=src:. python benchmarks/biber_judge.py [--json OUT] [FILE ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import citekit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.writers.bbl_judge import biber_bbl, compare_bbl, have_tools

CORPORA = Path(os.environ.get("CITEKIT_SHARED", Path(__file__).resolve().parents[2] / "shared"))
CORPORA = CORPORA / "corpora"


def _inputs(paths: list[str]) -> list[Path]:
    if paths:
        return [Path(p) for p in paths]
    small = CORPORA / "bib" / "small"
    files = [small / "biblatex-examples.bib", *sorted((small / "typst-biblatex").rglob("*.bib"))]
    files += sorted((small / "biber-tdata").glob("*.bib"))
    files += sorted((CORPORA / "csl-json").rglob("*.json"))
    return [f for f in files if f.exists()]


def judge(path: Path, workdir: Path) -> dict[str, object]:
    """Biber on ``path`` (when ``.bib``) and on its BibLaTeX rewrite: new warnings, agreement."""
    is_bib = path.suffix == ".bib"
    library = citekit.read(path, format="biblatex" if is_bib else None)
    rewrite = citekit.write_string(library, format="biblatex")
    ours, after = biber_bbl(rewrite, workdir / "rewrite")
    before: list[str] = []
    row: dict[str, object] = {"file": str(path.relative_to(CORPORA)), "records": len(library)}
    if is_bib:
        original, before = biber_bbl(path.read_text("utf-8", errors="replace"), workdir / "orig")
        result = compare_bbl(original, ours, biber=True)
        row.update(total=result.total, same=len(result.same), missing=len(result.missing))
    row["new_warnings"] = sorted(set(after) - set(before))
    return row


def main(argv: list[str] | None = None) -> int:
    """Run the judge over the corpora and print per-file and total figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--json", help="write the per-file rows here")
    args = parser.parse_args(argv)
    if not have_tools("biber", "pdflatex"):
        print("biber/pdflatex not installed: nothing measured")
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for index, path in enumerate(_inputs(args.files)):
            row = judge(path, Path(tmp) / str(index))
            rows.append(row)
            agreement = ""
            if "total" in row:
                agreement = f", {row['same']}/{row['total']} .bbl entries identical"
            print(
                f"{row['file']}: {row['records']} records, "
                f"{len(row['new_warnings'])} new biber warnings" + agreement  # type: ignore[arg-type]
            )
            for warning in row["new_warnings"]:  # type: ignore[attr-defined]
                print(f"    {warning}")
    records = sum(int(r["records"]) for r in rows)  # type: ignore[call-overload]
    new = sum(len(r["new_warnings"]) for r in rows)  # type: ignore[arg-type]
    total = sum(int(r.get("total", 0)) for r in rows)  # type: ignore[call-overload]
    same = sum(int(r.get("same", 0)) for r in rows)  # type: ignore[call-overload]
    print(f"\n{len(rows)} files, {records} records: {new} new biber warnings; "
          f".bib files: {same}/{total} .bbl entries identical")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

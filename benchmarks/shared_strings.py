"""Count ``bibtex.undefined-macro`` diagnostics on the real corpora: files alone vs read together.

Many real bibliographies keep their ``@string`` macros in separate files that BibTeX reads
first (``\\bibliography{abbrev,refs}``). Read alone, each file reports every macro it uses as
undefined; read as one database (:func:`citekit.read_many`, ``citekit convert a.bib b.bib``),
they resolve as in BibTeX. Run from the repository root::

    PYTHONPATH=src python benchmarks/shared_strings.py [CORPORA_DIR]

The groups follow each project's documented ``\\bibliography`` order: plume-bib
(``bibstring-unabbrev``, topic files, ``crossrefs`` last), IRIDIA (``abbrev, journals, authors,
articles, biblio, crossref``) and biber's ``etc`` (``definitions, papers``); the other files of
``corpora/bib`` are single-file bibliographies and are counted alone both times.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import citekit

CODES = ("bibtex.undefined-macro", "bibtex.crossref-missing", "bibtex.xdata-missing")


def groups(bib: Path) -> dict[str, list[Path]]:
    """Each project's files in its ``\\bibliography`` order."""
    plume = bib / "plume-bib"
    alternates = {"bibstring-abbrev.bib", "bibstring-master.bib", "crossrefs-abbrev.bib"}
    topics = sorted(
        path
        for path in plume.glob("*.bib")
        if path.name not in alternates | {"bibstring-unabbrev.bib", "crossrefs.bib"}
    )
    iridia = bib / "iridia"
    order = ["abbrev", "journals", "authors", "articles", "biblio", "crossref"]
    found = {
        "plume-bib": [plume / "bibstring-unabbrev.bib", *topics, plume / "crossrefs.bib"],
        "iridia": [iridia / f"{name}.bib" for name in order],
        "biber-etc": [bib / "biber-etc" / "definitions.bib", bib / "biber-etc" / "papers.bib"],
    }
    grouped = {path for paths in found.values() for path in paths}
    singles = sorted(
        path
        for path in bib.rglob("*.bib")
        if path not in grouped
        and path.parent.name not in ("plume-bib", "iridia", "biber-etc")
        and path.parent.name != "small"
    )
    found["single files"] = singles
    return found


def count(diagnostics: list[citekit.Diagnostic]) -> Counter[str]:
    """How many diagnostics of each code in :data:`CODES`."""
    return Counter(d.code for d in diagnostics if d.code in CODES)


def main() -> int:
    """Print the table."""
    default = Path(os.environ.get("CITEKIT_SHARED", "../shared")) / "corpora"
    corpora = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    bib = corpora / "bib"
    if not bib.is_dir():
        print(f"no corpora at {corpora}", file=sys.stderr)
        return 2
    print(f"{'group':<14}{'files':>6}{'records':>9}  {'alone':>28}  {'together':>28}")
    totals = [Counter[str](), Counter[str]()]
    for name, paths in groups(bib).items():
        alone: Counter[str] = Counter()
        for path in paths:
            alone += count(citekit.read(path).diagnostics)
        if name == "single files":
            together, records = alone, sum(len(citekit.read(p)) for p in paths)
        else:
            library = citekit.read_many(paths)
            together, records = count(library.diagnostics), len(library)
        totals[0] += alone
        totals[1] += together

        def show(counter: Counter[str]) -> str:
            return ", ".join(f"{counter[c]} {c.split('.')[1]}" for c in CODES[:2])

        print(f"{name:<14}{len(paths):>6}{records:>9}  {show(alone):>28}  {show(together):>28}")
    print(
        f"{'total':<14}{'':>6}{'':>9}  {', '.join(f'{totals[0][c]}' for c in CODES[:2]):>28}  "
        f"{', '.join(f'{totals[1][c]}' for c in CODES[:2]):>28}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

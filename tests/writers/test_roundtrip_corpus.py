"""Round trip over every .bib and CSL-JSON file of ../shared/corpora: nothing may be lost.

``.bib`` files go bib → CSL-JSON → bib in their own dialect (BibLaTeX for the biblatex/biber/
typst test data, whose extended names and dates plain BibTeX cannot say; BibTeX for the rest).
CSL-JSON files go CSL-JSON → BibLaTeX → CSL-JSON and CSL-JSON → BibTeX → CSL-JSON: what a .bib
has no field for travels in ``entrysubtype`` and the ``csl-*`` carrier fields
(docs/writers.md). Every direction must come back with **no** semantic difference at all
(custom namespaces included): any lost, added or changed field fails (issue 3).
"""

import collections

import pytest

import citekit
from citekit.roundtrips import roundtrip_library

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

# Corpus folders of BibLaTeX test data (biber, biblatex, typst/biblatex): read and written as
# biblatex. Read as BibTeX, a dropping particle (``useprefix=false``) cannot be said in BibTeX.
_BIBLATEX = (
    "bib/small/biber-tdata/",
    "bib/small/biblatex-examples.bib",
    "bib/small/typst-biblatex/",
)


@pytest.mark.parametrize(
    ("subdir", "via"), [("bib", None), ("csl-json", "biblatex"), ("csl-json", "bibtex")]
)
def test_corpus_round_trip_loses_nothing(corpora_dir, subdir, via):
    pattern = "*.bib" if subdir == "bib" else "*.json"
    files = sorted((corpora_dir / subdir).rglob(pattern))
    assert files
    seen = set()
    counts = collections.Counter()
    records = 0
    for path in files:
        rel = path.relative_to(corpora_dir).as_posix()
        if subdir == "bib":
            source = "biblatex" if rel.startswith(_BIBLATEX) else "bibtex"
        else:
            source = "csl-json"
        library = citekit.read(path, format=source)
        result = roundtrip_library(library, source_format=source, via=via)
        records += result.records
        for diff in result.diffs:
            seen.add((rel, diff.key, diff.kind, diff.variable))
            counts[diff.kind] += 1
        for key in result.missing:
            seen.add((rel, key, "missing", "*"))
            counts["missing"] += 1
    print(f"{subdir} via {via}: {len(files)} files, {records} records, differences {dict(counts)}")
    assert not seen, f"{len(seen)} round-trip differences, e.g. {sorted(seen)[:10]}"

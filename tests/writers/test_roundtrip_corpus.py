"""Round trip over every .bib and CSL-JSON file of ../shared/corpora: nothing new may be lost.

``.bib`` files go bib → CSL-JSON → bib (the writer of their own dialect); every semantic
difference must be listed, with its reason, in ``tests/fixtures/writers/roundtrip-known.tsv``
(file, key, kind, variable, reason); a new one fails the test. Known differences that no longer
occur are printed so the list can shrink.

CSL-JSON files go CSL-JSON → BibLaTeX → CSL-JSON and CSL-JSON → BibTeX → CSL-JSON and must
lose nothing at all (custom namespaces included): what a .bib has no field for travels in
``entrysubtype`` and the ``csl-*`` carrier fields (docs/writers.md).
"""

import collections
import csv

import pytest

import citekit
from citekit.roundtrips import roundtrip_library

pytestmark = [pytest.mark.corpus, pytest.mark.slow]


def _known(fixtures_dir):
    path = fixtures_dir / "writers" / "roundtrip-known.tsv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.reader(handle, delimiter="\t") if row and row[0] != "file"]
    return {tuple(row[:4]): row[4] for row in rows}


@pytest.mark.parametrize(
    ("subdir", "via"), [("bib", None), ("csl-json", "biblatex"), ("csl-json", "bibtex")]
)
def test_corpus_round_trip_loses_nothing_new(corpora_dir, fixtures_dir, subdir, via):
    known = _known(fixtures_dir)
    pattern = "*.bib" if subdir == "bib" else "*.json"
    files = sorted((corpora_dir / subdir).rglob(pattern))
    assert files
    seen = set()
    counts = collections.Counter()
    records = 0
    for path in files:
        rel = path.relative_to(corpora_dir).as_posix()
        library = citekit.read(path)
        source = "bibtex" if subdir == "bib" else "csl-json"
        result = roundtrip_library(library, source_format=source, via=via)
        records += result.records
        for diff in result.diffs:
            seen.add((rel, diff.key, diff.kind, diff.variable))
            counts[diff.kind] += 1
        for key in result.missing:
            seen.add((rel, key, "missing", "*"))
            counts["missing"] += 1
    print(f"{subdir} via {via}: {len(files)} files, {records} records, differences {dict(counts)}")
    if subdir == "csl-json":
        assert not seen, f"{len(seen)} round-trip differences, e.g. {sorted(seen)[:10]}"
    gone = sorted(k for k in known if k[0].startswith(subdir + "/") and k not in seen)
    if gone:
        print(f"{len(gone)} known differences no longer occur, e.g. {gone[:3]}")
    new = sorted(k for k in seen if k not in known)
    assert not new, f"{len(new)} new round-trip differences, e.g. {new[:10]}"

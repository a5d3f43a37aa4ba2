"""Every ``.bib`` of ``../shared/corpora/bib`` reads without a crash, with MANIFEST's entry counts.

Prints (``pytest -s``) per file: records, diagnostics by code, fields sent to custom. The
iridia files are one database split in parts (``@string`` files + entry files), so they are
read together, macros first.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

from citekit.errors import Diagnostics
from citekit.readers.bibtex import read_text

pytestmark = pytest.mark.corpus

IRIDIA_ORDER = (
    "abbrev.bib", "authors.bib", "journals.bib", "articles.bib", "biblio.bib", "crossref.bib",
)  # fmt: skip


def _manifest(corpora: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in (corpora / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        columns = line.split("\t")
        if columns[0].startswith("bib/") and columns[0].endswith(".bib"):
            match = re.match(r"(\d+) entries", columns[6])
            counts[columns[0]] = int(match.group(1)) if match else 0
    return counts


def _inputs(corpora: Path) -> list[tuple[str, str, int]]:
    """(name, text, expected entry count) per input; iridia concatenated."""
    manifest = _manifest(corpora)
    inputs = []
    for path in sorted((corpora / "bib").rglob("*.bib")):
        rel = path.relative_to(corpora).as_posix()
        if "/iridia/" in rel:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        inputs.append((rel, text, manifest[rel]))
    iridia = corpora / "bib" / "iridia"
    if iridia.is_dir():
        parts = [(iridia / name).read_text(encoding="utf-8") for name in IRIDIA_ORDER]
        expected = sum(manifest[f"bib/iridia/{name}"] for name in IRIDIA_ORDER)
        inputs.append(("bib/iridia/(combined)", "\n".join(parts), expected))
    return inputs


def test_every_corpus_file_reads(corpora_dir: Path) -> None:
    totals: collections.Counter[str] = collections.Counter()
    custom_fields: collections.Counter[str] = collections.Counter()
    records = 0
    mismatches = []
    for name, text, expected in _inputs(corpora_dir):
        sink = Diagnostics()
        library = read_text(text, source=name, diagnostics=sink)
        records += len(library)
        if len(library) != expected:
            mismatches.append((name, len(library), expected))
        codes = collections.Counter(d.code for d in sink)
        totals.update(codes)
        for record in library:
            custom_fields.update(list(record["custom"]["bibtex"]["fields"]))
        print(f"{name}: {len(library)} records, {sum(codes.values())} diagnostics {dict(codes)}")
    print(f"TOTAL records: {records}")
    print(f"diagnostics by code: {dict(totals.most_common())}")
    print(f"fields sent to custom (top 40): {dict(custom_fields.most_common(40))}")
    assert not mismatches
    assert records > 20_000

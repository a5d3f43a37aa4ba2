"""Entries written in worker processes are byte-identical to the serial writer's, in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import citekit
from citekit._parallel import fork_available
from citekit.api import write_stream
from citekit.errors import Diagnostics
from citekit.mapping.report import ConversionReport

pytestmark = pytest.mark.skipif(not fork_available(), reason="no safe fork here")


def records(n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(n):
        out.append(
            {
                "id": f"k{i}" if i % 97 else f"bad key {i}",  # some unsafe keys
                "type": ("article-journal", "book", "chapter", "thesis")[i % 4],
                "title": f"Über DNA {i} & <i>Ärger</i>",
                "container-title": f"Journal {i % 13}",
                "author": [{"family": f"Müller{i % 11}", "given": "Jürgen"}],
                "issued": {"date-parts": [[2000 + i % 20, 1 + i % 12]]},
            }
        )
    out[700] = {"type": "book", "title": "anonymous", "author": [{"family": "Müller1"}]}
    return out


def library(n: int) -> citekit.Library:
    lib = citekit.Library()
    for index, record in enumerate(records(n)):
        lib.add(record, citekit.SourceLocation("in.json", index + 2, 3))
    return lib


@pytest.mark.parametrize("fmt", ["bibtex", "biblatex"])
def test_jobs_give_the_serial_output_and_diagnostics(fmt: str) -> None:
    lib = library(2601)
    serial, parallel = Diagnostics(), Diagnostics()
    expected = citekit.write_string(lib, format=fmt, diagnostics=serial, jobs=1)
    assert citekit.write_string(lib, format=fmt, diagnostics=parallel, jobs=2) == expected
    assert parallel.items == serial.items
    assert {d.code for d in serial.items} == {f"{fmt}.unsafe-key", f"{fmt}.generated-key"}
    # automatic: 2,600 records are enough to start workers; the output does not change
    assert citekit.write_string(lib, format=fmt) == expected


def test_a_report_keeps_the_serial_path() -> None:
    lib = library(2100)
    report = ConversionReport("bibtex")
    text = citekit.write_string(lib, format="bibtex", jobs=2, report=report)
    assert text == citekit.write_string(lib, format="bibtex", jobs=1)
    assert len(report.entries) == 2100


@pytest.mark.parametrize("jobs", [None, 2])
def test_streamed_batches_in_workers_equal_the_library_path(tmp_path: Path, jobs: Any) -> None:
    lib = library(2601)
    expected = citekit.write_string(lib, format="bibtex", jobs=1)
    pairs = zip(lib.records, lib.locations, strict=True)
    count = write_stream(
        (record for record, _ in pairs), tmp_path / "out.bib", format="bibtex", jobs=jobs
    )
    assert count == 2601
    assert (tmp_path / "out.bib").read_text("utf-8") == expected

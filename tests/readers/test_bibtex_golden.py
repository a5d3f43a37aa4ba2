"""Golden fixtures: ``tests/fixtures/{bibtex,biblatex}/<case>.bib`` → ``<case>.csl.json``.

Each case also has ``<case>.diagnostics`` (one ``line:column severity code [key] field`` per
line). Regenerate after a reviewed change with ``CITEKIT_REGEN=1 pytest tests/readers``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from citekit.errors import Diagnostics
from citekit.readers.bibtex import read_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CASES = sorted((FIXTURES / "bibtex").glob("*.bib")) + sorted((FIXTURES / "biblatex").glob("*.bib"))


def _diagnostic_lines(sink: Diagnostics) -> str:
    return "".join(
        f"{d.line}:{d.column} {d.severity.value} {d.code} [{d.key}] {d.field}\n" for d in sink
    )


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden(path: Path) -> None:
    sink = Diagnostics()
    library = read_text(
        path.read_text(encoding="utf-8"), source=path.name, diagnostics=sink,
        dialect=path.parent.name,
    )  # fmt: skip
    actual = json.dumps(library.records, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    diagnostics = _diagnostic_lines(sink)
    expected_path = path.with_suffix(".csl.json")
    diagnostics_path = path.with_suffix(".diagnostics")
    if os.environ.get("CITEKIT_REGEN"):
        expected_path.write_text(actual, encoding="utf-8")
        diagnostics_path.write_text(diagnostics, encoding="utf-8")
    assert actual == expected_path.read_text(encoding="utf-8")
    assert diagnostics == diagnostics_path.read_text(encoding="utf-8")

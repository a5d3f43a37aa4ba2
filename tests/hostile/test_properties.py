"""Round trips are idempotent after the first pass (Hypothesis, seeded profile for CI)."""

from __future__ import annotations

import json
from typing import Any

import bibtexparser
from hypothesis import HealthCheck, given, settings
from tests.strategies import bib_file, csl_records

import citekit

PROFILE = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def _csl_to_bib_to_csl(records: list[dict[str, Any]], dialect: str) -> list[dict[str, Any]]:
    library = citekit.read_string(json.dumps(records), format="csl-json")
    text = citekit.write_string(library, format=dialect)
    back = citekit.read_string(text, format=dialect)
    assert not [d for d in back.diagnostics if d.severity == "error"], text
    return back.records


def _strip_custom(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "custom"} for r in records]


@PROFILE
@given(csl_records())
def test_csl_bibtex_csl_idempotent(records: list[dict[str, Any]]) -> None:
    once = _csl_to_bib_to_csl(records, "bibtex")
    twice = _csl_to_bib_to_csl(once, "bibtex")
    assert twice == once
    assert [r["id"] for r in once] == [r["id"] for r in records]


@PROFILE
@given(csl_records())
def test_csl_biblatex_csl_idempotent(records: list[dict[str, Any]]) -> None:
    once = _csl_to_bib_to_csl(records, "biblatex")
    twice = _csl_to_bib_to_csl(once, "biblatex")
    assert twice == once
    assert [r["id"] for r in once] == [r["id"] for r in records]


def _bib_to_csl_to_bib(text: str, dialect: str) -> str:
    library = citekit.read_string(text, format=dialect)
    csl = citekit.write_string(library, format="csl-json")
    back = citekit.read_string(csl, format="csl-json")
    return citekit.write_string(back, format=dialect)


def _entries(text: str) -> list[tuple[str, str, dict[str, str]]]:
    """Key, type and fields of each entry; field order is not compared (see docs/hostile.md)."""
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks, text
    return [(e.key, e.entry_type, {f.key: str(f.value) for f in e.fields}) for e in parsed.entries]


@PROFILE
@given(bib_file())
def test_bibtex_csl_bibtex_idempotent(text: str) -> None:
    once = _bib_to_csl_to_bib(text, "bibtex")
    assert _entries(_bib_to_csl_to_bib(once, "bibtex")) == _entries(once)


@PROFILE
@given(bib_file())
def test_biblatex_csl_biblatex_idempotent(text: str) -> None:
    once = _bib_to_csl_to_bib(text, "biblatex")
    assert _entries(_bib_to_csl_to_bib(once, "biblatex")) == _entries(once)

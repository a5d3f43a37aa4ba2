"""Shortcuts of ``entry_to_csl`` (issue 7) against the general path they skip.

``read_carriers`` runs only for entries whose ``_apply_rules`` saw a ``csl-*`` carrier; with
the flag forced on for every entry the records must be the same.
"""

from __future__ import annotations

import pytest

from citekit.mapping import bib_to_csl
from citekit.mapping.bib_to_csl import MapContext, entry_to_csl

ENTRIES = [
    {"title": "T", "year": "2020"},
    {"title": "T", "csl-issued": "2020-05", "csl-type": "dataset"},
    {"title": "T", "csl-foo": "x", "csl-note": "N", "note": "M"},
    {"csl-custom": '{"a": {"b": 1}}', "csl-categories": '["x"]', "author": "Doe, J."},
    {"csl-author": '[{"family": "Doe"}]', "csl-issued": "not a date"},
    {"Csl-note": "case", "CSL-title": "T"},
]


def _map(fields: dict[str, str]) -> tuple[object, list[tuple[str, str, str | None]]]:
    problems: list[tuple[str, str, str | None]] = []

    def report(code: str, message: str, field: str | None) -> None:
        problems.append((code, message, field))

    ctx = MapContext(lambda field, value, mode: value.strip(), report)
    return entry_to_csl("article", "k", fields, {}, ctx), problems


@pytest.mark.parametrize("fields", ENTRIES)
def test_carriers_read_only_when_present(
    fields: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _map(fields)
    rules = bib_to_csl._apply_rules

    def always(state: bib_to_csl.MapState) -> bool:
        rules(state)
        return True

    monkeypatch.setattr(bib_to_csl, "_apply_rules", always)
    assert _map(fields) == fast

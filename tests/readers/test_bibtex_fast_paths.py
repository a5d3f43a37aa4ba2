"""The .bib reader's fast paths (issue 7) give exactly what the general paths give.

Each fast path is switched off in turn (plain names, Unicode names, plain values without a
decode cache, normalisation of already clean names and dates) and the whole reader output —
records, diagnostics, locations — is compared on every ``.bib`` file of the corpora.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from citekit import api
from citekit.mapping import names as names_module
from citekit.model import normalize as normalize_module
from citekit.readers import bibtex as reader


def _snapshot(path: Path, **options: object) -> str:
    library = api.read(path, jobs=1, **options)
    return json.dumps(
        [
            library.records,
            [str(d) for d in library.diagnostics],
            [repr(x) for x in library.locations],
        ],
        ensure_ascii=False,
    )


def _general(monkeypatch: pytest.MonkeyPatch) -> None:
    def none(*_: object) -> None:
        return None

    monkeypatch.setattr(names_module, "plain_name", none)
    monkeypatch.setattr(names_module, "_PLAIN_NAME", re.compile("(?!)"))  # matches nothing
    monkeypatch.setattr(reader, "plain_name", none)
    monkeypatch.setattr(names_module, "unicode_name", none)
    monkeypatch.setattr(reader, "plain_text", none)
    monkeypatch.setattr(normalize_module, "_plain_names", none)
    monkeypatch.setattr(normalize_module, "_plain_date", none)


@pytest.mark.corpus
def test_fast_paths_equal_general_paths_on_corpora(
    corpora_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = sorted(corpora_dir.rglob("*.bib"))
    assert len(files) > 100
    options: list[dict[str, object]] = [{}, {"dialect": "biblatex"}]
    runs = [(f, n % 4 == 0) for n, f in enumerate(files)]  # every 4th file in biblatex too
    fast = {
        (f, i): _snapshot(f, **options[i]) for f, both in runs for i in ((0, 1) if both else (0,))
    }
    _general(monkeypatch)
    records = 0
    for (path, index), expected in fast.items():
        assert _snapshot(path, **options[index]) == expected, path
        records += expected.count('"id":')
    assert records > 10_000


def test_fast_paths_equal_general_paths_on_damaged_names(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (
        "@article{a, author = {Doe, Jane and Jane Doe and van Berg, J. and {WHO} and "
        r"M{\"u}ller, K. and Doe,Jane and  Doe ,  Jane and O'Neil, P. and Smith-Jones, A.-B. "
        "and others}, title = {A  plain\n title}, year = 2020, month = may, day = 31}\n"
        r"@book{b, editor = {Doe, Jr, J. and de la Fontaine, Jean}, title = {T\'e},"
        " date = {2020-13}}"
    )
    fast = api.read_string(text, format="bibtex")
    _general(monkeypatch)
    general = api.read_string(text, format="bibtex")
    assert fast.records == general.records
    assert [str(d) for d in fast.diagnostics] == [str(d) for d in general.diagnostics]


def test_bibstring_keys_in_text_fields() -> None:
    """biblatex localisation keys become their words; longer values are decoded as text."""
    text = (
        "@article{a, title = {T}, pubstate = {  InPress }, note = {inpreparation},"
        " series = {newseries and more}}"
    )
    record = api.read_string(text, format="biblatex").records[0]
    assert record["status"] == "in press"
    assert record["note"] == "in preparation"
    assert record["collection-title"] == "newseries and more"

"""The planned rule loop (records without ``custom["bibtex"]``) writes what the general loop does.

``record_to_entry`` runs the general loop when it fills a report, and the per-shape plan of
:mod:`citekit.mapping.csl_to_bib_rules` otherwise; both must give the same entry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from citekit import api
from citekit.errors import Diagnostics
from citekit.mapping.bib_profiles import PROFILES
from citekit.mapping.csl_to_bib import record_to_entry
from citekit.mapping.csl_to_bib_rules import value_text
from citekit.mapping.csl_to_bib_tables import BIBLATEX_FIELDS, BIBTEX_FIELDS, FieldRule
from citekit.mapping.report import EntryReport
from citekit.model import ITEM_TYPES, normalize_record
from citekit.model.variables import (
    DATE_VARIABLES,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    STRING_VARIABLES,
)
from citekit.syntax.latex_encoder import Encoder

_TEXT = st.text(alphabet="aZé -–&$\\{}<>i/:.1", max_size=12)
_NAME = st.fixed_dictionaries(
    {"family": st.sampled_from(["Smith", "van Dyke", "Le Roux", "Ó Briain"])},
    optional={
        "given": st.sampled_from(["Jo", "A. B."]),
        "dropping-particle": st.just("de"),
        "suffix": st.just("Jr."),
    },
)
_DATE = st.one_of(
    st.lists(st.integers(1, 12), min_size=1, max_size=3).map(
        lambda parts: {"date-parts": [[2000 + parts[0], *parts[1:]]]}
    ),
    st.just({"date-parts": [[2001], [2003]]}),
    st.just({"literal": "Spring 2001"}),
    st.just({"raw": "2020-05-01/2020-06"}),
)
_GENRE = st.sampled_from(["PhD thesis", "Master's thesis", "Bachelor's thesis", "Report"])


def _value(variable: str) -> st.SearchStrategy[Any]:
    if variable in NAME_VARIABLES:
        return st.one_of(st.lists(_NAME, min_size=1, max_size=3), st.just("not a list"))
    if variable in DATE_VARIABLES:
        return st.one_of(_DATE, st.just("2020"))
    if variable == "genre":
        return st.one_of(_GENRE, _TEXT)
    if variable in ("number", "URL", "DOI"):
        return st.sampled_from(["arXiv:2001.01234", "https://arxiv.org/abs/2001.01234", "12"])
    if variable in NUMBER_VARIABLES:
        return st.one_of(st.integers(1, 12), st.sampled_from(["2", "1-10", "3rd"]))
    return _TEXT


_ALL_RULES = (
    [r for r in BIBTEX_FIELDS if r.kind not in ("names", "date", "edition")],
    [r for r in BIBLATEX_FIELDS if r.kind not in ("names", "date", "edition")],
)
_VARIABLES = sorted(NAME_VARIABLES | DATE_VARIABLES | NUMBER_VARIABLES | STRING_VARIABLES)


@st.composite
def _records(draw: st.DrawFn) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(_VARIABLES), max_size=12, unique=True))
    record: dict[str, Any] = {"id": "k", "type": draw(st.sampled_from(sorted(ITEM_TYPES)))}
    for variable in chosen:
        record[variable] = draw(_value(variable))
    normalised = normalize_record(record, Diagnostics())  # what the writer is given
    assert normalised is not None
    return normalised


def _fields(record: dict[str, Any], profile: str, ascii: bool, report: bool) -> Any:
    entry = record_to_entry(
        record,
        PROFILES[profile],
        key="k",
        enc=Encoder(ascii=ascii),
        report=EntryReport("k", "", "") if report else None,
    )
    return entry.type, entry.key, [(f.name, f.value, f.raw) for f in entry.fields]


@given(_records(), st.sampled_from(sorted(PROFILES)), st.booleans())
@example(  # booktitle → maintitle for the series of a @movie; dropped fields
    {"id": "k", "type": "motion_picture", "container-title": "X", "collection-title": "S"},
    "biblatex",
    True,
)
@example({"id": "k", "type": "pamphlet", "publisher": "P", "title": "T"}, "bibtex", True)
@example({"id": "k", "type": "thesis", "genre": "PhD thesis", "publisher": "U"}, "biblatex", True)
@example({"id": "k", "type": "article", "number": "arXiv:2001.01234"}, "bibtex", True)
@settings(max_examples=600, deadline=None)
def test_planned_loop_equals_general_loop(
    record: dict[str, Any], profile: str, ascii: bool
) -> None:
    assert _fields(record, profile, ascii, False) == _fields(record, profile, ascii, True)


@pytest.mark.corpus
def test_planned_loop_equals_general_loop_on_corpora(corpora_dir: Path) -> None:
    checked = 0
    for path in sorted(corpora_dir.rglob("*.json")):
        if "perf" in path.relative_to(corpora_dir).parts:
            continue
        records = api.read(path, format="csl-json").records  # normalised, as the writer gets
        for record in records[:300]:
            if "custom" in record:
                continue
            for profile in sorted(PROFILES):
                assert _fields(record, profile, True, False) == _fields(
                    record, profile, True, True
                ), (path.name, record.get("id"))
                checked += 1
    assert checked > 100


@given(
    st.sampled_from(sorted({rule for rules in _ALL_RULES for rule in rules}, key=repr)),
    st.from_regex(r"[0-9]{1,6}", fullmatch=True),
    st.booleans(),
    st.sampled_from([False, True, "logos"]),
)
@settings(max_examples=300, deadline=None)
def test_ascii_digits_are_written_as_they_are(
    rule: FieldRule, digits: str, ascii: bool, protect: bool | str
) -> None:
    # planned_loop writes ASCII digits without value_text: every text-like rule keeps them.
    for dialect in ("bibtex", "biblatex"):
        enc = Encoder(ascii=ascii).literal()
        assert value_text(rule, digits, enc, protect, dialect) == digits

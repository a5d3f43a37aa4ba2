"""Shortcuts of the CSL → bib mapping for the usual record equal the general code."""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from citekit.mapping import csl_to_bib, csl_to_bib_carry
from citekit.mapping.bib_entry import BibEntry, EntryBuilder
from citekit.mapping.bib_profiles import PROFILES
from citekit.mapping.report import EntryReport
from citekit.syntax.latex_encoder import Encoder

_IDS = st.sampled_from(
    [
        "2001.01234",
        "arXiv:2001.01234",
        "ARXIV:2001.01234v2",
        " arXiv:hep-th/9901001 ",
        "https://arxiv.org/abs/2001.01234",
        "http://arxiv.org/abs/math.GT/0309136",
        "https://arxiv.org/pdf/2001.01234",
        "10.48550/arXiv.2001.01234",
        "10.48550/ARXIV.2001.01234",
        "10.1000/xyz",
        "",
    ]
)
_VALUES = st.one_of(_IDS, st.none(), st.integers(0, 5), st.lists(_IDS, max_size=1))


@given(
    st.fixed_dictionaries(
        {"type": st.sampled_from(["article", "report", "book"])},
        optional={"number": _VALUES, "URL": _VALUES, "DOI": _VALUES, "title": _IDS},
    )
)
@example({"type": "article", "DOI": "10.48550/arxİv.2001.01234"})
@settings(max_examples=500, deadline=None)
def test_arxiv_shortcut_equals_the_search(record: dict[str, Any]) -> None:
    assert csl_to_bib._arxiv_id(record, {}) == csl_to_bib._arxiv_search(record)


_VARIABLES = st.sampled_from(["id", "type", "title", "note", "language", "author", "custom"])


def _builder() -> EntryBuilder:
    return EntryBuilder(BibEntry("misc", "k"), None, Encoder())


@given(
    st.lists(_VARIABLES, unique=True),
    st.lists(_VARIABLES, unique=True),
    st.sampled_from(sorted(PROFILES)),
)
@example(["id", "type", "note"], ["note"], "bibtex")
@example(["id", "type", "note"], [], "bibtex")
@settings(max_examples=300, deadline=None)
def test_carry_shortcut_equals_the_loop(
    variables: list[str], used: list[str], profile: str
) -> None:
    values: dict[str, Any] = {
        "author": [{"family": "Smith"}],
        "custom": {"x": {"y": 1}},
        "type": "book",
    }
    record = {v: values.get(v, "text " + v) for v in variables}
    fast, slow = _builder(), _builder()
    csl_to_bib_carry.carry_variables(fast, record, set(used), {}, PROFILES[profile])
    csl_to_bib_carry._carry_rest(slow, record, set(used), {}, PROFILES[profile])
    assert [(f.name, f.value) for f in fast.entry.fields] == [
        (f.name, f.value) for f in slow.entry.fields
    ]


def test_shape_cache_keys_on_type_and_genre() -> None:
    # The genre chooses a thesis's entry type; the type is read as text (1 == True as keys).
    enc = Encoder()
    for profile in (PROFILES["bibtex"], PROFILES["biblatex"]):
        for record in (
            {"id": "k", "type": 1, "genre": 1, "title": "T"},
            {"id": "k", "type": True, "genre": True, "title": "T"},
            {"id": "k", "type": "thesis", "genre": "Master's thesis", "title": "T"},
            {"id": "k", "type": "thesis", "genre": "PhD thesis", "title": "T"},
        ):
            fast = csl_to_bib.record_to_entry(record, profile, key="k", enc=enc)
            slow = csl_to_bib.record_to_entry(
                record, profile, key="k", enc=enc, report=EntryReport("k", "", "")
            )
            assert (fast.type, fast.fields) == (slow.type, slow.fields)

from __future__ import annotations

from typing import Any

from citekit.checks import REQUIRED_BIBLATEX, REQUIRED_BIBTEX, check_library
from citekit.model import Library, SourceLocation


def _lib(*records: dict[str, Any]) -> Library:
    library = Library()
    for line, record in enumerate(records, start=1):
        library.add(record, SourceLocation("refs.bib", line * 10, 1))
    return library


def _codes(library: Library) -> list[tuple[str, str | None, str | None]]:
    return [(d.code, d.key, d.field) for d in check_library(library)]


def _bib(kind: str, **fields: str) -> dict[str, Any]:
    return {"type": kind, "key": "k", "fields": fields}


def test_required_fields_from_the_bibtex_type():
    record = {
        "id": "k",
        "type": "chapter",
        "title": "T",
        "author": [{"family": "A"}],
        "custom": {"bibtex": _bib("incollection")},
    }
    found = check_library(_lib(record))
    assert [(d.code, d.field) for d in found] == [
        ("check.missing-required", "booktitle"),
        ("check.missing-required", "publisher"),
        ("check.missing-required", "year"),
    ]
    assert found[0].message == "@incollection requires booktitle"
    assert str(found[0]).startswith("refs.bib:10:1: warning: @incollection requires booktitle [k]")


def test_raw_bib_fields_satisfy_requirements():
    record = {
        "id": "k",
        "type": "thesis",
        "title": "T",
        "author": [{"family": "A"}],
        "issued": {"date-parts": [[2000]]},
        "custom": {"bibtex": _bib("thesis", Institution="MIT", type="phdthesis")},
    }
    assert _codes(_lib(record)) == []


def test_biblatex_only_type_uses_biblatex_table():
    record = {"id": "w", "type": "webpage", "title": "T", "custom": {"bibtex": _bib("online")}}
    fields = [f for _, _, f in _codes(_lib(record))]
    assert fields == ["author/editor", "year/date", "doi/eprint/url"]
    assert set(REQUIRED_BIBTEX) & set(REQUIRED_BIBLATEX) >= {"article", "book", "misc"}


def test_csl_type_table_for_non_bib_records():
    record = {"id": "p", "type": "paper-conference", "title": "T", "author": [{"family": "A"}]}
    assert [f for _, _, f in _codes(_lib(record))] == ["container-title", "issued"]
    assert _codes(_lib({"id": "x", "type": "software", "title": "T"})) == []


def test_duplicates_doi_arxiv_title():
    a = {
        "id": "a",
        "type": "article",
        "title": "Segment Anything!",
        "DOI": "10.48550/arXiv.2304.02643",
        "author": [{"family": "K"}],
        "issued": {"date-parts": [[2023]]},
    }
    b = {
        "id": "b",
        "type": "article",
        "title": "segment   anything",
        "URL": "https://arxiv.org/abs/2304.02643v2",
        "DOI": "https://doi.org/10.48550/ARXIV.2304.02643",
        "author": [{"family": "K"}],
        "issued": {"date-parts": [[2023]]},
    }
    c = {
        "id": "c",
        "type": "article",
        "title": "Other",
        "author": [{"family": "K"}],
        "issued": {"date-parts": [[2023]]},
        "custom": {"bibtex": _bib("misc", eprint="2304.02643", archivePrefix="arXiv")},
    }
    found = check_library(_lib(a, b, c))
    codes = [(d.code, d.key) for d in found]
    assert codes == [
        ("check.duplicate-doi", "b"),
        ("check.duplicate-arxiv", "b"),
        ("check.duplicate-arxiv", "c"),
        ("check.duplicate-title", "b"),
    ]
    assert found[0].message == "DOI 10.48550/arxiv.2304.02643 also in 'a' at refs.bib:10:1"


def test_corporate_author_and_suffix_order():
    record = {
        "id": "n",
        "type": "article",
        "title": "T",
        "issued": {"date-parts": [[1]]},
        "author": [
            {"family": "Consortium", "given": "The ENCODE Project"},
            {"literal": "World Health Organization"},
            {"family": "King", "given": "Jr."},
            {"family": "King", "given": "Martin Luther", "suffix": "Jr."},
        ],
    }
    assert [c for c, _, _ in _codes(_lib(record))] == [
        "check.corporate-name",
        "check.name-suffix-order",
    ]


def test_title_case_checks():
    caps = {
        "id": "c",
        "type": "article",
        "title": "DEEP LEARNING FOR ALL",
        "author": [{"family": "A"}],
        "issued": {"date-parts": [[1]]},
    }
    assert [c for c, _, _ in _codes(_lib(caps))] == ["check.title-all-caps"]
    acronym = {
        "id": "b",
        "type": "article",
        "title": 'BERT meets <span class="nocase">GPT</span> on ImageNet',
        "author": [{"family": "A"}],
        "issued": {"date-parts": [[1]]},
        "custom": {"bibtex": _bib("misc")},
    }
    found = check_library(_lib(acronym))
    assert [d.code for d in found] == ["check.title-case"]
    assert "BERT, ImageNet" in found[0].message
    assert "GPT" not in found[0].message

"""Entry → CSL mapping rules: converters, the number rule, titles, arXiv, inheritance, custom."""

from __future__ import annotations

from typing import Any

import pytest

from citekit.mapping import converters
from citekit.mapping.bib_to_csl import MapContext, entry_to_csl
from citekit.mapping.inherit import Inheritable, resolve_inheritance

PROBLEMS: list[tuple[str, str, str | None]] = []


def _ctx(dialect: str = "bibtex") -> MapContext:
    return MapContext(
        decode=lambda field, value, mode: " ".join(value.split()),
        report=lambda code, message, field: PROBLEMS.append((code, message, field)),
        dialect=dialect,
    )


def csl(entry_type: str, dialect: str = "bibtex", **fields: str) -> dict[str, Any]:
    return entry_to_csl(entry_type, "k", fields, {}, _ctx(dialect))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12--15", "12-15"), ("12-15", "12-15"), ("12 -- 15, 18---20", "12-15, 18-20"),
     ("e1234", "e1234"), ("iii--xii", "iii-xii")],
)  # fmt: skip
def test_pages(value: str, expected: str) -> None:
    assert converters.pages(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2", 2), ("2nd", 2), ("Second", 2), ("second edition", 2), ("3rd ed.", 3), ("10th", 10),
     ("Twentieth", 20), ("2. Auflage", 2), ("Revised", "Revised"),
     ("2nd, revised", "2nd, revised")],
)  # fmt: skip
def test_edition_words(value: str, expected: int | str) -> None:
    assert converters.edition(value) == expected


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [
        ("2020", "", "", {"date-parts": [[2020]]}),
        ("2020", "jan", "", {"date-parts": [[2020, 1]]}),
        ("2020", "September", "5", {"date-parts": [[2020, 9, 5]]}),
        ("2020", "9", "", {"date-parts": [[2020, 9]]}),
        ("2020", "Sep--Oct", "", {"date-parts": [[2020, 9], [2020, 10]]}),
        ("2020", "July~21,", "", {"date-parts": [[2020, 7, 21]]}),
        ("2020", "1~December", "", {"date-parts": [[2020, 12, 1]]}),
        ("{2020}", "", "", {"date-parts": [[2020]]}),
        ("in press", "", "", {"literal": "in press"}),
        ("2019/2020", "", "", {"date-parts": [[2019], [2020]]}),
    ],
)
def test_bib_date(year: str, month: str, day: str, expected: dict[str, Any]) -> None:
    assert converters.bib_date(year, month, day)[0] == expected


def test_bad_month_is_a_problem_but_the_year_stays() -> None:
    date, problems = converters.bib_date("2020", "Smarch", "")
    assert date == {"date-parts": [[2020]]}
    assert problems


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2020-05-03", {"date-parts": [[2020, 5, 3]]}),
     ("2018-07-01/2018-07-05", {"date-parts": [[2018, 7, 1], [2018, 7, 5]]}),
     ("1850~", {"date-parts": [[1850]], "circa": True}),
     ("2020-21", {"date-parts": [[2020]], "season": 1}),
     ("2020/", {"date-parts": [[2020]], "raw": "2020/.."})],
)  # fmt: skip
def test_biblatex_dates(value: str, expected: dict[str, Any]) -> None:
    assert converters.edtf_date(value) == expected


@pytest.mark.parametrize(
    ("entry_type", "fields", "variable"),
    [
        ("article", {"number": "7"}, "issue"),
        ("book", {"number": "7", "series": "S"}, "collection-number"),
        ("book", {"number": "7"}, "number"),
        ("inproceedings", {"number": "7", "series": "LNCS"}, "collection-number"),
        ("techreport", {"number": "TR-7"}, "number"),
        ("patent", {"number": "US123"}, "number"),
    ],
)
def test_number_rule_by_type(entry_type: str, fields: dict[str, str], variable: str) -> None:
    record = csl(entry_type, **fields)
    assert variable in record
    assert "number" not in record["custom"]["bibtex"]["fields"]


def test_titles_combine_with_biblatex_punctuation() -> None:
    record = csl("book", title="Main", subtitle="Sub", titleaddon="Addon")
    assert record["title"] == "Main: Sub. Addon"
    assert csl("book", title="Why?", subtitle="Because")["title"] == "Why? Because"


def test_maintitle_and_booktitle() -> None:
    chapter = csl("incollection", title="Ch", booktitle="Vol", maintitle="Work")
    assert (chapter["container-title"], chapter["volume-title"]) == ("Work", "Vol")
    volume = csl("book", title="Vol 1", maintitle="Work")
    assert (volume["title"], volume["volume-title"]) == ("Work", "Vol 1")
    ignored = csl("collection", title="C", booktitle="C")
    assert "container-title" not in ignored
    assert ignored["custom"]["bibtex"]["fields"] == {"booktitle": "C"}


def test_arxiv_misc_becomes_a_preprint() -> None:
    record = csl(
        "misc", title="T", eprint="2101.00001", archiveprefix="arXiv", primaryclass="cs.LG"
    )
    assert record["type"] == "article"
    assert record["number"] == "arXiv:2101.00001"
    assert record["URL"] == "https://arxiv.org/abs/2101.00001"
    assert record["DOI"] == "10.48550/arXiv.2101.00001"
    bib = record["custom"]["bibtex"]
    assert set(bib["guessed"]) == {"type", "publisher", "URL", "DOI"}
    assert bib["fields"]["primaryclass"] == "cs.LG"
    kept = csl("misc", eprint="2101.00001", eprinttype="arxiv", doi="10.1/x", url="http://u")
    assert (kept["DOI"], kept["URL"]) == ("10.1/x", "http://u")


def test_school_institution_address_location() -> None:
    thesis = csl("phdthesis", school="MIT", address="Cambridge")
    assert (thesis["publisher"], thesis["publisher-place"], thesis["genre"]) == (
        "MIT", "Cambridge", "PhD thesis"
    )  # fmt: skip
    report = csl("report", "biblatex", institution="A and {B and C}", location="X and Y")
    assert (report["publisher"], report["publisher-place"]) == ("A; {B and C}", "X; Y")


def test_nothing_is_lost() -> None:
    record = csl("article", title="T", weird="{kept} \\as written", sortkey="zzz")
    assert record["custom"]["bibtex"] == {
        "type": "article", "key": "k",
        "fields": {"weird": "{kept} \\as written", "sortkey": "zzz"},
    }  # fmt: skip


def test_keywords_language_and_identifiers() -> None:
    record = csl("article", "biblatex", keywords="a; b,c", langid="british",
                 doi="https://doi.org/10.1/X", isbn="978-1", issn="1234-5678")  # fmt: skip
    assert record["keyword"] == "a, b, c"
    assert record["language"] == "en-GB"
    assert (record["DOI"], record["ISBN"], record["ISSN"]) == ("10.1/X", "978-1", "1234-5678")


def test_inheritance_rules_cycles_and_missing() -> None:
    entries = {
        "child": Inheritable("inproceedings", "child", {"title": "C", "crossref": "PARENT"}, {}),
        "parent": Inheritable("proceedings", "parent",
                              {"title": "P", "shorttitle": "S", "year": "2000", "ids": "x"}, {}),
        "a": Inheritable("misc", "a", {"crossref": "b"}, {}),
        "b": Inheritable("misc", "b", {"crossref": "a"}, {}),
        "orphan": Inheritable("misc", "orphan", {"crossref": "nobody", "xdata": "none"}, {}),
    }  # fmt: skip
    reports: list[tuple[str, str]] = []
    resolve_inheritance(entries, lambda key, code, message, field: reports.append((key, code)))
    child = entries["child"]
    assert child.fields["booktitle"] == "P"  # renamed, not title
    assert child.fields["title"] == "C"
    assert child.fields["year"] == "2000"
    assert "shorttitle" not in child.fields
    assert "ids" not in child.fields
    assert child.inherited == {"booktitle": "parent", "year": "parent"}
    assert sorted(code for _, code in reports) == [
        "bibtex.crossref-cycle", "bibtex.crossref-missing", "bibtex.xdata-missing"
    ]  # fmt: skip

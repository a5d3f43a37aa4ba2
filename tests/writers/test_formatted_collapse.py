"""Cite grouping and collapsing (``collapse="year"``, ``year-suffix``, ``-ranged``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from citekit import CiteItem, format_citations
from citekit.writers.formatted.collapse import Cite, Options, collapse_years


def _book(key: str, family: str, year: int) -> dict[str, object]:
    return {
        "id": key,
        "type": "book",
        "title": f"Title {key}",
        "author": [{"family": family, "given": "John"}],
        "issued": {"date-parts": [[year]]},
    }


RECORDS = [
    _book("a", "Smith", 2000),
    _book("b", "Smith", 2001),
    _book("c", "Smith", 2001),
    _book("d", "Doe", 1999),
    _book("e", "Smith", 2001),
    _book("f", "Smith", 2001),
]

STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation disambiguate-add-year-suffix="true" {attributes}>
    <sort><key variable="author"/><key variable="issued"/></sort>
    <layout prefix="(" suffix=")" delimiter="; ">
      <group delimiter=" ">
        <names variable="author"><name form="short"/></names>
        <date variable="issued"><date-part name="year"/></date>
        <text variable="locator"/>
      </group>
    </layout>
  </citation>
  <bibliography>
    <sort><key variable="author"/><key variable="issued"/></sort>
    <layout><text variable="title"/></layout>
  </bibliography>
</style>
"""


def _cite(tmp_path: Path, attributes: str, *groups: list[str | CiteItem]) -> list[str]:
    path = tmp_path / "t.csl"
    path.write_text(STYLE.format(attributes=attributes), encoding="utf-8")
    return format_citations(RECORDS, list(groups), style=path).citations


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("apa", "(Doe, 1999; Smith, 2000, 2001a, 2001b, 2001c, 2001d)"),
        ("chicago-author-date", "(Doe 1999; Smith 2000, 2001a, 2001b, 2001c, 2001d)"),
    ],
)
def test_real_styles_collapse_years(style: str, expected: str) -> None:
    """APA and Chicago (``collapse="year"``) name an author once per citation."""
    cites = format_citations(RECORDS, [["a", "b", "c", "d", "e", "f"]], style=style)
    assert cites.citations == [expected]


def test_a_single_cite_and_other_authors_are_unchanged() -> None:
    cites = format_citations(RECORDS, [["d"], ["a", "d"]], style="apa")
    assert cites.citations == ["(Doe, 1999)", "(Doe, 1999; Smith, 2000)"]


def test_year_suffix_collapses_same_year(tmp_path: Path) -> None:
    got = _cite(tmp_path, 'collapse="year-suffix"', ["a", "b", "c", "d"])
    assert got == ["(Doe 1999; Smith 2000, 2001a; b)"]  # year-suffix-delimiter: layout's


def test_year_suffix_ranged(tmp_path: Path) -> None:
    attributes = 'collapse="year-suffix-ranged" year-suffix-delimiter=","'
    assert _cite(tmp_path, attributes, ["a", "b", "c", "e", "f"]) == ["(Smith 2000, 2001a–d)"]
    # suffixes follow every cited item of the document, so a later citation may skip one
    got = _cite(tmp_path, attributes, ["b", "c", "e", "f"], ["b", "c", "f"])
    assert got == ["(Smith 2001a–d)", "(Smith 2001a,b,d)"]


def test_cite_group_delimiter_and_after_collapse(tmp_path: Path) -> None:
    attributes = 'collapse="year" cite-group-delimiter=" &amp; " after-collapse-delimiter=" | "'
    got = _cite(tmp_path, attributes, ["d", "a", "b"])
    assert got == ["(Doe 1999; Smith 2000 & 2001)"]  # no suffix: one 2001 item is cited


def test_locator_keeps_the_year(tmp_path: Path) -> None:
    got = _cite(tmp_path, 'collapse="year-suffix"', [CiteItem("b", locator="5"), "c"])
    assert got == ["(Smith 2001a 5, 2001b)"]


def test_cite_prefix_leaves_the_citation_alone(tmp_path: Path) -> None:
    got = _cite(tmp_path, 'collapse="year"', [CiteItem("a", prefix="see "), "b"])
    assert got == ["(see Smith 2000; Smith 2001)"]


def test_grouping_only_with_cite_group_delimiter(tmp_path: Path) -> None:
    got = _cite(tmp_path, 'cite-group-delimiter=", "', ["a", "b", "d"])
    assert got == ["(Doe 1999; Smith 2000, Smith 2001)"]


def test_an_unknown_collapse_value_leaves_the_citation_alone(tmp_path: Path) -> None:
    got = _cite(tmp_path, 'collapse="nonsense"', ["a", "b", "d"])
    assert got == ["(Doe 1999; Smith 2000; Smith 2001)"]


def _c(names: str | None, full: str, bare: str, suffix: str | None = None) -> Cite:
    return Cite(full=full, bare=bare, names=names, suffix=suffix, locator=False)


def test_groups_gather_only_when_the_citation_is_sorted() -> None:
    cites = [
        _c("A", "A 1", "1"),
        _c("B", "B 2", "2"),
        _c("A", "A 3", "3"),
    ]
    adjacent = Options("year", "; ", None, None, None, sorted=False)
    gathered = Options("year", "; ", None, None, "; ", sorted=True)
    assert collapse_years(cites, adjacent) == "A 1; B 2; A 3"
    assert collapse_years(cites, gathered) == "A 1, 3; B 2"
    after = Options("year", "; ", None, None, " | ", sorted=True)
    assert collapse_years(cites, after) == "A 1, 3 | B 2"  # after a group of several cites


def test_cites_without_names_never_group() -> None:
    cites = [_c(None, "Title 1", "Title 1"), _c(None, "Title 1", "Title 1")]
    assert collapse_years(cites, Options("year", "; ", None, None, None, True)) == (
        "Title 1; Title 1"
    )

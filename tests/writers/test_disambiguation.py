"""CSL disambiguation beyond year-suffix: add-names, add-givenname and its rules.

Each test fails with citekit's former year-suffix-only disambiguation (citeproc-py has none).
Expected outputs follow the CSL 1.0.2 specification ("Disambiguation") and citeproc-js.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from citekit import format_bibliography, format_citations
from citekit.writers.formatted import disambiguate


def _person(family: str, given: str) -> dict[str, str]:
    return {"family": family, "given": given}


def _book(key: str, names: list[dict[str, str]], year: int) -> dict[str, Any]:
    return {
        "id": key,
        "type": "book",
        "title": f"Title {key}",
        "author": names,
        "issued": {"date-parts": [[year]]},
        "publisher": "Pub",
    }


SMITH_J = _book("sj", [_person("Smith", "John")], 2020)
SMITH_A = _book("sa", [_person("Smith", "Alan")], 2019)
DOE_POE = _book("dp", [_person("Doe", "Ann"), _person("Roe", "Bob"), _person("Poe", "Cy")], 2020)
DOE_MOE = _book("dm", [_person("Doe", "Ann"), _person("Roe", "Bob"), _person("Moe", "Dan")], 2020)
JONES_JOHN = _book("j1", [_person("Jones", "John")], 2021)
JONES_JANE = _book("j2", [_person("Jones", "Jane")], 2021)
TIAN_K = _book("tk", [_person("Tian", "Kai")], 2020)
TIAN_L = _book("tl", [_person("Tian", "Lu")], 2020)
WU_1 = _book("w1", [_person("Wu", "Kai")], 2018)
WU_2 = _book("w2", [_person("Wu", "Kai")], 2018)


def _cites(records: list[dict[str, Any]], style: str) -> list[str]:
    return format_citations(records, [[r["id"]] for r in records], style=style).citations


def test_apa_global_rule_adds_initials_to_different_persons() -> None:
    # APA: primary-name-with-initials; the names differ in every cite, even with other years
    assert _cites([SMITH_J, SMITH_A], "apa") == ["(J. Smith, 2020)", "(A. Smith, 2019)"]


def test_apa_add_names_before_year_suffix() -> None:
    assert _cites([DOE_POE, DOE_MOE], "apa") == [
        "(Doe, Roe, & Poe, 2020)",
        "(Doe, Roe, & Moe, 2020)",
    ]
    bib = format_citations([DOE_POE, DOE_MOE], [["dp"], ["dm"]], style="apa").bibliography
    assert all("(2020)." in entry.text for entry in bib)  # no year suffix is needed any more


def test_apa_initials_rule_falls_back_to_year_suffix() -> None:
    # John and Jane Jones share the initial; the -with-initials rule stops there
    assert _cites([JONES_JOHN, JONES_JANE], "apa") == ["(Jones, 2021a)", "(Jones, 2021b)"]


def test_same_names_stay_ambiguous_and_get_year_suffixes() -> None:
    for style in ("apa", "harvard-cite-them-right", "chicago-author-date"):
        cites = _cites([WU_1, WU_2], style)
        assert [c.rstrip(")")[-1] for c in cites] == ["a", "b"], (style, cites)
    bib = format_bibliography([WU_1, WU_2], style="apa")
    assert [e.text.split(". T")[0] for e in bib.entries] == ["Wu, K. (2018a)", "Wu, K. (2018b)"]


def test_by_cite_initials_then_full_given_names() -> None:
    # Cite Them Right: by-cite (the default rule); initials suffice for Kai/Lu Tian, not for
    # John/Jane Jones, who get their full given names
    assert _cites([TIAN_K, TIAN_L], "harvard-cite-them-right") == [
        "(K. Tian, 2020)",
        "(L. Tian, 2020)",
    ]
    assert _cites([JONES_JOHN, JONES_JANE], "harvard-cite-them-right") == [
        "(John Jones, 2021)",
        "(Jane Jones, 2021)",
    ]


def test_by_cite_leaves_unambiguous_cites_alone() -> None:
    # different years: the cites differ, by-cite expands nothing (unlike APA's global rule)
    assert _cites([SMITH_J, SMITH_A], "harvard-cite-them-right") == [
        "(Smith, 2020)",
        "(Smith, 2019)",
    ]


def test_global_primary_name_rule_chicago() -> None:
    cites = _cites([SMITH_J, SMITH_A, JONES_JOHN, JONES_JANE], "chicago-author-date")
    assert cites == ["(J. Smith 2020)", "(A. Smith 2019)", "(John Jones 2021)", "(Jane Jones 2021)"]


def test_bibliography_names_are_not_expanded() -> None:
    bib = format_citations([SMITH_J, SMITH_A], [["sj"], ["sa"]], style="apa").bibliography
    assert [e.text.split(" (")[0] for e in bib] == ["Smith, A.", "Smith, J."]


def test_numeric_style_unchanged() -> None:
    assert _cites([SMITH_J, SMITH_A, WU_1, WU_2], "ieee") == ["[1]", "[2]", "[3]", "[4]"]


STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation et-al-min="3" et-al-use-first="1" {options}>
    <layout delimiter="; ">
      <group delimiter=" ">
        <names variable="author"><name {name}/></names>
        <date variable="issued"><date-part name="year"/></date>
      </group>
    </layout>
  </citation>
</style>
"""


def _custom(tmp_path: Path, options: str, name: str = 'form="short" initialize-with=". "') -> Path:
    path = tmp_path / "d.csl"
    path.write_text(STYLE.format(options=options, name=name), encoding="utf-8")
    return path


def test_add_names_only_with_et_al(tmp_path: Path) -> None:
    style = _custom(tmp_path, 'disambiguate-add-names="true"')
    cites = format_citations([DOE_POE, DOE_MOE], [["dp", "dm"]], style=str(style)).citations
    assert cites == ["Doe, Roe, Poe 2020; Doe, Roe, Moe 2020"]


def test_all_names_rule_expands_every_shared_family_name(tmp_path: Path) -> None:
    style = _custom(
        tmp_path,
        'disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names"',
        'form="short" initialize-with=". " et-al-min="9"',
    )
    ann = _book("a1", [_person("Smith", "Ann"), _person("Roe", "Bob")], 2001)
    ben = _book("b1", [_person("Roe", "Carl"), _person("Smith", "Ben")], 2002)
    cites = format_citations([ann, ben], [["a1"], ["b1"]], style=str(style)).citations
    assert cites == ["A. Smith, B. Roe 2001", "C. Roe, B. Smith 2002"]


def test_name_as_sort_order_and_particles_in_expanded_names(tmp_path: Path) -> None:
    style = _custom(
        tmp_path,
        'disambiguate-add-givenname="true"',
        'form="short" name-as-sort-order="all" sort-separator=", "',
    )
    one = _book(
        "v1", [{"family": "Berg", "given": "Jan", "non-dropping-particle": "van den"}], 2001
    )
    two = _book(
        "v2", [{"family": "Berg", "given": "Piet", "non-dropping-particle": "van den"}], 2001
    )
    cites = format_citations([one, two], [["v1", "v2"]], style=str(style)).citations
    # the long form as the style defines it (demote-non-dropping-particle defaults to
    # "display-and-sort": the particle follows the given name)
    assert cites == ["Berg, Jan van den 2001; Berg, Piet van den 2001"]


def test_options_are_read_from_the_citation() -> None:
    from citekit.styles import resolve
    from citekit.writers.formatted.engine import load_style

    apa = disambiguate.options(load_style(resolve("apa").path).root)
    assert apa == disambiguate.Options(True, True, "primary-name-with-initials", 1)
    ieee = disambiguate.options(load_style(resolve("ieee").path).root)
    assert not ieee.enabled


@pytest.mark.parametrize("style", ["apa", "chicago-author-date", "harvard-cite-them-right"])
def test_citations_identical_without_ambiguity(style: str) -> None:
    # overrides only exist for ambiguous data: a lone record renders as it always did
    assert _cites([DOE_POE], style) == _cites([DOE_POE, WU_1], style)[:1]


# --- disambiguate="true" conditions (CSL step 4) -------------------------------------------


def test_mla_title_only_when_the_author_is_cited_for_several_works() -> None:
    # MLA prints the short title through <if disambiguate="true">; citeproc-py ignored the
    # condition and printed it in every cite. The cite shows no year, so works of different
    # years by one author are ambiguous too.
    other_year = _book("w3", [_person("Wu", "Kai")], 2019)
    cites = _cites([WU_1, other_year, DOE_POE], "modern-language-association")
    assert cites == ["(Wu, Title W1)", "(Wu, Title W3)", "(Doe et al.)"]


CONDITION = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <macro name="cite">
    <group delimiter=", ">
      <names variable="author"><name form="short"/></names>
      <choose><if disambiguate="true"><text variable="title"/></if></choose>
    </group>
  </macro>
  <citation><layout delimiter="; "><text macro="cite"/></layout></citation>
  <bibliography><layout><text macro="cite"/></layout></bibliography>
</style>
"""


def test_disambiguate_condition_in_citations_and_bibliography(tmp_path: Path) -> None:
    style = tmp_path / "c.csl"
    style.write_text(CONDITION, encoding="utf-8")
    records = [WU_1, WU_2, DOE_POE]
    result = format_citations(records, [["w1", "w2", "dp"]], style=str(style))
    assert result.citations == ["Wu, Title w1; Wu, Title w2; Doe, Roe, Poe"]
    assert [e.text for e in result.bibliography] == [
        "Wu, Title w1",
        "Wu, Title w2",
        "Doe, Roe, Poe",
    ]
    bib = format_bibliography(records, style=str(style), jobs=1)
    assert [e.text for e in bib.entries] == ["Wu, Title w1", "Wu, Title w2", "Doe, Roe, Poe"]


def test_flagged_items_travel_to_spawned_workers(tmp_path: Path) -> None:
    from citekit.errors import Diagnostics
    from citekit.writers.formatted.engine import load_style
    from citekit.writers.formatted.session import Session

    style = tmp_path / "c.csl"
    style.write_text(CONDITION, encoding="utf-8")
    records = [WU_1, WU_2, DOE_POE]
    first = Session(load_style(style), records, Diagnostics())
    first.register(["w1", "w2", "dp"])
    order, suffixes, flagged = first.state()
    assert flagged == ["w1", "w2"]
    second = Session(load_style(style), records, Diagnostics())
    second.adopt(order, suffixes, flagged)
    assert second.entries() == first.entries()


def test_name_count_form_is_not_expanded(tmp_path: Path) -> None:
    style = _custom(
        tmp_path,
        'disambiguate-add-givenname="true" givenname-disambiguation-rule="all-names"',
        'form="count"',
    )
    cites = format_citations([SMITH_J, SMITH_A], [["sj", "sa"]], style=str(style)).citations
    assert cites == ["1 2020; 1 2019"]

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli.conftest import Run

from citekit.cli._format import CiteSpec, parse_cite, parse_locator
from citekit.cli._util import UsageError


def test_parse_cite_items_and_locators():
    assert parse_cite("a,b") == [CiteSpec("a"), CiteSpec("b")]
    assert parse_cite("a; b") == [CiteSpec("a"), CiteSpec("b")]
    assert parse_cite("c@p. 12") == [CiteSpec("c", "12", "page")]
    assert parse_cite("c@12") == [CiteSpec("c", "12", "page")]
    assert parse_cite("c@chap. 3,d") == [CiteSpec("c", "3,d", "chapter")]
    assert parse_cite("c@pp. 12, 15; d") == [CiteSpec("c", "12, 15", "page"), CiteSpec("d")]
    assert parse_cite("{see }c@sec. 2.1{, emphasis added}") == [
        CiteSpec("c", "2.1", "section", "see ", ", emphasis added")
    ]
    assert parse_cite("{cf. }a, b{ and others}") == [
        CiteSpec("a", prefix="cf. "),
        CiteSpec("b", suffix=" and others"),
    ]


def test_parse_locator_labels():
    assert parse_locator("fig. 3") == ("figure", "3")
    assert parse_locator("§ 4") == ("section", "4")
    assert parse_locator("Vol. 2") == ("volume", "2")
    assert parse_locator("preface") == ("page", "preface")  # unknown word: kept as is


@pytest.mark.parametrize("bad", ["", ",", "{see a", "a{x", "@12"])
def test_parse_cite_errors(bad: str):
    with pytest.raises(UsageError):
        parse_cite(bad)


def test_format_usage_errors(run: Run, lib_json: Path):
    assert run("format", lib_json, "--style", "apa", "--csl", "x.csl")[0] == 2
    assert run("format", lib_json, "--cite", "{oops")[0] == 2
    assert run("format", lib_json, "-t", "docx")[0] == 2


def test_format_bibliography_markdown(run: Run, lib_json: Path):
    from citekit import api

    if not hasattr(api, "format_bibliography"):
        pytest.skip("formatting (issue 5) not merged")
    code, out, _ = run("format", lib_json, "--style", "apa", "-t", "markdown")
    assert code == 0
    assert "Vaswani, A. (2017)." in out
    assert "*Nature*" in out


def test_format_citations(run: Run, lib_json: Path):
    from citekit import api

    if not hasattr(api, "format_citations"):
        pytest.skip("formatting (issue 5) not merged")
    code, out, _ = run(
        "format", lib_json, "--style", "apa", "--cite", "vaswani2017,lecun2015",
        "--cite", "lecun2015@p. 437",
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines == ["(LeCun, 2015; Vaswani, 2017)", "(LeCun, 2015, p. 437)"]

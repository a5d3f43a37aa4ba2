"""Pathological sizes complete without RecursionError (speed is measured in benchmarks/).

``benchmarks/hostile_scaling.py`` compares two sizes of every case below to check that time
grows linearly and reports peak memory; these tests only make sure each case completes,
keeps the neighbouring entry, and round-trips through the writers.
"""

from __future__ import annotations

import json

import pytest

import citekit

OK = "@book{ok, title = {Neighbour}}\n"


def _bib_roundtrip(text: str) -> citekit.Library:
    library = citekit.read_string(text, format="biblatex", source="big.bib")
    for target in ("bibtex", "biblatex", "csl-json"):
        citekit.write_string(library, format=target)
    return library


def test_ten_thousand_nested_braces() -> None:
    text = "@book{a, title = {" + "{" * 10_000 + "deep" + "}" * 10_000 + "}}\n" + OK
    library = _bib_roundtrip(text)
    assert [r["id"] for r in library.records] == ["a", "ok"]
    assert "deep" in library.records[0]["title"]


def test_ten_thousand_unbalanced_braces() -> None:
    text = "@book{a, title = {" + "{" * 10_000 + "deep}\n\n" + OK
    library = _bib_roundtrip(text)
    assert "ok" in [r["id"] for r in library.records]
    assert any(d.line == 1 for d in library.diagnostics)


def test_five_megabyte_field() -> None:
    body = "word " * 1_000_000
    library = _bib_roundtrip("@book{a, title = {" + body + "}}\n" + OK)
    assert len(library.records[0]["title"]) >= len(body.strip())
    assert library.records[1]["id"] == "ok"


def test_latex_dense_field() -> None:
    # pylatexenc costs ~0.3 ms per macro, so the 5 MB LaTeX-dense case lives in the benchmark.
    library = _bib_roundtrip("@book{a, title = {" + "\\'e{\\\"u} " * 5_000 + "}}\n" + OK)
    assert library.records[0]["title"].startswith("éü éü")


def test_many_authors_bib() -> None:
    # 100k authors: see benchmarks/hostile_scaling.py (~8 s); 20k here keeps the test fast.
    names = " and ".join(f"Family{i}, Given" for i in range(20_000))
    library = _bib_roundtrip("@book{a, author = {" + names + "}}\n" + OK)
    assert len(library.records[0]["author"]) == 20_000


def test_hundred_thousand_authors_csl_json() -> None:
    record = {
        "id": "a",
        "type": "book",
        "author": [{"family": f"F{i}", "given": "G"} for i in range(100_000)],
    }
    library = citekit.read_string(json.dumps([record]), format="csl-json")
    assert len(library.records[0]["author"]) == 100_000
    assert " and " in citekit.write_string(library, format="bibtex")


def test_one_very_long_line_of_entries() -> None:
    text = " ".join(f"@misc{{k{i}, title = {{t{i}}}}}" for i in range(10_000))
    library = _bib_roundtrip(text)
    assert len(library.records) == 10_000


def test_deep_json_nesting() -> None:
    text = '[{"id": "a", "note": ' + "[" * 100_000 + "]" * 100_000 + '}, {"id": "ok"}]'
    library = citekit.read_string(text, format="csl-json")
    assert [r["id"] for r in library.records] == ["ok"]


MARKDOWN = {
    "open-brackets": "- [" + "[" * 50_000 + "x](http://a)\n",
    "open-parens": "- [x](" + "(" * 50_000 + "\n",
    "stars": "- **" + "*" * 50_000 + "\n",
    "underscores": "- _" + "a_" * 50_000 + "\n",
    "backticks": "- " + "`" * 50_000 + "\n",
    "long-line": "- " + "word, " * 200_000 + "\n",
    "many-headings": "### x\n" * 50_000,
    "nested-lists": "".join(
        "  " * i + f"- [p](https://arxiv.org/abs/2101.{i:05d})\n" for i in range(2_000)
    ),
    "nested-quotes": ">" * 10_000 + " [p](https://arxiv.org/abs/2101.00001)\n",
    "details": "<details>" * 50_000,
    "link-openers": "[](" * 50_000,
    "url-spam": "- " + "https://arxiv.org/abs/" * 20_000 + "\n",
    "author-line": "### [T](https://arxiv.org/abs/2101.00001)\n_"
    + ", ".join(f"A{i} B{i}" for i in range(20_000))
    + "_\n",
    "spaces-before-paren": "- [x]" + " " * 100_000 + "(y\n",
    "bold-title-unclosed": "- **" + "a " * 100_000 + "\n",
    "table-pipes": "|" * 100_000 + "\n",
    "emphasis-mix": "- " + "*_" * 50_000 + "\n",
    "year-noise": "- [p](https://arxiv.org/abs/2101.00001) " + "(2020" * 50_000 + "\n",
}


@pytest.mark.parametrize("name", sorted(MARKDOWN))
def test_markdown_against_the_regexes(name: str) -> None:
    text = MARKDOWN[name] + "\n- [Neighbour paper](https://arxiv.org/abs/2301.00001)\n"
    library = citekit.read_string(text, format="markdown", source="evil.md")
    for target in ("bibtex", "csl-json"):
        citekit.write_string(library, format=target)
    assert any("2301.00001" in json.dumps(r) for r in library.records), name

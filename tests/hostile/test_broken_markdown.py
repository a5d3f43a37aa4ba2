"""Broken markdown reading lists: damage costs only the item it is in."""

from __future__ import annotations

import pytest

import citekit

BEFORE = "# Papers\n\n- [Before paper](https://arxiv.org/abs/2101.00001), A. Author, 2021\n\n"
AFTER = "\n\n- [After paper](https://arxiv.org/abs/2301.00002), B. Author, 2023\n"

DAMAGE = {
    "unclosed-inline-comment": "- [Broken](https://arxiv.org/abs/2201.00003) <!---note",
    "unclosed-link": "- [Broken paper](https://arxiv.org/abs/2201.00003",
    "unclosed-bracket": "- [Broken paper(https://arxiv.org/abs/2201.00003)",
    "empty-link": "- [](https://arxiv.org/abs/2201.00003)",
    "garbage-url": "- [Broken](ht!tp://%%%%)",
    "nul-and-control": "- [Bro\x01ken](https://arxiv.org/abs/2201.00003)\x07",
    "unclosed-details": "<details><summary>Broken",
    "bad-table": "| a | b |\n|---|\n| [x](https://arxiv.org/abs/2201.00003) | | | |",
    "html-soup": "<div><a href='javascript:alert(1)'>[x](y)</a>",
    "bad-year": "- [Broken](https://arxiv.org/abs/2201.00003), C. D., 20xx, (2020-13-45)",
    "truncated-mid-link": "- [Broken](https://arx",
}


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damage_costs_only_its_item(kind: str) -> None:
    text = BEFORE + DAMAGE[kind] + AFTER
    library = citekit.read_string(text, format="markdown", source="list.md")
    titles = [r.get("title") for r in library.records]
    assert "Before paper" in titles, titles
    assert "After paper" in titles, titles
    for target in ("bibtex", "biblatex", "csl-json"):
        citekit.write_string(library, format=target)
    for diagnostic in library.diagnostics:
        assert diagnostic.source == "list.md"


def test_block_comment_still_hides_its_lines() -> None:
    text = BEFORE + "<!--\n- [Hidden](https://arxiv.org/abs/2201.00009)\n\n-->" + AFTER
    titles = [r.get("title") for r in citekit.read_string(text, format="markdown").records]
    assert "Hidden" not in titles
    assert titles[-1] == "After paper"


def test_unclosed_block_comment_is_reported_with_its_location() -> None:
    text = BEFORE + "  <!-- drafts\n- [Hidden](https://arxiv.org/abs/2201.00009)" + AFTER
    library = citekit.read_string(text, format="markdown", source="list.md")
    titles = [r.get("title") for r in library.records]
    assert titles == ["Before paper"]
    [diagnostic] = [d for d in library.diagnostics if d.code == "markdown.unclosed-comment"]
    assert (diagnostic.source, diagnostic.line, diagnostic.column) == ("list.md", 5, 3)
    assert diagnostic.severity == "warning"
    assert "lines 6-8" in diagnostic.message


def test_closed_or_trailing_comment_is_not_reported() -> None:
    for tail in ("<!--\nhidden\n-->\n", "<!-- nothing after it\n\n"):
        library = citekit.read_string(BEFORE + tail, format="markdown", source="list.md")
        assert not [d for d in library.diagnostics if d.code == "markdown.unclosed-comment"]

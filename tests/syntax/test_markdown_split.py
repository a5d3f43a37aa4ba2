"""Splitting markdown reading lists into located items, and finding links."""

from __future__ import annotations

from citekit.syntax.markdown import find_links, split, split_cells

DOC = """# Title

## Section
### [CVPR 2023] Paper [[pdf]](https://arxiv.org/abs/2212.05199)
_Ann Lee, Bob Ray_
- a note
    continued note

1. **Numbered** [[pdf](https://x.org/a.pdf)]
2) second

**Multi** \\
*Authors* <br> venue 2022.

```
- not an item
```
<!-- - hidden
still hidden -->
| Title | Paper |
|-------|-------|
| T1 | [x](https://arxiv.org/abs/2101.00001) |
> quoted
<details><summary>Faster Inference</summary>
"""


def test_kinds_and_lines() -> None:
    items = split(DOC)
    got = [(i.kind, i.line, i.end_line) for i in items]
    assert got == [
        ("heading", 1, 1),
        ("heading", 3, 3),
        ("heading", 4, 4),
        ("paragraph", 5, 5),
        ("bullet", 6, 7),
        ("numbered", 9, 9),
        ("numbered", 10, 10),
        ("paragraph", 12, 13),
        ("row", 22, 22),
        ("quote", 23, 23),
        ("summary", 24, 24),
    ]
    assert items[2].level == 3
    assert items[4].text == "a note\ncontinued note"
    assert items[7].text == "**Multi**\n*Authors*\nvenue 2022."
    assert items[8].header == ("Title", "Paper")
    assert items[8].cells[0] == "T1"
    assert items[10].text == "Faster Inference"


def test_nested_bullet_indent() -> None:
    items = split("* top\n    * child\n\t* tab child\n")
    assert [i.indent for i in items] == [0, 4, 4]


def test_link_forms() -> None:
    text = (
        "[[pdf]](https://a.org/1) [[Paper](https://a.org/2)] "
        "[![thecvf](https://img/badge.svg)](https://a.org/3) [t](https://a.org/(x)) "
        '<a href="https://a.org/5">five</a>'
    )
    links = find_links(text)
    assert [(link.label, link.url) for link in links] == [
        ("[pdf]", "https://a.org/1"),
        ("Paper", "https://a.org/2"),
        ("thecvf", "https://a.org/3"),
        ("t", "https://a.org/(x)"),
        ("five", "https://a.org/5"),
    ]
    assert text[links[0].start : links[0].end] == "[[pdf]](https://a.org/1)"


def test_cells_keep_pipes_inside_links() -> None:
    assert split_cells("| a | [b|c](u) | `x|y` |") == ("a", "[b|c](u)", "`x|y`")


def test_empty_and_odd_input() -> None:
    assert split("") == []
    assert split("\n\n   \n") == []
    assert [i.kind for i in split("#not a heading\n####### seven")] == ["paragraph"]
    assert find_links("[unclosed](") == []
    assert find_links("<a href='u'") == []


def test_pathological_lines_complete() -> None:
    """No catastrophic backtracking: each of these 100 KB lines is split in linear time."""
    for chunk in (
        "[" * 100_000,
        "](" * 50_000,
        "<a " * 33_000,
        "|" * 100_000,
        "<" * 100_000,
        "<!--" * 25_000,
        "#" * 100_000,
        " " * 100_000 + "-",
        "1." * 50_000,
    ):
        split(chunk)
        find_links(chunk)


def test_deeply_nested_links_do_not_recurse_without_bound() -> None:
    text = "[" * 5000 + "x" + "](https://a.org/u)" * 5000
    links = find_links(text)
    assert links[-1].start == 0
    assert links[-1].end == len(text)

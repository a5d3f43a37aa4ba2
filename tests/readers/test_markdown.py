"""Markdown reading-list reader: golden fixtures, diagnostics, options, ids."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import citekit
from citekit.errors import Diagnostics
from citekit.readers.markdown import read_text, sniff

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"
CASES = sorted(p.stem for p in FIXTURES.glob("*.md") if p.stem != "README")


def _read(name: str, **options: object) -> tuple[list[dict[str, object]], Diagnostics]:
    sink = Diagnostics()
    text = (FIXTURES / f"{name}.md").read_text(encoding="utf-8")
    library = read_text(text, source=f"{name}.md", diagnostics=sink, **options)  # type: ignore[arg-type]
    return library.records, sink


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    records, _ = _read(case)
    expected = json.loads((FIXTURES / f"{case}.csl.json").read_text(encoding="utf-8"))
    assert records == expected


def _md(text: str, **options: object) -> tuple[list[dict[str, object]], Diagnostics]:
    sink = Diagnostics()
    library = read_text(text, source="notes.md", diagnostics=sink, **options)  # type: ignore[arg-type]
    return library.records, sink


def test_heading_entry_fields() -> None:
    records, sink = _read("headings")
    by_id = {r["id"]: r for r in records}
    mae = by_id["he2021masked"]
    assert mae["title"] == "Masked Autoencoders Are Scalable Vision Learners"
    assert mae["author"][4] == {"family": "Dollár", "given": "Piotr"}  # type: ignore[index]
    assert mae["number"] == "2111.06377"
    assert mae["DOI"] == "10.48550/arXiv.2111.06377"
    assert "Meta AI" in str(mae["keyword"])
    assert "!!!" not in str(mae["title"])
    assert "Meta" not in str(mae["title"])
    links = mae["custom"]["markdown"]["links"]  # type: ignore[index]
    assert links == [
        {"label": "code", "url": "https://github.com/facebookresearch/mae", "role": "code"}
    ]
    assert by_id["maaten2008visualizing"]["author"][0] == {  # type: ignore[index]
        "family": "Maaten",
        "given": "Laurens",
        "non-dropping-particle": "van der",
    }
    codes = {(d.code, d.line) for d in sink}
    assert ("markdown.no-authors", 28) in codes
    assert ("markdown.unknown-venue", 31) in codes
    assert all(d.source == "headings.md" and d.line for d in sink)


def test_every_record_has_its_source_line() -> None:
    library = citekit.read_string(
        (FIXTURES / "bullets.md").read_text(encoding="utf-8"), format="markdown"
    )
    assert [loc.line for loc in library.locations if loc] == [7, 8, 11, 12]


def test_et_al_is_a_marker_not_an_author() -> None:
    records, sink = _md(
        "- (CVPR 2023) **A Title**, Jane Doe et al. [[Paper](https://arxiv.org/abs/2305.03302)]"
    )
    (record,) = records
    assert record["author"] == [{"family": "Doe", "given": "Jane"}]
    assert record["custom"]["et-al"] == ["author"]  # type: ignore[index]
    assert [d.code for d in sink] == ["markdown.et-al"]


@pytest.mark.parametrize(
    ("url", "arxiv", "year"),
    [
        ("https://arxiv.org/abs/2304.02643", "2304.02643", 2023),
        ("https://arxiv.org/pdf/2304.02643v2", "2304.02643", 2023),
        ("https://arxiv.org/pdf/2201.02177.pdf", "2201.02177", 2022),
        ("https://arxiv.org/html/2403.15377v1", "2403.15377", 2024),
        ("http://export.arxiv.org/abs/hep-th/9905111v3", "hep-th/9905111", 1999),
        ("https://www.arxiv.org/abs/math.GT/0309136", "math.GT/0309136", 2003),
    ],
)
def test_arxiv_link_forms(url: str, arxiv: str, year: int) -> None:
    records, _ = _md(f"#### Some Title [[pdf]]({url})\n_Ann Author_\n")
    (record,) = records
    assert record["number"] == arxiv
    assert record["DOI"] == f"10.48550/arXiv.{arxiv}"
    assert record["issued"] == {"date-parts": [[year]]}
    assert record["URL"] == url


def test_code_link_is_never_the_url_when_a_paper_link_exists() -> None:
    records, _ = _md(
        "- **T** [[Code](https://github.com/a/b)] [[Paper](https://doi.org/10.1145/3528223.3530127)]"
    )
    assert records[0]["URL"] == "https://doi.org/10.1145/3528223.3530127"
    assert records[0]["DOI"] == "10.1145/3528223.3530127"


def test_entry_without_any_link_is_kept_with_a_diagnostic() -> None:
    records, sink = _md("### [CVPR 2020] A Paper Without Links\n_Ann Author and Bob Writer_\n")
    assert records[0]["title"] == "A Paper Without Links"
    assert "markdown.no-link" in [d.code for d in sink]


def test_annote_option_and_sections_filter() -> None:
    records, _ = _read("headings", annote=False)
    assert all("annote" not in r for r in records)
    assert any(r["custom"]["markdown"].get("notes") for r in records)  # type: ignore[union-attr]
    theory, _ = _read("headings", sections=["theory"])
    assert [r["id"] for r in theory] == [
        "maaten2008visualizing",
        "garcialopez2022old",
        "anon2024kan",
        "lovelace2021unknown",
    ]
    meta, _ = _read("headings", keywords=["Meta AI"])
    assert [r["id"] for r in meta] == ["he2021masked"]


def test_user_venue_table(tmp_path: Path) -> None:
    table = tmp_path / "venues.toml"
    table.write_text(
        '[venues.FOO]\nname = "Proceedings of the Foo Workshop"\nkind = "conference"\n'
        '[venues.BAD]\nkind = "conference"\n',
        encoding="utf-8",
    )
    records, sink = _md(
        "### [FOO 2021] A Foo Paper [[pdf]](https://arxiv.org/abs/2101.00001)\n_A B_\n",
        venues=table,
    )
    assert records[0]["container-title"] == "Proceedings of the Foo Workshop"
    assert records[0]["type"] == "paper-conference"
    assert [d.code for d in sink if d.severity == "error"] == ["markdown.venue-table"]


def test_ids_are_disambiguated() -> None:
    text = "".join(
        f"- (CVPR 2023) **Same Title**, Ann Lee et al. [[Paper](https://arxiv.org/abs/2301.0000{i})]\n"
        for i in range(3)
    )
    records, _ = _md(text)
    assert [r["id"] for r in records] == ["lee2023same", "lee2023sameb", "lee2023samec"]


def test_non_papers_are_not_records() -> None:
    text = "## Tools\n- [Awesome tools](https://github.com/a/b) - a list.\n- plain note\n"
    records, sink = _md(text)
    assert records == []
    assert [d.code for d in sink] == ["markdown.no-papers"]


def test_sniff() -> None:
    assert sniff("# Notes\n\n- [x](https://arxiv.org/abs/2101.00001)\n")
    assert not sniff('[{"id": "a"}]')


def test_pathological_input_completes() -> None:
    """Crafted lines must not trigger catastrophic backtracking (issue 8)."""
    chunks = [
        "[" * 100_000,
        "(" * 100_000,
        " " * 100_000 + "x",
        "*" * 100_000,
        "_a" * 50_000,
        "| " * 50_000,
        "et al " * 17_000,
        "](" * 50_000,
        "[[a](" * 20_000,
        "2023 " * 20_000,
        "´" * 100_000,
        "<a " * 33_000,
        "**" + "a " * 50_000,
        "CVPR " * 20_000,
        "- " * 50_000,
    ]
    for chunk in chunks:
        for text in (
            chunk,
            "### " + chunk,
            "- " + chunk + " [p](https://arxiv.org/abs/2101.00001)",
        ):
            _md(text)


if __name__ == "__main__" and "--regen" in sys.argv:
    for name in sys.argv[sys.argv.index("--regen") + 1 :]:
        found, _ = _read(name)
        out = FIXTURES / f"{name}.csl.json"
        out.write_text(json.dumps(found, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

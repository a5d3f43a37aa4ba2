"""Markdown reading-list reader: golden fixtures, diagnostics, options, ids."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert mae["number"] == "arXiv:2111.06377"
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
    assert ("markdown.accent-repaired", 10) in codes  # the author line, not the heading
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
    assert record["number"] == f"arXiv:{arxiv}"
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


_HOSTILE = [
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
    "(x) " * 25_000,
    "[" * 5_000 + "x" + "](https://arxiv.org/abs/2101.00001)" * 5_000,
    "word, " * 20_000,
]


@pytest.mark.parametrize("chunk", _HOSTILE, ids=[c[:6].strip() or "space" for c in _HOSTILE])
def test_pathological_input_completes(chunk: str) -> None:
    """Crafted 100 KB lines must not trigger catastrophic backtracking (issue 8)."""
    for text in (chunk, "### " + chunk, "- " + chunk + " [p](https://arxiv.org/abs/2101.00001)"):
        _md(text)


if __name__ == "__main__" and "--regen" in sys.argv:
    for name in sys.argv[sys.argv.index("--regen") + 1 :]:
        found, _ = _read(name)
        out = FIXTURES / f"{name}.csl.json"
        out.write_text(json.dumps(found, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def test_heading_numbers_and_year_titles() -> None:
    text = (
        "#### 7.1 Unofficial Implementation\n**Authors**: Ann Lee, Bob Ray\n\n"
        "[📄 Paper](https://arxiv.org/abs/2403.17888)\n\n"
        "### 2024 Survey of Things [[pdf]](https://arxiv.org/abs/2401.00001)\n_Ann Lee_\n"
    )
    records, _ = _md(text)
    assert [r["title"] for r in records] == ["Unofficial Implementation", "2024 Survey of Things"]
    assert records[0]["author"] == [
        {"family": "Lee", "given": "Ann"},
        {"family": "Ray", "given": "Bob"},
    ]


def test_link_lists_with_venue_words_are_not_papers() -> None:
    text = (
        "- [Instruction-Tuning-Papers](https://github.com/a/b) - from `FLAN` (ICLR 2022).\n"
        "3. **OpenCLap**. Model zoo, 2019. [[Link](https://github.com/thunlp/OpenCLaP)]\n"
    )
    records, _ = _md(text)
    assert records == []


def test_linked_title_inside_prose() -> None:
    text = '* [23/05/26] Add our survey "[**Vision + Language: A Survey**](https://openaccess.thecvf.com/content/CVPR2023W/GCV/html/Z_CVPRW_2023_paper.html)"\n'
    (record,) = _md(text)[0]
    assert record["title"] == "Vision + Language: A Survey"
    assert record["container-title"].endswith("(CVPR) Workshops")  # type: ignore[union-attr]


def test_resources_without_a_paper_are_typed_as_what_they_are() -> None:
    text = (
        "**The Annotated Diffusion Model** \\\n*Niels Rogge, Kashif Rasul* \\\n"
        "[[Website](https://huggingface.co/blog/annotated-diffusion)]\n\n"
        "**Diffusion models explained** \\\n*Letitia Parcalabescu* \\\n"
        "[[Video](https://www.youtube.com/watch?v=344w5h24-h8)]\n\n"
        "**Minimal implementation** \\\n*Vikash Sehwag* \\\n"
        "[[Code](https://github.com/VSehwag/minimal-diffusion)]\n"
    )
    records, sink = _md(text)
    assert [r["type"] for r in records] == ["webpage", "motion_picture", "software"]
    assert [d.code for d in sink].count("markdown.no-paper-link") == 3


_PIECES = [
    *"[]()*_`|#->!<:/.,;'\" \n\t´¨aZ019",
    "https://arxiv.org/abs/2101.00001",
    "et al.",
    "CVPR 2023",
    "[[pdf]]",
    "](",
    "<br>",
    "<details>",
    "<summary>Abstract</summary>",
    "<!--",
    "```",
    "| --- |",
    "1. ",
    "    * ",
    "_A B_",
    "**Authors**:",
    "(2023-01)",
    "[Meta AI]",
    "NeurIPS'22",
    "🔥",
]


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(st.text(max_size=200), st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
)
def test_arbitrary_markdown_never_raises(text: str) -> None:
    records, sink = _md(text)
    for record in records:
        assert isinstance(record["id"], str)
        assert record["id"]
        assert record["custom"]["markdown"]["lines"][0] >= 1  # type: ignore[index]
    assert all(d.line is None or d.line >= 1 for d in sink)


def test_links_around_names_are_dropped_but_names_kept() -> None:
    text = (
        "### Mamba [[pdf]](https://arxiv.org/pdf/2312.00752)\n"
        "_[Albert Gu](https://albertgu.info), and [Tri Dao](https://tridao.me)_\n"
    )
    (record,) = _md(text)[0]
    assert record["author"] == [
        {"family": "Gu", "given": "Albert"},
        {"family": "Dao", "given": "Tri"},
    ]


def test_duplicate_papers_are_reported_and_ids_stay_unique() -> None:
    text = (
        "## A\n- (CVPR 2023) **Same Paper**, Ann Lee et al. [[Paper](https://arxiv.org/abs/2301.00001)]\n"
        "## B\n- (CVPR 2023) **Same Paper**, Ann Lee et al. [[Paper](https://arxiv.org/abs/2301.00001v2)]\n"
        "- (CVPR 2023) **Sameb Thing**, Ann Lee et al. [[Paper](https://arxiv.org/abs/2301.00002)]\n"
    )
    records, sink = _md(text)
    assert [r["id"] for r in records] == ["lee2023same", "lee2023sameb", "lee2023samebb"]
    dup = [d for d in sink if d.code == "markdown.duplicate-paper"]
    assert [(d.line, d.key) for d in dup] == [(4, "lee2023sameb")]


def test_section_filter_is_a_substring_match() -> None:
    records, _ = _read("headings", sections=["THEO"])
    assert len(records) == 4


def test_trailing_and_kbd_venue_tags() -> None:
    text = (
        "### MAGVIT: Masked Generative Video Transformer (CVPR 2023) [[pdf]](https://arxiv.org/abs/2212.05199)\n"
        "_Lijun Yu_\n\n"
        "### <kbd>ICCV 2019</kbd> A KBD Tagged Paper [[pdf]](https://arxiv.org/abs/1904.00001)\n"
        "_Ann Lee_\n"
        "- ![](fig.png)\n"
        "- a real note\n"
    )
    first, second = _md(text)[0]
    assert first["title"] == "MAGVIT: Masked Generative Video Transformer"
    assert first["type"] == "paper-conference"
    assert second["title"] == "A KBD Tagged Paper"
    assert second["issued"] == {"date-parts": [[2019]]}
    assert second["annote"] == "a real note"  # image-only notes stay in custom only
    assert second["custom"]["markdown"]["notes"] == ["![](fig.png)", "a real note"]  # type: ignore[index]


def test_table_with_venue_and_date_columns() -> None:
    text = (
        "| Title | Venue | Date | Code |\n|:--|:--:|:--:|:--:|\n"
        "| ![Star](https://img.shields.io/github/stars/x/y.svg) <br> "
        "[**A Survey on Multimodal Large Language Models**](https://arxiv.org/pdf/2306.13549.pdf)"
        " <br> | arXiv | 2023-06-23 | [Github](https://github.com/x/y) |\n"
        "| [Video-LLaMA](https://arxiv.org/abs/2306.02858) | EMNLP 2023 | 2023-06-05 | - |\n"
    )
    first, second = _md(text)[0]
    assert first["title"] == "A Survey on Multimodal Large Language Models"
    assert first["type"] == "article"
    assert first["issued"] == {"date-parts": [[2023, 6]]}
    assert second["type"] == "paper-conference"
    assert second["issued"] == {"date-parts": [[2023]]}
    assert second["custom"]["markdown"]["venue"] == "EMNLP 2023"  # type: ignore[index]


def test_heading_with_details_abstract_and_links_line() -> None:
    text = (
        "## 2024:\n### 3. OmniRe: Omni Urban Scene Reconstruction\n"
        "**Authors**: Ziyu Chen, Riccardo de Lutio, Sanja Fidler\n"
        "<details span>\n<summary><b>Abstract</b></summary>\n"
        "We introduce OmniRe, a holistic approach.\n</details>\n\n"
        "[📄 Paper](https://arxiv.org/abs/2408.16760) | [🌐 Project Page](https://ziyc.github.io/omnire/)"
        " | [💻 Code](https://github.com/ziyc/drivestudio)\n"
    )
    (record,) = _md(text)[0]
    assert record["title"] == "OmniRe: Omni Urban Scene Reconstruction"
    assert record["abstract"] == "We introduce OmniRe, a holistic approach."
    assert record["author"][1] == {  # type: ignore[index]
        "family": "Lutio",
        "given": "Riccardo",
        "non-dropping-particle": "de",
    }
    assert record["URL"] == "https://arxiv.org/abs/2408.16760"
    roles = [link["role"] for link in record["custom"]["markdown"]["links"]]  # type: ignore[index]
    assert roles == ["project", "code"]
    assert record["keyword"] == "2024"


def test_prose_under_a_heading_is_not_an_author_line() -> None:
    text = (
        "### Some Paper [[pdf]](https://arxiv.org/abs/2101.00001)\n"
        "This paper *introduces* a method that builds on Smith et al. and others.\n"
    )
    (record,) = _md(text)[0]
    assert "author" not in record
    assert "custom" in record
    assert "et-al" not in record["custom"]


def test_single_author_bylines() -> None:
    text = (
        "* (arXiv preprint 2022) **Creative Painting with Latent Diffusion Models**, Xianchao Wu"
        "  [[Paper](https://arxiv.org/abs/2209.14697)]\n"
        "* (ACMMM 2021) ⭐⭐**Text-to-Face Synthesis**, Yutong Zhou. [[Paper](https://dl.acm.org/doi/abs/10.1145/3474085.3481026)]\n"
        "- [BeyondPixels: A Review](https://arxiv.org/abs/2306.03000), AKM Shahariar Azad Rabby"
        " and Chengcui Zhang, Arxiv 2023 | [bibtex](citations/BeyondPixels.txt)\n"
        "2. **CPM-1**. Chinese Pre-trained Language Model, 2020. [[Paper](https://arxiv.org/abs/2012.00413)]\n"
    )
    records, _ = _md(text)
    assert [[a["family"] for a in r.get("author", [])] for r in records] == [  # type: ignore[union-attr]
        ["Wu"],
        ["Zhou"],
        ["Rabby", "Zhang"],
        [],
    ]
    assert records[1]["title"] == "Text-to-Face Synthesis"
    assert records[1]["DOI"] == "10.1145/3474085.3481026"

"""The venue table, venue tags and link identifiers."""

from __future__ import annotations

from pathlib import Path

import pytest

from citekit.mapping.mdnames import parse_authors, repair_accents
from citekit.mapping.paperlinks import arxiv_year, identify
from citekit.mapping.venues import VENUES, VenueTable, load_user_venues, lookup
from citekit.mapping.venuetags import parse_venue_tag

REQUIRED = [
    "CVPR",
    "ICCV",
    "ECCV",
    "WACV",
    "NeurIPS",
    "NIPS",
    "ICML",
    "ICLR",
    "AAAI",
    "IJCAI",
    "ACL",
    "EMNLP",
    "NAACL",
    "COLING",
    "SIGGRAPH",
    "TOG",
    "TPAMI",
    "IJCV",
    "TIP",
    "JMLR",
    "TMLR",
    "KDD",
    "WWW",
    "SIGIR",
    "CHI",
    "UIST",
    "ICRA",
    "IROS",
    "RSS",
    "CoRL",
    "OSDI",
    "SOSP",
    "Nature",
    "Science",
    "PNAS",
    "arXiv",
]


@pytest.mark.parametrize("name", [*REQUIRED, "SIGGRAPH Asia", "Siggraph Asia"])
def test_required_venues(name: str) -> None:
    assert lookup(name) is not None, name


def test_kinds_map_to_csl_types() -> None:
    assert lookup("CVPR").csl_type == "paper-conference"  # type: ignore[union-attr]
    assert lookup("TPAMI").csl_type == "article-journal"  # type: ignore[union-attr]
    assert lookup("arXiv").csl_type == "article"  # type: ignore[union-attr]
    assert lookup("NIPS") == lookup("NeurIPS")


@pytest.mark.parametrize("tag", ["CVPRW", "CVPR Workshop", "CVPR Workshops", "cvprw"])
def test_workshop_variants(tag: str) -> None:
    venue = lookup(tag)
    assert venue is not None
    assert venue.workshop
    assert venue.name.endswith("(CVPR) Workshops")


@pytest.mark.parametrize(
    ("tag", "short", "year"),
    [
        ("CVPR 2023", "CVPR", 2023),
        ("NeurIPS'22", "NeurIPS", 2022),
        ("(ICLR 2024)", "ICLR", 2024),
        ("[TPAMI 2023]", "TPAMI", 2023),
        ("Siggraph Asia 2024", "SIGGRAPH Asia", 2024),
        ("arXiv preprint 2022", "arXiv", 2022),
        ("CVPRW '24", "CVPRW", 2024),
        ("NeurIPS Workshop 2022", "NeurIPSW", 2022),
        ("Nature 2021", "Nature", 2021),
        ("IEEE TMI 2023", "TMI", 2023),
    ],
)
def test_venue_tags(tag: str, short: str, year: int) -> None:
    parsed = parse_venue_tag(tag)
    assert parsed is not None
    assert parsed.venue is not None
    assert (parsed.venue.short, parsed.year) == (short, year)


def test_tags_that_are_not_venues() -> None:
    assert parse_venue_tag("Meta AI") is None
    assert parse_venue_tag("!!!") is None
    unknown = parse_venue_tag("Foo Symposium 2020")
    assert unknown is not None
    assert unknown.venue is None
    assert unknown.name == "Foo Symposium"


def test_table_has_no_duplicate_short_names() -> None:
    shorts = [v.short for v in VENUES]
    assert len(shorts) == len(set(shorts))


def test_user_table_overrides_and_reports(tmp_path: Path) -> None:
    path = tmp_path / "v.toml"
    path.write_text(
        '[venues.CVPR]\nname = "My CVPR"\n[venues.X]\nname = "X"\nkind = "blog"\n',
        encoding="utf-8",
    )
    venues, problems = load_user_venues(path)
    table = VenueTable.build([*VENUES, *venues])
    assert table.lookup("CVPR").name == "My CVPR"  # type: ignore[union-attr]
    assert problems == [f"{path}: venue 'X' has unknown kind 'blog'"]
    assert load_user_venues(tmp_path / "missing.toml")[0] == []


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://openaccess.thecvf.com/content/ICCV2021/papers/x_ICCV_2021_paper.pdf",
            ("ICCV", 2021),
        ),
        ("https://openaccess.thecvf.com/content_cvpr_2018/html/x.html", ("CVPR", 2018)),
        ("https://aclanthology.org/2020.acl-main.463.pdf", ("ACL", 2020)),
        ("https://aclanthology.org/N19-1423/", ("NAACL", 2019)),
        (
            "https://proceedings.neurips.cc/paper_files/paper/2022/hash/x-Abstract.html",
            ("NeurIPS", 2022),
        ),
        ("https://www.ecva.net/papers/eccv_2022/papers_ECCV/html/x.php", ("ECCV", 2022)),
        ("https://jmlr.org/papers/v21/20-074.html", ("JMLR", 2020)),
    ],
)
def test_proceedings_links(url: str, expected: tuple[str, int]) -> None:
    info = identify("paper", url)
    assert (info.venue, info.year) == expected
    assert info.role == "paper"


def test_doi_and_openreview_links() -> None:
    assert (
        identify("x", "https://doi.org/10.1038/s41586-021-03819-2").doi
        == "10.1038/s41586-021-03819-2"
    )
    assert (
        identify("x", "https://dl.acm.org/doi/abs/10.1145/3528223.3530127").doi
        == "10.1145/3528223.3530127"
    )
    info = identify("pdf", "https://openreview.net/pdf?id=gEZrGCozdqR")
    assert info.url == "https://openreview.net/forum?id=gEZrGCozdqR"
    assert identify("[code]", "https://github.com/a/b").role == "code"
    assert identify("project", "https://a.github.io/").role == "project"
    assert identify("blog", "https://a.org/").role == "blog"
    assert arxiv_year("0704.0001") == 2007
    assert arxiv_year("hep-th/9905111") == 1999


def test_names_particles_accents_and_truncation() -> None:
    parsed = parse_authors("Laurens van der Maaten, José García-López and Christopher R´e et al.")
    assert parsed.names == [
        {"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"},
        {"family": "García-López", "given": "José"},
        {"family": "Ré", "given": "Christopher"},
    ]
    assert parsed.truncated
    assert (
        repair_accents("Doll´ar M¨uller Jos`e Fran¸cois Garc´ıa")
        == "Dollár Müller Josè François García"
    )
    assert parse_authors("Martin Luther King, Jr.").names == [
        {"family": "King", "given": "Martin Luther", "suffix": "Jr."}
    ]


@pytest.mark.parametrize(
    ("tag", "short"),
    [
        ("ICML Workshop on Foo 2023", "ICMLW"),
        ("NeurIPS Datasets and Benchmarks 2021", "NeurIPS"),
        ("IEEE TMI 2023", "TMI"),
        ("Elsevier Knowledge-Based Systems 2022", "KBS"),
        ("Neurocomputing-2022", "Neurocomputing"),
    ],
)
def test_venue_tag_fallbacks(tag: str, short: str) -> None:
    parsed = parse_venue_tag(tag)
    assert parsed is not None
    assert parsed.venue is not None
    assert parsed.venue.short == short


def test_lower_case_first_words_are_not_acronyms() -> None:
    parsed = parse_venue_tag("Science China 2022")
    assert parsed is not None
    assert parsed.venue is None
    assert parsed.name == "Science China"

# ruff: noqa: E501  (the expected table holds full paper titles)
"""The seed reading list (../shared/seed/reading-list.md) reads into exactly its 27 papers.

Expected values were checked by hand against the list and the papers' arXiv pages. Two
deliberate choices show here: Stable Video Diffusion is tagged ``[arXiv 2024]`` but its arXiv
id 2311.15127 dates the preprint to 2023, and a preprint's date is its submission
(``markdown.year-from-arxiv``); AnimateDiff's ``[[PDF]]`` link points at GitHub, so it has no
arXiv id.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from citekit.errors import Diagnostics
from citekit.readers.markdown import read_text

pytestmark = pytest.mark.corpus

CVPR = "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"
NEURIPS = "Advances in Neural Information Processing Systems (NeurIPS)"
ICLR = "Proceedings of the International Conference on Learning Representations (ICLR)"

# id, title, number of authors, first author family, year, CSL type, venue, arXiv id
EXPECTED = [
    (
        "gu2021efficiently",
        "Efficiently Modeling Long Sequences with Structured State Spaces",
        3,
        "Gu",
        2021,
        "article",
        "arXiv",
        "2111.00396",
    ),
    (
        "gu2023mamba",
        "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
        2,
        "Gu",
        2023,
        "article",
        "arXiv",
        "2312.00752",
    ),
    (
        "anon2024kan",
        "KAN: Kolmogorov–Arnold Networks",
        0,
        None,
        2024,
        "article",
        "arXiv",
        "2404.19756",
    ),
    (
        "kirillov2023segment",
        "Segment Anything",
        12,
        "Kirillov",
        2023,
        "article",
        "arXiv",
        "2304.02643",
    ),
    (
        "ravi2024sam",
        "SAM 2: Segment Anything in Images and Videos",
        18,
        "Ravi",
        2024,
        "article",
        "arXiv",
        "2408.00714",
    ),
    (
        "blattmann2023stable",
        "Stable Video Diffusion: Scaling Latent Video Diffusion Models to Large Datasets",
        12,
        "Blattmann",
        2023,
        "article",
        "arXiv",
        "2311.15127",
    ),
    (
        "radford2021clip",
        "CLIP: Learning transferable visual models from natural language supervision",
        12,
        "Radford",
        2021,
        "article",
        "arXiv",
        "2103.00020",
    ),
    (
        "jia2021align",
        "ALIGN: Scaling up visual and vision-language representation learning with noisy text supervision",
        10,
        "Jia",
        2021,
        "paper-conference",
        "Proceedings of the International Conference on Machine Learning (ICML)",
        "2102.05918",
    ),
    (
        "ramesh2021dalle",
        "DALL-E: Zero-Shot Text-to-Image Generation",
        8,
        "Ramesh",
        2021,
        "article",
        "arXiv",
        "2102.12092",
    ),
    (
        "power2022grokking",
        "Grokking: Generalization beyond Overfitting on Small Algorithmic Datasets",
        5,
        "Power",
        2022,
        "article",
        "arXiv",
        "2201.02177",
    ),
    (
        "kondratyuk2023videopoet",
        "VideoPoet: A Large Language Model for Zero-Shot Video Generation",
        31,
        "Kondratyuk",
        2023,
        "article",
        "arXiv",
        "2312.14125",
    ),
    (
        "gu2023dataseg",
        "DaTaSeg: Taming a Universal Multi-Dataset Multi-Task Segmentation Model",
        11,
        "Gu",
        2023,
        "paper-conference",
        NEURIPS,
        "2306.01736",
    ),
    (
        "liang2023modulewise",
        "Module-wise Adaptive Distillation for Multimodality Foundation Models",
        8,
        "Liang",
        2023,
        "paper-conference",
        NEURIPS,
        "2310.04550",
    ),
    (
        "akbari2023alternating",
        "Alternating Gradient Descent and Mixture-of-Experts for Integrated Multimodal Perception",
        6,
        "Akbari",
        2023,
        "paper-conference",
        NEURIPS,
        "2305.06324",
    ),
    (
        "wang2024internvideo2",
        "InternVideo2: Scaling Video Foundation Models for Multimodal Video Understanding",
        18,
        "Wang",
        2024,
        "article",
        "arXiv",
        "2403.15377",
    ),
    (
        "yu2024language",
        "Language Model Beats Diffusion -- Tokenizer is Key to Visual Generation",
        16,
        "Yu",
        2024,
        "paper-conference",
        ICLR,
        "2310.05737",
    ),
    (
        "selva2023video",
        "Video Transformers: A Survey",
        6,
        "Selva",
        2023,
        "article-journal",
        "IEEE Transactions on Pattern Analysis and Machine Intelligence",
        "2201.05991",
    ),
    (
        "yu2023magvit",
        "MAGVIT: Masked Generative Video Transformer",
        11,
        "Yu",
        2023,
        "paper-conference",
        CVPR,
        "2212.05199",
    ),
    (
        "wang2023videomae",
        "VideoMAE V2: Scaling Video Masked Autoencoders with Dual Masking",
        8,
        "Wang",
        2023,
        "paper-conference",
        CVPR,
        "2303.16727",
    ),
    (
        "tong2022videomae",
        "VideoMAE: Masked Autoencoders are Data-Efficient Learners for Self-Supervised Video Pre-Training",
        4,
        "Tong",
        2022,
        "paper-conference",
        NEURIPS,
        "2203.12602",
    ),
    (
        "wang2022bevt",
        "BEVT: BERT Pretraining of Video Transformers",
        9,
        "Wang",
        2022,
        "paper-conference",
        CVPR,
        "2112.01529",
    ),
    (
        "zhu2024champ",
        "Champ: Controllable and Consistent Human Image Animation with 3D Parametric Guidance",
        9,
        "Zhu",
        2024,
        "paper-conference",
        "Proceedings of the European Conference on Computer Vision (ECCV)",
        "2403.14781",
    ),
    (
        "hu2024animate",
        "Animate Anyone: Consistent and Controllable Image-to-Video Synthesis for Character Animation",
        6,
        "Hu",
        2024,
        "paper-conference",
        CVPR,
        "2311.17117",
    ),
    (
        "guo2024animatediff",
        "AnimateDiff: Animate Your Personalized Text-to-Image Diffusion Models without Specific Tuning",
        9,
        "Guo",
        2024,
        "paper-conference",
        ICLR,
        None,
    ),
    (
        "wang2024humanvid",
        "HumanVid: Demystifying Training Data for Camera-controllable Human Image Animation",
        11,
        "Wang",
        2024,
        "paper-conference",
        NEURIPS,
        "2407.17438",
    ),
    (
        "zhang2024mimicmotion",
        "MimicMotion: High-Quality Human Motion Video Generation with Confidence-aware Pose Guidance",
        7,
        "Zhang",
        2024,
        "article",
        "arXiv",
        "2406.19680",
    ),
    (
        "shen2024worldgrounded",
        "World-Grounded Human Motion Recovery via Gravity-View Coordinates",
        9,
        "Shen",
        2024,
        "paper-conference",
        "ACM SIGGRAPH Asia Conference Proceedings",
        "2409.06662",
    ),
]


@pytest.fixture
def seed(corpora_dir: Path) -> Path:
    path = corpora_dir.parent / "seed" / "reading-list.md"
    if not path.is_file():
        pytest.skip("../shared/seed is absent")
    return path


def test_seed_reads_into_its_27_papers(seed: Path) -> None:
    sink = Diagnostics()
    library = read_text(seed.read_text(encoding="utf-8"), source=seed.name, diagnostics=sink)
    got = []
    for record in library.records:
        authors = record.get("author", [])
        got.append(
            (
                record["id"],
                record["title"],
                len(authors),
                authors[0]["family"] if authors else None,
                record["issued"]["date-parts"][0][0],
                record["type"],
                record.get("container-title") or record.get("publisher"),
                record["custom"]["markdown"].get("arxiv"),
            )
        )
    assert len(got) == 27
    assert got == [tuple(row) for row in EXPECTED]
    by_id = {r["id"]: r for r in library.records}
    assert by_id["gu2021efficiently"]["author"][2] == {"family": "Ré", "given": "Christopher"}
    assert by_id["kirillov2023segment"]["author"][10] == {"family": "Dollár", "given": "Piotr"}
    assert by_id["kirillov2023segment"]["DOI"] == "10.48550/arXiv.2304.02643"
    assert by_id["kirillov2023segment"]["keyword"] == "Fundation Models, !!!, Meta AI"
    assert "Meta" not in by_id["kirillov2023segment"]["title"]
    assert by_id["gu2023mamba"]["custom"]["markdown"]["links"][0]["role"] == "blog"
    assert by_id["gu2023mamba"]["URL"] == "https://arxiv.org/pdf/2312.00752"
    assert "Linear Time Invariance" in by_id["gu2023mamba"]["annote"]
    codes = sorted((d.code, d.line) for d in sink)
    assert codes == [
        ("markdown.accent-repaired", 22),
        ("markdown.no-authors", 40),
        ("markdown.paper-link-is-code", 143),
        ("markdown.year-from-arxiv", 61),
    ]

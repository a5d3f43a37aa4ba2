"""Markdown reader against the real reading lists in ../shared (skipped when absent).

Recall = lines holding a paper link (arXiv, CVF, OpenReview, ACL Anthology, DOI, IEEE,
NeurIPS proceedings: the SOURCES.md definition) that fall inside some record's line span,
divided by all such lines. The awesome-NeRF README is checked against its own BibTeX.
Run ``python tests/readers/test_markdown_corpus.py`` to print the figures of
docs/markdown-recall.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pybtex.errors
import pytest
from pybtex.database import parse_string

from citekit.errors import Diagnostics
from citekit.readers.markdown import read_text

pytestmark = pytest.mark.corpus

PAPER_LINK = re.compile(
    r"arxiv\.org/|thecvf\.com|openreview\.net|aclanthology\.org|aclweb\.org/anthology|"
    r"doi\.org/|ieeexplore\.ieee\.org|nips\.cc/|neurips\.cc/",
    re.IGNORECASE,
)
# list file → minimum recall the reader must keep (measured figures are in the docs)
LISTS = {
    "awesome-3d-gaussian-splatting-README-2024-12-30.md": 0.98,
    "awesome-LLM-README.md": 0.95,
    "awesome-LLM-paper_list-evaluation.md": 1.0,
    "awesome-diffusion-models-README.md": 0.99,
    "awesome-text-to-image-Lists-5.3-2022.md": 0.98,
    "awesome-text-to-image-README.md": 0.97,
    "cvpr2023-papers-3d-from-multi-view-and-sensors.md": 1.0,
    "thunlp-PLMpapers-README.md": 0.98,
    "awesome-NeRF/README.md": 0.98,
}


def read_list(path: Path) -> tuple[list[dict[str, Any]], Diagnostics]:
    sink = Diagnostics()
    library = read_text(path.read_text(encoding="utf-8"), source=path.name, diagnostics=sink)
    return library.records, sink


def recall(path: Path, records: list[dict[str, Any]]) -> tuple[int, int, list[int]]:
    """(paper-link lines covered by a record, all paper-link lines, missed line numbers)."""
    lines = path.read_text(encoding="utf-8").split("\n")
    wanted = [n for n, line in enumerate(lines, 1) if PAPER_LINK.search(line)]
    covered: set[int] = set()
    for record in records:
        start, end = record["custom"]["markdown"]["lines"]
        covered.update(range(start, end + 1))
    missed = [n for n in wanted if n not in covered]
    return len(wanted) - len(missed), len(wanted), missed


@pytest.mark.parametrize("name", sorted(LISTS))
def test_recall(corpora_dir: Path, name: str) -> None:
    path = corpora_dir / "markdown" / name
    records, _ = read_list(path)
    found, total, missed = recall(path, records)
    assert total > 0
    assert found / total >= LISTS[name], missed[:20]
    assert all(r.get("title") for r in records)


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def nerf_answer_key(corpora_dir: Path) -> dict[str, Any]:
    """Compare README records with the BibTeX entries their ``[bibtex]`` links point at."""
    folder = corpora_dir / "markdown" / "awesome-NeRF"
    records, _ = read_list(folder / "README.md")
    bib_lines = (folder / "NeRF-and-Beyond.bib").read_text(encoding="utf-8").split("\n")
    stats = {"records": len(records), "keyed": 0, "title": 0, "title_loose": 0, "year": 0}
    stats["author"] = 0
    stats.update({"arxiv_expected": 0, "arxiv": 0, "mismatches": []})
    for record in records:
        links = record["custom"]["markdown"].get("links", [])
        target = next((x["url"] for x in links if x["role"] == "bibtex"), None)
        if target is None:
            continue
        match = re.search(r"#L(\d+)-L(\d+)", target)
        if "NeRF-and-Beyond.bib" in target and match:
            text = "\n".join(bib_lines[int(match.group(1)) - 1 : int(match.group(2))])
        else:
            local = folder / "citations" / target.rsplit("/", 1)[-1]
            if not local.is_file():
                continue
            text = local.read_text(encoding="utf-8")
        with pybtex.errors.capture():
            try:
                data = parse_string(text, "bibtex")
            except Exception:  # an answer-key entry pybtex cannot read is skipped
                continue
        if not data.entries:
            continue
        entry = next(iter(data.entries.values()))
        stats["keyed"] += 1
        title = _norm(entry.fields.get("title", "").replace("{", "").replace("}", ""))
        ours = _norm(record.get("title", ""))
        if title == ours:
            stats["title"] += 1
        if title and ours and (title in ours or ours in title):
            stats["title_loose"] += 1  # "ENeRF: Efficient X" in the README vs "Efficient X"
        else:
            stats["mismatches"].append((record["id"], entry.fields.get("title")))
        year = entry.fields.get("year", "")
        if year and str(record.get("issued", {}).get("date-parts", [[None]])[0][0]) == year:
            stats["year"] += 1
        else:
            stats.setdefault("year_mismatches", []).append((record["id"], year))
        persons = entry.persons.get("author", [])
        if persons and record.get("author"):
            family = _norm(" ".join(persons[0].last_names)).replace("\\", "")
            if family and family in _norm(record["author"][0].get("family", "")):
                stats["author"] += 1
        arxiv = re.search(r"(\d{4}\.\d{4,5})", text)
        ours_id = record["custom"]["markdown"].get("arxiv")
        if arxiv and ours_id:  # only where the README itself links to arXiv
            stats["arxiv_expected"] += 1
            stats["arxiv"] += ours_id == arxiv.group(1)
            if ours_id != arxiv.group(1):
                stats.setdefault("arxiv_mismatches", []).append((record["id"], arxiv.group(1)))
    return stats


def test_nerf_answer_key(corpora_dir: Path) -> None:
    stats = nerf_answer_key(corpora_dir)
    assert stats["keyed"] >= 140
    assert stats["title"] / stats["keyed"] >= 0.85
    assert stats["title_loose"] / stats["keyed"] >= 0.9
    # the bib often gives the arXiv year where the README gives the venue year (CVPR 2021)
    assert stats["year"] / stats["keyed"] >= 0.8
    assert stats["arxiv"] / max(stats["arxiv_expected"], 1) >= 0.9
    assert stats["author"] / stats["keyed"] >= 0.85


if __name__ == "__main__":
    root = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[3] / "shared" / "corpora"
    )
    for name in sorted(LISTS):
        path = root / "markdown" / name
        records, sink = read_list(path)
        found, total, missed = recall(path, records)
        ratio = f"{found}/{total}={found / total:.3f}"
        print(f"{name}: records={len(records)} recall={ratio} missed={missed[:15]}")
    print(nerf_answer_key(root))

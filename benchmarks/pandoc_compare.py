"""citekit vs pandoc 3 (citeproc in Haskell) on 8 top styles over ~40 varied CSL-JSON items.

Items: the first valid records (up to --items) from ../shared/corpora/csl-json/ (CSL editor
example data, citation-js test data, manubot and Better BibTeX exports), read through
citekit's CSL-JSON reader so both tools see the same normalised records. Both tools use the
same (bundled) style files. Entries are matched by id and compared as text after stripping
tags, unescaping entities and normalising whitespace.

Usage: python benchmarks/pandoc_compare.py [--items 40] [--show 3]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
CORPUS = ROOT.parent / "shared" / "corpora" / "csl-json"
STYLES = [
    "apa",
    "ieee",
    "chicago-author-date",
    "modern-language-association",
    "harvard-cite-them-right",
    "nature",
    "nlm-citation-sequence",
    "american-chemical-society",
]


def normalise(text: str) -> str:
    text = re.sub(r"</?div[^>]*>", " ", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def load_items(limit: int) -> list[dict[str, Any]]:
    import citekit

    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for path in sorted(CORPUS.rglob("*.json")):
        if ".raw." in path.name:
            continue
        try:
            lib = citekit.read(path, format="csl-json")
        except Exception:
            continue
        for record in lib:
            rid = str(record.get("id", ""))
            if rid and rid not in seen and record.get("title") and len(items) < limit:
                seen.add(rid)
                items.append(record)
    return items


def pandoc_entries(items: list[dict[str, Any]], csl: Path) -> dict[str, str]:
    import pypandoc

    with tempfile.TemporaryDirectory() as tmp:
        bib = Path(tmp) / "refs.json"
        bib.write_text(json.dumps(items), encoding="utf-8")
        doc = Path(tmp) / "doc.md"
        doc.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
        out = subprocess.run(
            [pypandoc.get_pandoc_path(), str(doc), "--citeproc", f"--bibliography={bib}",
             f"--csl={csl}", "-t", "html", "--wrap=none"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    entries = {}
    for match in re.finditer(
        r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>\s*(?=<div id="ref-|</div>\s*$)',
        out,
        re.S,
    ):
        entries[html.unescape(match.group(1))] = normalise(match.group(2))
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--show", type=int, default=2)
    args = parser.parse_args()
    from citekit import format_bibliography
    from citekit.styles import resolve

    items = load_items(args.items)
    print(f"{len(items)} items; entries identical to pandoc 3 after normalisation:")
    total_same = total = 0
    for style in STYLES:
        csl = resolve(style).path
        theirs = pandoc_entries(items, csl)
        ours = {
            e.id: normalise(e.text) for e in format_bibliography(items, style=style, output="html")
        }
        common = sorted(set(ours) & set(theirs))
        same = [i for i in common if ours[i] == theirs[i]]
        total_same += len(same)
        total += len(common)
        print(
            f"  {style:32} {len(same):3}/{len(common):3}"
            f"  ({len(ours)} citekit, {len(theirs)} pandoc)"
        )
        for rid in [i for i in common if ours[i] != theirs[i]][: args.show]:
            print(
                f"      {rid}\n        citekit: {ours[rid][:160]}"
                f"\n        pandoc:  {theirs[rid][:160]}"
            )
    print(f"overall {total_same}/{total} = {100 * total_same / max(total, 1):.1f}%")


if __name__ == "__main__":
    main()

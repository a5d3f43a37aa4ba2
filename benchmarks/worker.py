"""One timed measurement in a fresh process: ``python worker.py TOOL JOB INPUT [OPTIONS]``.

Prints one JSON line ``{"seconds": …, "count": …}``; the parent (``run.py``) takes the peak
RSS of this process from ``os.wait4``. Imports of the tool are done before the clock starts
(like ``require`` in the citation-js script); startup is measured separately by ``run.py``.

Tools and jobs:
  floor          parse   Python brace-matching split of the .bib (a lower bound, no decoding)
  bibtexparser   parse   bibtexparser 2.1 ``parse_string`` with an empty middleware stack
  citekit-tokenizer  parse  citekit's .bib tokenizer alone (``syntax.bibtex_tokenizer``)
  citekit-syntax     parse  citekit's syntax layer (tokenizer, macros, located fields)
  citekit-syntax-bp  parse  the same with the former bibtexparser splitter (``_splitter``)
  citekit-bp         parse  the whole read, one process, with the former bibtexparser splitter
  citekit-j1         parse  the whole read, one process, with the tokenizer (compare citekit-bp)
  pybtex         tobib   CSL-JSON → pybtex ``BibliographyData`` → ``to_string("bibtex")``
  citeproc-py    format  raw citeproc-py 0.11 (plain text), every item cited
  citekit        parse | tobib | format   the Library API (``read`` + ``write_string`` /
                                          ``format_bibliography``)
  citekit-stream parse | tobib            the streaming API (``convert_stream``, reading jobs=1)
  citekit-jobs2 parse                     the streaming API with 2 worker processes
  (``--jobs N`` passes ``jobs=N`` to ``format_bibliography``, and to the writer in ``tobib``)
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


_CITEKIT_MODULES = (
    "citekit.api",
    "citekit._stream_convert",
    "citekit._stream_tobib",
    "citekit._parallel",
    "citekit.readers.bibtex",
    "citekit.readers._bibtex_stream",
    "citekit.readers._bibtex_parallel",
    "citekit.readers.csljson",
    "citekit.writers.bibtex",
    "citekit.writers.biblatex",
    "citekit.writers.csljson",
    "concurrent.futures",
    "multiprocessing",
    "pybtex.database",
    "pylatexenc.latexwalker",
    "pylatexenc.latex2text",
)
"""What citekit's parse and tobib jobs load lazily: imported before the clock starts, as
the citation-js script's ``require`` loads its plugins and the pybtex row imports pybtex
(modules only; no cache is filled and no style or database is built)."""


def run(tool: str, job: str, path: str, style: str | None, out: str, jobs: int) -> dict[str, Any]:
    if tool in ("citekit", "citekit-stream", "citekit-jobs2"):
        import importlib

        import citekit.api as api

        if job != "format":
            for module in _CITEKIT_MODULES:
                importlib.import_module(module)

        if tool == "citekit" and job == "format":
            # The style is loaded and compiled inside the timed call.
            t0 = time.perf_counter()
            lib = api.read(path)
            options = {"jobs": jobs} if jobs and jobs > 1 else {}
            result = api.format_bibliography(lib, style=style, output="text", **options)
            Path(out).write_text(str(result), "utf-8")
            return {"seconds": time.perf_counter() - t0, "count": len(result.entries)}
        to_format = "csl-json" if job == "parse" else "bibtex"
        # tobib: the writers' jobs option (default automatic); --jobs 1 measures it serial
        write_options = {"jobs": jobs} if job == "tobib" and jobs is not None else {}
        t0 = time.perf_counter()
        if tool == "citekit":
            lib = api.read(path, jobs=1)
            api.write(lib, out, format=to_format, **write_options)
            count = len(lib.records)
        else:
            workers = 2 if tool == "citekit-jobs2" else 1
            count = api.convert_stream(
                path,
                out,
                to_format=to_format,
                jobs=workers,
                write_options=write_options or None,
            ).count
        return {"seconds": time.perf_counter() - t0, "count": count}
    if tool == "citekit-bp":  # the whole read as before the tokenizer: bibtexparser splits
        import functools

        import citekit.api as api
        import citekit.readers.bibtex as reader
        from citekit.syntax.bibtex import iter_entries

        reader.iter_entries = functools.partial(iter_entries, _splitter="bibtexparser")  # type: ignore[assignment]
        t0 = time.perf_counter()
        lib = api.read(path, jobs=1)
        api.write(lib, out, format="csl-json")
        return {"seconds": time.perf_counter() - t0, "count": len(lib.records)}
    if tool == "citekit-j1":  # the whole read in one process (no automatic jobs)
        import citekit.api as api

        t0 = time.perf_counter()
        lib = api.read(path, jobs=1)
        api.write(lib, out, format="csl-json")
        return {"seconds": time.perf_counter() - t0, "count": len(lib.records)}
    if tool == "citekit-tokenizer":
        from citekit.syntax.bibtex_tokenizer import tokenize

        t0 = time.perf_counter()
        count = sum(1 for b in tokenize(Path(path).read_text("utf-8")) if b.kind == "entry")
        return {"seconds": time.perf_counter() - t0, "count": count}
    if tool in ("citekit-syntax", "citekit-syntax-bp"):
        from citekit.errors import Diagnostics
        from citekit.syntax.bibtex import iter_entries

        splitter = "bibtexparser" if tool == "citekit-syntax-bp" else "citekit"
        t0 = time.perf_counter()
        text = Path(path).read_text("utf-8")
        entries = iter_entries(text, source=path, diagnostics=Diagnostics(), _splitter=splitter)
        count = sum(1 for _ in entries)
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
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    result = run(args.tool, args.job, args.input, args.style, args.out, args.jobs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()

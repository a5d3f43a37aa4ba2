"""Runner for the CSL test-suite ("humans" format) through citekit and through raw citeproc-py.

Shared by ``test_csl_test_suite.py`` (ratchet) and ``benchmarks/csl_test_suite.py`` (report).
The suite itself is read from ``../shared/corpora`` (no licence: never copied into the repo).
"""

from __future__ import annotations

import html
import io
import json
import re
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SECTION = re.compile(r">>=+ *([A-Z-]+) *=+>>\n(.*?)\n<<=+ *\1 *=+<<", re.DOTALL)


@dataclass
class Case:
    name: str
    mode: str
    result: str
    csl: str
    items: list[dict[str, Any]]
    citation_items: list[list[dict[str, Any]]] | None
    citations: list[Any] | None


def load(path: Path) -> Case:
    sections = {m.group(1): m.group(2) for m in SECTION.finditer(path.read_text(encoding="utf-8"))}
    ci = sections.get("CITATION-ITEMS")
    cs = sections.get("CITATIONS")
    return Case(
        path.stem,
        sections["MODE"].strip(),
        sections["RESULT"],
        sections["CSL"],
        json.loads(sections.get("INPUT", "[]")),
        json.loads(ci) if ci else None,
        json.loads(cs) if cs else None,
    )


_TAG_A = re.compile(r"</?a\b[^>]*>")
_PREFIX = re.compile(r"^(?:\.\.|>>)\[\d+\] ", re.MULTILINE)


def normalise(text: str) -> str:
    text = _PREFIX.sub("", text)
    text = _TAG_A.sub("", text)
    text = html.unescape(text).replace("\u00a0", " ")
    text = re.sub(r">\s+<", "><", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def _cite_groups(case: Case) -> list[list[dict[str, Any]]]:
    if case.citation_items is not None:
        return case.citation_items
    if case.citations is not None:
        return [c[0]["citationItems"] for c in case.citations]
    return [[{"id": item["id"]} for item in case.items]]


def run_citekit(case: Case, workdir: Path) -> str:
    from citekit.writers.formatted import CiteItem
    from citekit.writers.formatted.run import bibliography, citations

    path = workdir / f"{case.name}.csl"
    path.write_text(case.csl, encoding="utf-8")
    items = [dict(item, id=str(item["id"])) for item in case.items]
    groups = [
        [
            CiteItem(
                str(c["id"]),
                locator=c.get("locator"),
                label=c.get("label", "page"),
                prefix=c.get("prefix"),
                suffix=c.get("suffix"),
            )
            for c in group
        ]
        for group in _cite_groups(case)
    ]
    if case.mode == "citation":
        return "\n".join(citations(items, groups, path, output="html").citations)
    if case.citation_items is not None or case.citations is not None:
        entries = citations(items, groups, path, output="html").bibliography
    else:
        entries = bibliography(items, path, output="html").entries
    body = "".join(f'<div class="csl-entry">{e.text}</div>' for e in entries)
    return f'<div class="csl-bib-body">{body}</div>'


def run_raw(case: Case) -> str:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        Locator,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(io.BytesIO(case.csl.encode("utf-8")), validate=False)
        source = CiteProcJSON(case.items)
        bib = CitationStylesBibliography(style, source, formatter.html)
        cites = []
        for group in _cite_groups(case):
            items = []
            for c in group:
                options = {k: c[k] for k in ("prefix", "suffix") if c.get(k)}
                if c.get("locator"):
                    options["locator"] = Locator(c.get("label", "page"), c["locator"])
                items.append(CitationItem(str(c["id"]), **options))
            citation = Citation(items)
            bib.register(citation)
            cites.append(citation)
        if style.has_bibliography():
            bib.sort()
        if case.mode == "citation":
            return "\n".join(str(bib.cite(c, lambda item: None)) for c in cites)
        body = "".join(f'<div class="csl-entry">{e}</div>' for e in bib.bibliography())
        return f'<div class="csl-bib-body">{body}</div>'


def run_all(suite: Path, engine: str) -> dict[str, tuple[bool, str]]:
    """Map test name -> (passed, reason-or-output) for ``engine`` ``"citekit"`` or ``"raw"``."""
    outcome: dict[str, tuple[bool, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(suite.glob("*.txt")):
            case = load(path)
            try:
                got = run_citekit(case, Path(tmp)) if engine == "citekit" else run_raw(case)
            except Exception as exc:
                outcome[case.name] = (False, f"exception {type(exc).__name__}: {exc}"[:200])
                continue
            ok = normalise(got) == normalise(case.result)
            outcome[case.name] = (ok, "" if ok else normalise(got)[:200])
    return outcome

"""The ``format`` command and its ``--cite`` mini-language.

One ``--cite`` option is one citation (one pair of parentheses, one ``[1, 2]``); repeat the
option for several citations, in document order. Inside one citation::

    a,b                     two items: keys a and b
    a;b                     the same (a semicolon always separates items)
    c@p. 12                 key c with a locator: label "page", locator "12"
    c@12                    a bare number is a page
    c@chap. 3  c@sec. 2.1   other labels (see LOCATOR_LABELS); unknown words stay in the text
    c@pp. 12, 15; d         once a locator starts, only ';' ends the item
    {see }c@12{, emphasis}  a prefix before the key and a suffix after it, in braces
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from typing import Any

from citekit.cli._util import (
    EXIT_DATA,
    EXIT_OK,
    UsageError,
    emit,
    flag,
    print_diagnostics,
    read_command_inputs,
)
from citekit.errors import Severity

LOCATOR_LABELS: dict[str, str] = {
    "p": "page", "pp": "page", "page": "page", "pages": "page", "s": "page",
    "ch": "chapter", "chap": "chapter", "chapter": "chapter", "chapters": "chapter",
    "sec": "section", "section": "section", "sections": "section", "§": "section",
    "§§": "section", "fig": "figure", "figs": "figure", "figure": "figure",
    "vol": "volume", "vols": "volume", "volume": "volume", "para": "paragraph",
    "paras": "paragraph", "paragraph": "paragraph", "¶": "paragraph", "l": "line",
    "ll": "line", "line": "line", "lines": "line", "n": "note", "nn": "note", "note": "note",
    "notes": "note", "col": "column", "cols": "column", "column": "column", "bk": "book",
    "book": "book", "pt": "part", "part": "part", "tab": "table", "table": "table",
    "eq": "equation", "equation": "equation", "app": "appendix", "appendix": "appendix",
    "v": "verse", "vv": "verse", "verse": "verse", "art": "article-locator",
    "no": "issue", "op": "opus", "fol": "folio", "sv": "sub-verbo", "s.v": "sub-verbo",
}  # fmt: skip

_LABEL = re.compile(r"^\s*(?P<label>[^\W\d]+\.?|§§?|¶)\s*(?P<rest>.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class CiteSpec:
    """One parsed item of a ``--cite`` argument."""

    id: str
    locator: str | None = None
    label: str = "page"
    prefix: str | None = None
    suffix: str | None = None


def parse_locator(text: str) -> tuple[str, str]:
    """``"p. 12"`` → ``("page", "12")``; ``"chap. 3"`` → ``("chapter", "3")``; ``"12"`` → page."""
    match = _LABEL.match(text)
    if match:
        word = match["label"].rstrip(".").casefold()
        if word in LOCATOR_LABELS and match["rest"].strip():
            return LOCATOR_LABELS[word], match["rest"].strip()
    return "page", text.strip()


def _braced(text: str, pos: int, what: str, cite: str) -> tuple[str, int]:
    end = text.find("}", pos + 1)
    if end < 0:
        raise UsageError(f"--cite {cite!r}: unclosed {{ in the {what}")
    return text[pos + 1 : end], end + 1


def parse_cite(cite: str) -> list[CiteSpec]:
    """Parse one ``--cite`` value into its items (see the module docstring for the syntax).

    Raises:
        UsageError: Empty keys, or an unclosed brace.
    """
    items: list[CiteSpec] = []
    pos, n = 0, len(cite)
    while pos < n:
        while pos < n and cite[pos] in " \t,;":
            pos += 1
        if pos >= n:
            break
        prefix = suffix = locator = None
        if cite[pos] == "{":
            prefix, pos = _braced(cite, pos, "prefix", cite)
        start = pos
        while pos < n and cite[pos] not in ",;@{":
            pos += 1
        key = cite[start:pos].strip()
        if not key:
            raise UsageError(f"--cite {cite!r}: an item has no key")
        if pos < n and cite[pos] == "@":
            start = pos + 1
            while pos < n and cite[pos] not in ";{":
                pos += 1
            locator = cite[start:pos].strip() or None
        if pos < n and cite[pos] == "{":
            suffix, pos = _braced(cite, pos, "suffix", cite)
        label = "page"
        if locator is not None:
            label, locator = parse_locator(locator)
        items.append(CiteSpec(key, locator, label, prefix, suffix))
    if not items:
        raise UsageError(f"--cite {cite!r}: no keys")
    return items


def cmd_format(args: argparse.Namespace) -> int:
    """Format the bibliography (or the ``--cite`` citations) of the inputs in a CSL style."""
    from citekit import api

    quiet, strict = flag(args, "quiet"), flag(args, "strict")
    if args.style and args.csl:
        raise UsageError("give either --style or --csl, not both")
    style = args.csl or args.style or "apa"
    clusters = [parse_cite(value) for value in args.cite or []]
    library = read_command_inputs(args, strict=strict, quiet=quiet)
    print_diagnostics(library.diagnostics, quiet=quiet)
    options: dict[str, Any] = {"style": style, "output": args.to_format, "locale": args.locale}
    result: api.FormattedBibliography | api.FormattedCitations
    if clusters:
        citations = [[api.CiteItem(**vars_of(item)) for item in cluster] for cluster in clusters]
        result = api.format_citations(library, citations, **options)
    else:
        ids = [key.strip() for value in args.ids or [] for key in value.split(",") if key.strip()]
        if ids:
            options["ids"] = ids
        result = api.format_bibliography(library, jobs=args.jobs, **options)
    text = result.text
    emit(text if text.endswith("\n") or not text else text + "\n", args.output)
    print_diagnostics(result.diagnostics, quiet=quiet)
    failed = strict and any(d.severity is Severity.ERROR for d in result.diagnostics)
    return EXIT_DATA if failed else EXIT_OK


def vars_of(item: CiteSpec) -> dict[str, Any]:
    """The keyword arguments of ``CiteItem`` for one parsed item."""
    return {
        "id": item.id,
        "locator": item.locator,
        "label": item.label,
        "prefix": item.prefix,
        "suffix": item.suffix,
    }

"""The second LaTeX fast path (markup, symbols) gives exactly what the walker gives, or declines."""

from __future__ import annotations

from pathlib import Path

import pytest

from citekit.errors import Diagnostics
from citekit.syntax._latex_fast import decode_simple
from citekit.syntax.bibtex import parse_entries
from citekit.syntax.latex_to_unicode import walk_latex

SAMPLES = [
    r"Schr{\"o}dinger", r"{\"O}sterreich", r"\'e\`a\^o\~n\=u\.z\"{\i}", r"\c{c}\v{s}\H{o}\u{g}",
    r"\k{a}\r{a}\d{o}\b{o}", r"{\ss} \L ukasz {\o}\aa{}\AE", r"The {DNA} of {NASA}",
    "{{Whole}}", r"\emph{in vivo} {\em x} {\bf y} \textbf{b}",
    r"H\textsubscript{2}O x\textsuperscript{2}", "a--b---c~d ``q''",
    r"Barnes \& Noble \_ \# \{x\}", r"{\'E}mile {2020} {}", r"\textsc{Sc} \mbox{M B}",
    r"{A \emph{b} C}", r"{\emph{x}}", r"\'\i\'{\i}",
]  # fmt: skip
DECLINED = [r"$x$", r"\url{u}", r"\frob{x}", "50% off", r"\\", r"\v s", r"\emph x", "{open"]


@pytest.mark.parametrize("value", SAMPLES)
@pytest.mark.parametrize("mode", ["title", "rich", "text"])
def test_fast_matches_walker(value: str, mode: str) -> None:
    fast = decode_simple(value, markup=mode != "text", nocase=mode == "title")
    assert fast is not None
    assert fast == walk_latex(value, mode=mode).text  # type: ignore[arg-type]


@pytest.mark.parametrize("value", DECLINED)
def test_fast_declines_what_it_does_not_know(value: str) -> None:
    assert decode_simple(value, markup=True, nocase=True) is None


@pytest.mark.corpus
def test_fast_matches_walker_on_corpus_values(corpora_dir: Path) -> None:
    """Every 7th decodable value of every corpus file (all of them: ~36k, 0 differences)."""
    checked = 0
    seen = 0
    for path in sorted((corpora_dir / "bib").rglob("*.bib")):
        text = path.read_text(encoding="utf-8", errors="replace")
        entries, _ = parse_entries(text, source=path.name, diagnostics=Diagnostics())
        for entry in entries:
            for value in entry.fields.values():
                if "\\" not in value and "{" not in value:
                    continue
                fast = decode_simple(value, markup=True, nocase=True)
                seen += 1
                if fast is not None and seen % 7 == 0:
                    checked += 1
                    assert fast == walk_latex(value, mode="title").text, value
    assert checked > 2_000

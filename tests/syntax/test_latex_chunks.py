"""Decoding a value in chunks gives exactly what decoding it whole gives (or it is not cut)."""

from __future__ import annotations

import json
import logging
import random
from pathlib import Path

import pytest

from citekit.syntax import latex_chunks
from citekit.syntax import latex_to_unicode as full
from citekit.syntax.latex_chunks import cut_points, decode_in_chunks
from citekit.syntax.latex_encoder import Encoder
from citekit.syntax.latex_to_unicode import latex_to_unicode

MODES = ("title", "rich", "text")
FILLER = "plain words that hold no command at all, long enough for a cut"
"""A plain run of more than ``_SAFE_RUN`` characters: cuts may fall in it."""

# Fragments that reach past a space when decoded whole: a cut after them would change the
# text if the rules did not keep it away (each is followed by short words in TRICKY).
REACHING = [
    r"\frac a",  # takes its second argument after the space
    r"\frac{1}",
    r"\sqrt[3",  # an optional argument open across the space
    r"\sqrt",
    r"\'",  # an accent takes the next letter after spaces
    r"\ss",  # a control word eats the space after it
    r"\em",  # a declaration wraps everything after it
    r"{\bf x} \bf",
    r"\textbf",
    r"\emph",
    r"\foo",  # unknown: takes a group when no space follows
    r"$x",  # math open across the space
    r"$$x",
    r"{open",  # a group open across the space
    r"x~",  # a no-break space at the end of a piece would be stripped
    r"\url{a",
    r"\verb|a",
    r"\begin{quote}",
    r"50\%",
    r"% comment",
    "\\",
    r"{$\not$}a",  # a missing argument read from the math's end: past the group
    r"$\not$",
    r"\frac{1}$x$",
    r"$\frac a$",
    r"{\'}",
    r"{\textbf}",
    r"\sqrt[3]{x}",
    r"$\hat$",
    r"\'$x$",
    r"\\[2pt]",
]
SHORT = ["b", "{y}", "]{z}", "2", "e", "word", "{}", "x$", "y$$", "close}", "b}", "c|"]
SHORT.append("\\end{quote}")
BUILDING_BLOCKS = [
    FILLER,
    "a b c",
    r"Schr{\"o}dinger's {DNA} -- a {\'E}tude --- ``quoted''",
    r"\$1.4{\texttimes}\$ speed-up",
    r"$\alpha$-fraction and $\R^d$ and $$\sum_i x_i$$ display",
    r"\emph{in vivo} and \textbf{bold words here}",
    r"{\ensuremath{\delta}}",
    r"[0,1) interval and [1] citation",
    r"\url{https://example.org/a%20b}",
    r"{\em emphasised text in a group}",
    r"\& \_ \# \textasciitilde{} \{braces\}",
    "\u00a0no-break\u2009thin",
    r"-{}- '{}' !{}`",
]


def naive_chunks(value: str, mode: str) -> str:
    """Decode every space-separated word alone: what the rules must prevent."""
    pieces = [latex_to_unicode(word, mode=mode).text for word in value.split(" ")]  # type: ignore[arg-type]
    return full._SPACE.sub(" ", " ".join(pieces)).strip()


def tricky_values() -> list[str]:
    values = [f"{FILLER} {reach} {short} {FILLER}" for reach in REACHING for short in SHORT]
    values += [f"{reach} {FILLER} {short}" for reach in REACHING for short in SHORT[:4]]
    for opener, closer in ((r"\(", r"\)"), (r"\begin{quote}", r"\end{quote}"), (r"\verb|", "|")):
        values.append(f"{FILLER} {opener} {FILLER} {FILLER} {closer} {FILLER}")
    rng = random.Random(7)
    blocks = BUILDING_BLOCKS + REACHING + SHORT
    for _ in range(150):
        values.append(" ".join(rng.choice(blocks) for _ in range(rng.randint(3, 12))))
    return values


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("chunk", [0, 120])
def test_chunked_decoding_equals_whole_decoding(mode: str, chunk: int) -> None:
    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)
    for value in tricky_values():
        want = latex_to_unicode(value, mode=mode).text  # type: ignore[arg-type]
        assert decode_in_chunks(value, mode, chunk) == want, value  # type: ignore[arg-type]


def test_tricky_values_would_break_a_naive_split() -> None:
    """The test values are tricky: cutting at every space changes many of them."""
    broken = [
        value
        for value in tricky_values()
        for mode in MODES
        if naive_chunks(value, mode) != latex_to_unicode(value, mode=mode).text  # type: ignore[arg-type]
    ]
    assert len(broken) > 200


@pytest.mark.parametrize(
    ("rule", "loosened"),
    [
        ("_SAFE_RUN", 0),  # cut right after a control sequence or its arguments
        ("_DECLARATIONS", frozenset()),  # cut after \em
        ("_NO_CUTS", None),  # cut in values with \verb, \begin, \( math
        ("_argspec", None),  # cut after a macro whose missing argument reads past "$"
    ],
)
def test_each_rule_is_needed(monkeypatch: pytest.MonkeyPatch, rule: str, loosened: object) -> None:
    """With one rule loosened the chunked text differs on some value: the test above can fail."""
    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)
    if rule == "_NO_CUTS":
        import re

        loosened = re.compile("(?!)")
    elif rule == "_argspec":
        loosened = lambda name: ""  # noqa: E731
    monkeypatch.setattr(latex_chunks, rule, loosened)
    differ = [
        value
        for value in tricky_values()
        for mode in MODES
        if decode_in_chunks(value, mode, 0) != latex_to_unicode(value, mode=mode).text  # type: ignore[arg-type]
    ]
    assert differ


def test_tables_match_the_decoder() -> None:
    assert frozenset(full._STYLE_DECLARATIONS) == latex_chunks._DECLARATIONS
    assert full._URL.pattern == latex_chunks._URL.pattern


def test_cuts_are_single_spaces_between_plain_characters() -> None:
    value = f"{FILLER} {FILLER} $x$ {FILLER} {FILLER}"
    cuts = cut_points(value, 10)
    assert cuts
    for cut in cuts:
        assert value[cut] == " "
        assert not value[cut - 1].isspace()
        assert not value[cut + 1].isspace()


@pytest.mark.parametrize(
    "value",
    [
        r"unbalanced {brace " + FILLER * 3,
        r"unbalanced brace} " + FILLER * 3,
        FILLER * 3 + " $open math",
        FILLER * 3 + " trailing \\",
        FILLER * 3 + r" \verb|x y| " + FILLER,
        FILLER * 3 + r" 50% off " + FILLER,
        FILLER * 3 + r" \(x\) " + FILLER,
        "{" + FILLER * 3 + "}",
    ],
)
def test_values_that_are_not_cut(value: str) -> None:
    assert not cut_points(value, 10)
    for mode in MODES:
        assert decode_in_chunks(value, mode, 10) == latex_to_unicode(value, mode=mode).text  # type: ignore[arg-type]


def test_long_abstract_with_hard_constructs_is_cut() -> None:
    value = (
        f"{FILLER} {FILLER} achieving \\$1.4{{\\texttimes}}\\$ speed-up {FILLER} {FILLER} "
        f"with $\\frac{{1}}{{n}} \\sum_i x_i$ error {FILLER} {FILLER}"
    )
    assert len(cut_points(value) or []) >= 2
    for mode in MODES:
        assert decode_in_chunks(value, mode) == latex_to_unicode(value, mode=mode).text  # type: ignore[arg-type]


def _corpus_values(corpora_dir: Path) -> list[str]:
    """Long CSL-JSON text values as the writer encodes them, and long raw .bib values."""
    values: list[str] = []
    encoders = [Encoder(ascii=True).literal(), Encoder(ascii=False).literal()]
    for path in sorted((corpora_dir / "csl-json").rglob("*.json")):
        try:
            items = json.loads(path.read_text("utf-8"))
        except (UnicodeDecodeError, ValueError):
            continue
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict):
                continue
            for key in ("abstract", "title", "note"):
                text = item.get(key)
                if isinstance(text, str) and len(text) > 60:
                    for enc in encoders:
                        values.append(enc._text(text, True, False, key))
    bibtexparser = pytest.importorskip("bibtexparser")
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    for path in sorted((corpora_dir / "bib").rglob("*.bib"))[:30]:
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        for entry in bibtexparser.parse_string(text, parse_stack=[]).entries:
            for field in entry.fields:
                value = field.value
                if isinstance(value, str) and value[:1] in '{"' and len(value) > 60:
                    values.append(value[1:-1])
    return sorted(set(values))


@pytest.mark.corpus
def test_chunked_decoding_on_the_corpora(corpora_dir: Path) -> None:
    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)
    values = _corpus_values(corpora_dir)
    assert len(values) > 500
    cut = 0
    for value in values:
        cut += bool(cut_points(value, 20))
        for mode in MODES:
            want = latex_to_unicode(value, mode=mode).text  # type: ignore[arg-type]
            assert decode_in_chunks(value, mode, 20) == want, value  # type: ignore[arg-type]
    assert cut > 100

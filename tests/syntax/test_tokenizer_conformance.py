"""Conformance suite: citekit's .bib tokenizer against the bibtexparser path it replaced.

Every comparison runs both splitters through the whole syntax layer (see
``_tokenizer_reference.py``): on every ``.bib`` of the shared corpora, on every hostile and
fixture input of this test suite, and on Hypothesis-generated damage (mutations of valid
entries: deleted braces, commas and quotes, ``@`` in odd places, nested braces, Unicode).
"""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citekit.errors import Diagnostics
from citekit.syntax.bibtex import iter_entries, iter_entries_segmented
from citekit.syntax.segments import iter_segments

sys.path.insert(0, str(Path(__file__).parent))
from _tokenizer_reference import Outcome, compare

TESTS = Path(__file__).resolve().parents[1]
LARGE = 400_000  # bytes; larger corpus files are compared by benchmarks/tokenizer_conformance.py


def _hostile_snippets() -> dict[str, str]:
    """The .bib snippets of the hostile tests (broken blocks, pathological input)."""
    path = TESTS / "hostile" / "test_broken_bib.py"
    spec = importlib.util.spec_from_file_location("_broken_bib", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    snippets: dict[str, str] = {}
    for valid_name, valid in module.VALID.items():
        for broken_name, (broken, _) in module.BROKEN.items():
            snippets[f"{valid_name}+{broken_name}"] = valid + broken + module.AFTER
            snippets[f"{broken_name}+{valid_name}"] = broken + valid
    return snippets


EDGE_CASES: dict[str, str] = {
    "empty": "",
    "only-comment": "% nothing here\n",
    "at-in-value": "@misc{a, note = {mail me @ home, or @misc{x} inline}, year = 2000}\n",
    "at-line-start-in-value": "@misc{a, note = {first\n  @misc{b, title = {T}}\n",
    "escaped-marks": '@misc{a, title = {\\{x\\}}, note = "a \\" b", k\\,ey = 1}\n',
    "double-backslash-brace": "@misc{a, title = {x \\\\{y}}}\n",
    "quote-brace-escape": '@misc{a, title = "a {"} b", year = 1}\n',
    "parens": '@misc(a, title = "x)" # {y)}, note = {z})\n@misc(b, t = 1',
    "key-only": "@misc{justkey}\n@misc(alsokey)\n",
    "trailing-comma": "@misc{a, title = {T},\n}\n",
    "dangling-name": "@misc{a, title = {T}, oops}\n",
    "empty-type": "@{a, title = {T}}\n",
    "commentary": "@commentary{not {closed}} @preamblex{x} @stringy{s = 1}\n",
    "string-dup": '@string{s = "1"}\n@string{s = "2"}\n@misc{a, t = s}\n',
    "string-commented-out": '% @string{s = "1"}\n@string{s = "2"}\n@misc{a, t = s}\n',
    "string-parens": '@string(s = "a)b")\n@misc{a, t = s # "c"}\n',
    "deep-nesting": "@misc{a, title = {" + "{" * 8 + "x" + "}" * 8 + "}}\n",
    "missing-comma-located": "@misc{a,\n  title = {T}\n  year = 2020\n  note = {n}}\n",
    "comment-in-entry": "@misc{a,\n  % author = {x},\n  title = {T}, % trailing\n  year = 1}\n",
    "field-name-in-value": "@misc{a, note = {year = 1999}, year = 2000}\n",
    "crlf": "@misc{a,\r\n  title = {T},\r\n  year = 2000\r\n}\r\n",
    "unicode": '@misc{ü, títle = {Ünïcödé \u2028 x}, note = "\u00a0"}\n',
    "tab-block-start": "@misc{a, title = {x\n\t@book{b, t = 1}\n",
    "block-start-mid-line": "text @misc{a, t = 1} more @book{b, t = 2}\n",
    "unclosed-comment": "@comment{never closed\n@misc{a, t = 1}\n",
    "space-before-brace": "@misc {a, t = 1}\n@misc\t(b, t = 2)\n",
    "not-a-field": "@misc{a,\n  author 💯 {A. B.},\n  title = {T}\n}\n@misc{b, t = 1}\n",
    "stray-fields": "@misc{a,\n  note = {N}}},\n  year = 2020\n}\n@misc{b, t = 1}\n",
    "junk-after-value": "@misc{a,\n  title = {T}, year = 1, 💯 x\n  note = {n}\n}\n",
    "empty-field-one-line": "@misc{a,  title = {T},  , number = {2},  url = {u}}\n",
    "keyless-fields": "@misc{\n  author = {A, B},\n  title = {T}\n}\n@misc{b, t = 1}\n",
}


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases(name: str) -> None:
    compare(EDGE_CASES[name])


def test_hostile_snippets() -> None:
    outcome = Outcome()
    for text in _hostile_snippets().values():
        compare(text, outcome)
    assert outcome.entries > 100


def test_pathological_inputs() -> None:
    deep = "@misc{a, title = {" + "{" * 10_000 + "x" + "}" * 10_000 + "}}\n@misc{b, t = 1}\n"
    unbalanced = "@misc{a, title = {" + "{" * 10_000 + "x}\n@misc{b, t = 1}\n"
    long_line = "".join(f"@misc{{k{i}, title = {{T{i}}}}} " for i in range(2000))
    big_field = "@misc{a, abstract = {" + "word " * 200_000 + "}}\n"
    for text in (deep, unbalanced, long_line, big_field):
        compare(text)


def test_fixture_files(fixtures_dir: Path) -> None:
    outcome = Outcome()
    for path in sorted(fixtures_dir.rglob("*.bib")):
        compare(path.read_text("utf-8"), outcome)
    assert outcome.entries > 20


@pytest.mark.corpus
def test_corpus_files(corpora_dir: Path) -> None:
    """Every .bib of the shared corpora (files over 400 kB: benchmarks/tokenizer_conformance.py)."""
    outcome = Outcome()
    files = 0
    for path in sorted(corpora_dir.rglob("*.bib")):
        if path.stat().st_size > LARGE:
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        try:
            compare(text, outcome)
        except AssertionError as error:
            raise AssertionError(f"{path}: {error}") from error
        files += 1
    assert files > 250
    assert outcome.entries > 9_000
    # The only accepted difference: field lines the former reader found inside an earlier value.
    assert len(outcome.relocated) < 10, outcome.relocated


# --- generated damage ---------------------------------------------------------------------

SEEDS = [
    '@article{smith2020,\n  author = {Smith, John and M{\\"u}ller, K.},\n'
    "  title = {The {TeX}book: {A} {{nested}} title},\n  journal = jtp,\n  year = 2020,\n"
    '  month = jan,\n  note = "quoted {with braces}" # { and more},\n}\n',
    '@string{jtp = "Journal of Typesetting"}\n',
    '@book(key2, title = {Paren {entry}}, publisher = {ACM} # " Press")\n',
    "@misc{k3, url = {http://x.org/a%20b}, howpublished = {\\url{http://y}}}\n",
    '@preamble{"\\newcommand{\\noop}[1]{}"}\n% a comment line\n',
    "@comment{ignored {braces} here}\n",
    "@inproceedings{k4, title={Ünïcödé — “quotes”}, pages={1--2}, year={1999}}\n",
]
TOKENS = [
    "{", "}", '"', ",", "=", "@", "\\", "\n", "(", ")", "#", "%", " ", "@misc{", "\n@article{",
    "\n  @book(", '{"}', '\\"', "\\{", "é", "\u00a0", "@string{", "@comment{", "{{", "}}",
]  # fmt: skip


@st.composite
def damaged_bib(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(SEEDS), min_size=1, max_size=4))
    text = list("".join(parts))
    edits = draw(
        st.lists(
            st.tuples(
                st.integers(0, 10_000),
                st.one_of(st.none(), st.sampled_from(TOKENS), st.text(max_size=3)),
            ),
            min_size=1,
            max_size=6,
        )
    )
    for index, token in edits:
        if token is None:
            if text:
                del text[index % len(text)]
        else:
            text.insert(index % (len(text) + 1), token)
    return "".join(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_bib())
def test_generated_damage(text: str) -> None:
    compare(text)


@settings(max_examples=100, deadline=None)
@given(damaged_bib(), st.integers(1, 200))
def test_streamed_pieces_read_like_the_whole_text(text: str, chunk: int) -> None:
    """Pieces cut before block lines (the streaming reader's cut points) change nothing."""
    whole = Diagnostics()
    expected = list(iter_entries(text, source="t.bib", diagnostics=whole))
    pieces = Diagnostics()
    segments = iter_segments(io.BytesIO(text.encode()), chunk_size=chunk)
    actual = list(iter_entries_segmented(segments, source="t.bib", diagnostics=pieces))
    assert actual == expected
    assert list(pieces) == list(whole)


@pytest.mark.parametrize(
    "second",
    [
        '@0book(key2, title = {Paren {entry}}, publisher = {ACM} # " Press")',
        "@{book(key2, title = {Paren {entry}})",
    ],
)
def test_recovery_region_stops_at_the_next_block_line(second: str) -> None:
    """A damaged entry's recovery never swallows the next line-start block (found by
    hypothesis: the whole-text reader lost ``@0book(key2, …)``, the streamed one kept it)."""
    text = '@ng{jtp = "Journal of Typesetting"}\n' + second + "\n@article{x, title={T}}\n"
    whole = Diagnostics()
    expected = list(iter_entries(text, source="t.bib", diagnostics=whole))
    for chunk in (1, 64):
        pieces = Diagnostics()
        segments = iter_segments(io.BytesIO(text.encode()), chunk_size=chunk)
        assert list(iter_entries_segmented(segments, source="t.bib", diagnostics=pieces)) == (
            expected
        )
        assert list(pieces) == list(whole)
    assert expected[-1].key == "x"
    junk = [d.message for d in whole if d.key == "jtp"]
    assert junk
    assert "is not a field" in junk[0]  # the entry is closed: its junk is named and located
    assert second[:6] not in junk[0]
    if second.startswith("@0book"):
        assert [e.key for e in expected] == ["jtp", "key2", "x"]

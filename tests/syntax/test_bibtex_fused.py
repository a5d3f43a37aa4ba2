"""The fused entry reader (issue 7) gives exactly the tokenizer + ``_entry`` result.

``citekit.syntax.bibtex._FAST`` switches the fused reader off; with it off every entry goes
through the tokenizer's ``Field`` list and :func:`citekit.syntax.bibtex._entry`. Entries,
diagnostics, macros and extras must be equal both ways, on every ``.bib`` file of the corpora
and the test fixtures and on entries written to hit each case the fused reader declines.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.errors import Diagnostics
from citekit.model import BibExtras
from citekit.syntax import bibtex
from citekit.syntax.bibtex import iter_entries_segmented

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _read(text: str, *, fused: bool, pieces: int = 1) -> str:
    old = bibtex._FAST[0]
    bibtex._FAST[0] = fused
    try:
        sink = Diagnostics()
        extras = BibExtras()
        macros: dict[str, str] = {}
        lines = text.splitlines(keepends=True)
        # Pieces end before a line that starts with "@" (a cut point of the streaming reader).
        cuts = [i for i, line in enumerate(lines) if line.startswith("@")][1:]
        cuts = [0, *cuts[:: max(1, len(cuts) // pieces)][1:pieces], len(lines)]
        segments = [("".join(lines[a:b]), a) for a, b in pairwise(cuts)]
        entries = list(
            iter_entries_segmented(
                segments or [("", 0)], source="x.bib", diagnostics=sink, extras=extras,
                macros=macros,
            )
        )  # fmt: skip
        return repr((entries, [str(d) for d in sink], extras, sorted(macros.items())))
    finally:
        bibtex._FAST[0] = old


def _same(text: str) -> None:
    assert _read(text, fused=True) == _read(text, fused=False)


def test_switch_is_effective(monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison can fail: a broken fused reader is noticed."""
    from citekit.syntax import _bibtex_fused

    monkeypatch.setattr(_bibtex_fused, "_LOWER", {"title": "titel"})
    text = "@book{k, title = {T}}"
    assert _read(text, fused=True) != _read(text, fused=False)


@pytest.mark.parametrize(
    "text",
    [
        '@book{k, title = {T}, Year = 2020, note = "q {x}"}',
        "@book{k}\n@book{ }\n@book{, title={T}}",
        "@book{k, title = {T}, TITLE = {U}}",  # duplicate: declined
        "@book{k, title = {T},\n  % comment\n  year = 2020}",  # % in a name: declined
        "@string{acm = {ACM}}\n@book{k, publisher = acm # { Press}, month = jan}",
        "@book{k, publisher = nomacro, year = 2020}",  # undefined macro: declined
        "@book{k, title = {T} year = {2020}}",  # missing comma
        "% @book{k, title = {T}}\n  %x @book{j, title={U}}",  # commented out
        "@book{k,\n\n   title =\n {T},\r\n\tyear=2020,\n}\n\n@misc{j,note={N}}",
        '@book{k, title = {T}, author = {A} # " and B", x = {{a}{b}}',
        "@book(k, title = {T})\n@book{k2, title = {a \\{ b}}",
        "junk @book{k, title = {T}}junk\n@comment{c}\n@preamble{p}",
        "@book{k, title = {A}, title = {B}, year = 1}",
    ],
)
def test_fused_equals_general(text: str) -> None:
    _same(text)


FIELD = st.sampled_from(["title", "Title", "year", "author", "note", "%c\n x", "t"])
VALUE = st.sampled_from(["{T}", '"Q"', "2020", "jan", "acm # {x}", "undefinedm", "{a} b = {c}",
                         "{", '"a{"}b"', "{x}}"])  # fmt: skip
SEP = st.sampled_from([", ", ",\n  ", ",", " ", "\n", ",\n@book{z, "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(FIELD, VALUE, SEP), max_size=6), st.sampled_from(["}", ",}", "\n}"]))
def test_fused_equals_general_on_generated_entries(
    fields: list[tuple[str, str, str]], close: str
) -> None:
    body = "".join(f"{name} = {value}{sep}" for name, value, sep in fields)
    text = f"@string{{acm = {{ACM}}}}\n@book{{k, {body}{close}\n@misc{{m, note = {{n}}}}\n"
    _same(text)


def _bib_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.bib"))


def test_fused_equals_general_on_fixtures() -> None:
    files = _bib_files(FIXTURES)
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert _read(text, fused=True) == _read(text, fused=False), path


@pytest.mark.corpus
def test_fused_equals_general_on_corpora(corpora_dir: Path) -> None:
    files = _bib_files(corpora_dir)
    assert len(files) > 100
    for n, path in enumerate(files):
        text = path.read_text(encoding="utf-8", errors="replace")
        pieces = 1 + n % 3  # streaming pieces too
        fused = _read(text, fused=True, pieces=pieces)
        assert fused == _read(text, fused=False, pieces=pieces), path


def test_deferred_field_positions() -> None:
    """Lines and columns the fused reader defers equal the general path's, pickled or not."""
    import pickle

    from citekit.syntax.bibtex import iter_entries

    text = "x\n  @book{k,\n  title = {T},\n\tyear = 2020, note={a\nb}, Url = u}\n"
    sink = Diagnostics()
    (fused,) = iter_entries(text, source="x.bib", diagnostics=sink, macros={"u": "v"})
    bibtex._FAST[0] = False
    try:
        (general,) = iter_entries(text, source="x.bib", diagnostics=sink, macros={"u": "v"})
    finally:
        bibtex._FAST[0] = True
    assert fused.spans is not None
    assert general.spans is None
    copied = pickle.loads(pickle.dumps(fused))  # as worker processes send entries
    assert fused.spans is not None  # pickling does not work them out
    for entry in (copied, fused):
        assert entry.field_lines == {"title": 3, "year": 4, "note": 4, "url": 5}
        assert entry.field_columns == {"title": 3, "year": 2, "note": 15, "url": 5}
        assert entry == general
        assert repr(entry) == repr(general)
        assert entry.spans is None

"""Real BibTeX (plain, abbrvnat, IEEEtran) and biber judge citekit's rewrites entry by entry.

IEEEtran.bst ships in TeX Live's ``texlive-publishers`` (``.ci/run`` installs it); its tests
skip when ``kpsewhich IEEEtran.bst`` finds nothing.

Always-on part: the committed fixtures. Corpus part (``corpus`` + ``slow``): a sample of
../shared/corpora; it prints the agreement figures and fails below the floors measured when
the writer landed (a drop means a regression).

Known, deliberate differences (they never occur in the fixtures; see docs/writers.md):
page ranges are normalised (``968 -- 980`` → ``968--980``, ``63–78`` → ``63--78``, so plain
prints "pages"), numeric months become macros (``11`` → ``nov``), and ``issue`` read from a
BibLaTeX-style field is written as ``number``.
"""

import shutil
import subprocess

import pytest
from tests.writers.bbl_judge import biber_bbl, bibtex_bbl, compare_bbl, have_tools

import citekit

pytestmark = pytest.mark.latex

FIXTURES = ["writers/tricky.bib", "bibtex/arxiv.bib", "bibtex/latex.bib", "bibtex/macros.bib",
            "bibtex/names.bib", "bibtex/crossref.bib"]  # fmt: skip


# Differences that are deliberate, with the reason; an unexpected one (or one that goes away)
# fails the test.
EXPECTED = {
    # The reader stores the DOI without its resolver prefix (https://doi.org/10.1000/XYZ_1 →
    # 10.1000/XYZ_1), so abbrvnat's \doi{} shows the bare DOI.
    ("bibtex/latex.bib", "abbrvnat"): {"latex-title"},
    # BibLaTeX's extended name format (family=…, given=…) means nothing to BibTeX, which
    # prints the raw text; the rewrite uses the classic form BibTeX understands.
    ("bibtex/names.bib", "plain"): {"names-extended"},
    ("bibtex/names.bib", "abbrvnat"): {"names-extended"},
    ("bibtex/names.bib", "IEEEtran"): {"names-extended"},
}


@pytest.fixture(autouse=True)
def _tools():
    if not have_tools("bibtex"):
        pytest.skip("bibtex is not installed")


def _have_style(style):
    if style != "IEEEtran":
        return True
    if not shutil.which("kpsewhich"):
        return False
    found = subprocess.run(["kpsewhich", "IEEEtran.bst"], capture_output=True, text=True)
    return bool(found.stdout.strip())


@pytest.fixture
def style(request):
    if not _have_style(request.param):
        pytest.skip(f"{request.param}.bst is not installed (texlive-publishers)")
    return request.param


def _judge(text, style, tmp_path, fmt="bibtex"):
    rewrite = citekit.write_string(citekit.read_string(text, format=fmt), format="bibtex")
    original, _ = bibtex_bbl(text, style, tmp_path / "original")
    ours, _ = bibtex_bbl(rewrite, style, tmp_path / "rewrite")
    return compare_bbl(original, ours)


@pytest.mark.parametrize("style", ["plain", "abbrvnat", "IEEEtran"], indirect=True)
@pytest.mark.parametrize("name", FIXTURES)
def test_bibtex_renders_the_rewrite_like_the_original(fixtures_dir, tmp_path, name, style):
    text = (fixtures_dir / name).read_text("utf-8")
    result = _judge(text, style, tmp_path)
    assert result.total > 0
    assert not result.missing
    assert not result.extra
    assert set(result.different) == EXPECTED.get((name, style), set())


def test_biber_has_no_new_warnings_and_same_fields(fixtures_dir, tmp_path):
    if not have_tools("biber", "pdflatex"):
        pytest.skip("biber/pdflatex not installed")
    text = (fixtures_dir / "writers" / "tricky.bib").read_text("utf-8")
    rewrite = citekit.write_string(citekit.read_string(text, format="biblatex"), format="biblatex")
    original, warnings_before = biber_bbl(text, tmp_path / "original")
    ours, warnings_after = biber_bbl(rewrite, tmp_path / "rewrite")
    assert sorted(set(warnings_after) - set(warnings_before)) == []
    result = compare_bbl(original, ours, biber=True)
    assert result.total == 10
    assert not result.missing


# (file, style, floor): agreement measured when the writer landed, rounded down.
CORPUS_SAMPLE = [
    ("bib/nerf-and-beyond.bib", "plain", 1.0),
    ("bib/plume-bib/ernst.bib", "plain", 0.99),
    ("bib/plume-bib/types.bib", "abbrvnat", 0.95),
    ("bib/iridia/articles.bib", "plain", 0.98),
    ("bib/biber-etc/papers.bib", "plain", 0.96),
    ("bib/plume-bib/types.bib", "IEEEtran", 0.95),
    ("bib/iridia/articles.bib", "IEEEtran", 0.97),
]


@pytest.mark.corpus
@pytest.mark.slow
@pytest.mark.parametrize(("name", "style", "floor"), CORPUS_SAMPLE)
def test_corpus_bbl_agreement(corpora_dir, tmp_path, name, style, floor):
    if not _have_style(style):
        pytest.skip(f"{style}.bst is not installed (texlive-publishers)")
    text = (corpora_dir / name).read_text("utf-8", errors="replace")
    result = _judge(text, style, tmp_path)
    print(f"{name} {style}: {len(result.same)}/{result.total} identical entries "
          f"({result.agreement:.2%}), {len(result.missing)} missing")  # fmt: skip
    assert not result.missing
    assert result.agreement >= floor


# Trimmed real items of ../shared/corpora/csl-json (BBT fixtures, csl-editor example data):
# every class of value the writers carry in entrysubtype / csl-* fields.
CARRIED = [
    {"id": "blair2004", "type": "entry", "title": "Frithuswith", "author": [{"family": "Blair",
     "given": "John"}], "container-title": "Oxford Dictionary of National Biography",
     "issued": {"date-parts": [[2004]]}, "source": "Crossref"},
    {"id": "friends", "type": "broadcast", "title": "The One with the Princess Leia Fantasy",
     "script-writer": [{"family": "Curtis", "given": "Michael"}], "dimensions": "22 min",
     "issued": {"date-parts": [[1996, 9, 16]]}},
    {"id": "kamp2006", "type": "review-book", "title": "Deconstructing Dinner",
     "author": [{"family": "Kamp", "given": "David"}], "reviewed-author": [{"literal":
     "Michael Pollan"}], "section": "Sunday Book Review", "issued": {"date-parts": [[2006]]}},
    {"id": "zelle", "type": "article-journal", "title": "Key process conditions",
     "author": [{"family": "Dijken", "given": "Johannes Pieter", "dropping-particle": "van"}],
     "container-title": "Biotechnology for Biofuels", "issued": {"date-parts": [[2016]]},
     "submitted": {"date-parts": [[2016, 5, 10]]}, "license": "2019 The Author(s)",
     "note": "{:X-genre: xxx} 1--2", "accessed": {"raw": "13th cent"},
     "categories": ["Diseases", "Genomics"], "custom": {"markdown": {"tags": ["a{b", "%"]}}},
]  # fmt: skip


def _csl_library():
    import json

    return citekit.read_string(json.dumps(CARRIED), format="csl-json")


def _warnings(blg):
    return {line for line in blg.splitlines() if line.startswith(("Warning", "I was", "You"))}


@pytest.mark.parametrize("style", ["plain", "abbrvnat"])
def test_bibtex_ignores_the_carrier_fields(tmp_path, style):
    library = _csl_library()
    plain = citekit.write_string(library, format="bibtex", carry_csl=False)
    carried = citekit.write_string(library, format="bibtex")
    assert "csl-source = {Crossref}" in carried
    assert "entrysubtype = {broadcast}" in carried
    before, blg_before = bibtex_bbl(plain, style, tmp_path / "plain")
    after, blg_after = bibtex_bbl(carried, style, tmp_path / "carried")
    assert _warnings(blg_after) == _warnings(blg_before)
    result = compare_bbl(before, after)
    assert (result.total, len(result.same)) == (len(CARRIED), len(CARRIED))


def test_biber_accepts_the_carrier_fields_without_warnings(tmp_path):
    if not have_tools("biber", "pdflatex"):
        pytest.skip("biber/pdflatex not installed")
    library = _csl_library()
    plain = citekit.write_string(library, format="biblatex", carry_csl=False)
    carried = citekit.write_string(library, format="biblatex")
    before, warnings_before = biber_bbl(plain, tmp_path / "plain")
    after, warnings_after = biber_bbl(carried, tmp_path / "carried")
    # Without the carrier, urldate = {13th cent} is a date biber rejects; with it, no warning.
    assert warnings_after == []
    assert warnings_before != []
    # biber writes the csl-* fields nowhere; entrysubtype is a data-model field it passes on.
    extra = set(after.splitlines()) - set(before.splitlines())
    assert {line.strip() for line in extra if "csl" in line} == set()
    assert {line.strip() for line in extra if "entrysubtype" in line} == {
        r"\field{entrysubtype}{entry}",
        r"\field{entrysubtype}{broadcast}",
        r"\field{entrysubtype}{review-book}",
    }

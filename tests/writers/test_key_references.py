"""Key patterns rewrite the references between entries, so the output still resolves."""

import pytest
from tests.writers.bbl_judge import bibtex_bbl, have_tools, split_bbl

import citekit
from citekit.cli import main

BIB = r"""@inproceedings{cr-child,
  author   = {Child, C.},
  title    = {Child Paper},
  pages    = {5--6},
  crossref = {cr-parent},
}

@proceedings{cr-parent,
  title     = {Proceedings of Everything},
  editor    = {Parent, P.},
  publisher = {ACM},
  address   = {New York},
  year      = {2005},
}
"""

BIBLATEX = r"""@xdata{shared, publisher = {Springer}, location = {Berlin}}
@set{both, entryset = {one,two}}
@article{one, author = {One, A.}, title = {First}, journaltitle = {J}, date = {2001},
  related = {two}, xdata = {shared}, xref = {coll}}
@article{two, author = {Two, B.}, title = {Second}, journaltitle = {J}, date = {2002}}
@collection{coll, editor = {Ed, E.}, title = {The Collection}, date = {2000}}
"""


def _fields(text, key):
    library = citekit.read_string(text, format="biblatex")
    (record,) = [r for r in library.records if r["id"] == key]
    return record["custom"]["bibtex"]["fields"]


def test_crossref_follows_the_new_keys():
    library = citekit.read_string(BIB, format="bibtex")
    text = citekit.write_string(library, format="bibtex", key_pattern="{auth}{year}")
    assert "@inproceedings{Child2005," in text
    assert "@proceedings{Parent2005," in text
    assert "crossref = {Parent2005}" in text
    assert "cr-parent" not in text


def test_biblatex_key_fields_follow_the_new_keys():
    library = citekit.read_string(BIBLATEX, format="biblatex")
    text = citekit.write_string(library, format="biblatex", key_pattern="{auth}{year}")
    keys = {r["id"] for r in citekit.read_string(text, format="biblatex").records}
    one = _fields(text, "One2001")
    assert one["related"] == "Two2002"
    assert one["xref"] in keys
    assert one["xdata"] in keys
    both = [k for k in keys if k not in ("One2001", "Two2002")]
    sets = [_fields(text, k) for k in both if "entryset" in _fields(text, k)]
    assert sets
    assert sets[0]["entryset"] == "One2001,Two2002"


def test_unknown_references_are_left_alone():
    text = "@misc{a, title = {A}, crossref = {elsewhere}}\n"
    library = citekit.read_string(text, format="bibtex")
    out = citekit.write_string(library, format="bibtex", key_pattern="{title}")
    assert "crossref = {elsewhere}" in out


def test_cli_keys_option_rewrites_crossref(tmp_path):
    source = tmp_path / "in.bib"
    source.write_text(BIB, "utf-8")
    target = tmp_path / "out.bib"
    assert main(["convert", str(source), "-t", "bibtex", "--keys", "{auth}{year}",
                 "-o", str(target), "-q"]) == 0  # fmt: skip
    assert "crossref = {Parent2005}" in target.read_text("utf-8")


@pytest.mark.latex
def test_real_bibtex_resolves_the_rewritten_crossref(tmp_path):
    if not have_tools("bibtex"):
        pytest.skip("bibtex is not installed")
    library = citekit.read_string(BIB, format="bibtex")
    text = citekit.write_string(library, format="bibtex", key_pattern="{auth}{year}")
    bbl, blg = bibtex_bbl(text, "plain", tmp_path)
    assert "bad cross reference" not in blg
    # plain cites a resolved crossref parent ("In Parent \cite{Parent2005}"); an unresolved
    # one gives a warning and no \cite.
    assert "\\cite{Parent2005}" in bbl
    entries = split_bbl(bbl)
    original, _ = bibtex_bbl(BIB, "plain", tmp_path / "original")
    assert split_bbl(original)["cr-child"] == entries["Child2005"]
    # The check can fail: the old key left in crossref does not resolve.
    stale = text.replace("crossref = {Parent2005}", "crossref = {cr-parent}")
    bbl, blg = bibtex_bbl(stale, "plain", tmp_path / "stale")
    assert "bad cross reference" in blg

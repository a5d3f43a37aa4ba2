"""Reader-level tests: lenient reading, locations, diagnostics, examples/refs.bib."""

from __future__ import annotations

from pathlib import Path

import citekit
from citekit.errors import Diagnostics
from citekit.readers.bibtex import iter_records, read_text, sniff

ROOT = Path(__file__).resolve().parents[2]


def read(text: str, **options: object) -> tuple[citekit.Library, Diagnostics]:
    sink = Diagnostics()
    return read_text(text, source="t.bib", diagnostics=sink, **options), sink


def codes(sink: Diagnostics) -> list[str]:
    return [d.code for d in sink]


def test_examples_refs_bib() -> None:
    library = citekit.read(ROOT / "examples" / "refs.bib")
    assert library.ids == [
        "vaswani2017attention",
        "lecun2015deep",
        "kirillov2023segment",
        "knuth1984texbook",
        "vandermaaten2009",
    ]
    assert not library.errors
    vaswani = library["vaswani2017attention"]
    assert vaswani["container-title"] == "Advances in Neural Information Processing Systems"
    assert vaswani["custom"]["bibtex"]["macros"] == {"booktitle": "neurips"}
    assert [a["family"] for a in vaswani["author"]][3:5] == ["Uszkoreit", "Jones"]
    assert vaswani["author"][6] == {"family": "Kaiser", "given": "Łukasz"}
    assert library["lecun2015deep"]["issued"] == {"date-parts": [[2015, 5]]}
    assert library["kirillov2023segment"]["DOI"] == "10.48550/arXiv.2304.02643"


def test_broken_entry_costs_only_itself() -> None:
    text = "@book{a, title={A}}\n@book{b, title={B}\n@book{c, title={C}}\n"
    library, sink = read(text)
    # The unclosed entry is recovered field by field (with an error), its neighbours untouched.
    assert library.ids == ["a", "b", "c"]
    assert [r["title"] for r in library] == ["A", "B", "C"]
    [error] = [d for d in sink if d.severity == "error"]
    assert error.code == "bibtex.unclosed-entry"
    assert (error.line, error.column, error.key) == (2, 1, "b")


def test_unreadable_entry_head_is_skipped_with_a_location() -> None:
    library, sink = read("@book{a, title={A}}\n@{,,\n@book{c, title={C}}\n")
    assert library.ids == ["a", "c"]
    assert [(d.code, d.line) for d in sink if d.severity == "error"] == [
        ("bibtex.unclosed-entry", 2)
    ]


def test_locations_are_one_based_with_columns() -> None:
    library, _ = read("% head\n\n  @book{a, title={A}}  @misc{b, title={B}}\n")
    assert [(loc.line, loc.column) for loc in library.locations if loc] == [(3, 3), (3, 24)]


def test_missing_comma_is_reported_and_recovered() -> None:
    library, sink = read('@article{k,\n  author = "X and Y"\n  year = 2020,\n  title = {T}\n}\n')
    record = library["k"]
    assert record["issued"] == {"date-parts": [[2020]]}
    assert [a["family"] for a in record["author"]] == ["X", "Y"]
    [diagnostic] = [d for d in sink if d.code == "bibtex.missing-comma"]
    assert diagnostic.line == 2
    assert diagnostic.field == "author"


def test_duplicate_field_keeps_entry_and_first_value() -> None:
    library, sink = read("@book{k,\n title={First},\n TITLE={Second}}\n")
    assert library["k"]["title"] == "First"
    [diagnostic] = [d for d in sink if d.code == "bibtex.duplicate-field"]
    assert diagnostic.line == 3


def test_duplicate_keys_are_kept() -> None:
    library, _ = read("@book{k, title={A}}\n@book{k, title={B}}\n")
    assert [r["title"] for r in library] == ["A", "B"]


def test_extras_and_sniff() -> None:
    text = '@string{x = "X"}\n@preamble{"\\\\def\\\\a{b}"}\n@comment{hello}\n@misc{k, note = x}\n'
    library, _ = read(text)
    assert library.extras.strings == {"x": '"X"'}
    assert library.extras.comments == ["hello"]
    assert len(library.extras.preambles) == 1
    assert library["k"]["note"] == "X"
    assert sniff(text)
    assert not sniff('[{"id": "a"}]')


def test_iter_records_streams_in_order() -> None:
    sink = Diagnostics()
    text = "@book{a, title={A}}\n@inproceedings{b, crossref={p}}\n@proceedings{p, title={P}}\n"
    pairs = list(iter_records(text, source="t.bib", diagnostics=sink))
    assert [r["id"] for r, _ in pairs] == ["a", "b", "p"]
    assert pairs[1][0]["container-title"] == "P"


def test_very_long_crossref_chain_is_bounded() -> None:
    text = "".join(f"@misc{{e{i}, title={{T{i}}}, crossref={{e{i + 1}}}}}\n" for i in range(3000))
    library, sink = read(text)
    assert len(library) == 3000
    assert any(d.code == "bibtex.crossref-too-deep" for d in sink)


def test_huge_values_and_deep_braces_do_not_crash() -> None:
    deep = "{" * 3000 + "x" + "}" * 3000
    authors = " and ".join(f"Author{i}, A." for i in range(5000))
    library, _ = read(
        f"@misc{{k, title = {{{deep}}}, author = {{{authors}}}, note={{{'y' * 10**6}}}}}"
    )
    record = library["k"]
    assert len(record["author"]) == 5000
    assert "x" in record["title"]
    assert len(record["note"]) == 10**6

"""CSL → BibTeX/BibLaTeX mapping: type tables, names, dates, eprints, custom fields, macros."""

from dataclasses import replace

import pytest

from citekit.mapping.bib_profiles import PROFILES, get_profile
from citekit.mapping.bib_values import date_fields, format_name
from citekit.mapping.csl_to_bib import (
    CSL_TO_BIBLATEX_TYPES,
    CSL_TO_BIBTEX_TYPES,
    entry_type,
)
from citekit.mapping.csl_to_bib import record_to_entry as _record_to_entry
from citekit.mapping.csl_to_bib_tables import BIBLATEX_TYPE_NAMES, BIBTEX_TYPE_NAMES
from citekit.mapping.report import EntryReport
from citekit.model import ITEM_TYPES
from citekit.syntax.latex_encoder import Encoder

BIBTEX = PROFILES["bibtex"]
BIBLATEX = PROFILES["biblatex"]
ENC = {BIBTEX.name: Encoder(ascii=True), BIBLATEX.name: Encoder(ascii=False)}


def record_to_entry(record, profile, **kw):
    return _record_to_entry(record, profile, enc=ENC[profile.name], **kw)


@pytest.mark.parametrize(
    ("table", "names"),
    [(CSL_TO_BIBTEX_TYPES, BIBTEX_TYPE_NAMES), (CSL_TO_BIBLATEX_TYPES, BIBLATEX_TYPE_NAMES)],
)
def test_every_csl_type_has_an_explicit_row(table, names):
    assert set(table) == set(ITEM_TYPES)
    for rule in table.values():
        assert rule.primary in names


def test_bibtex_primary_types_are_classic_bst_types():
    assert {rule.primary for rule in CSL_TO_BIBTEX_TYPES.values()} <= BIBTEX_TYPE_NAMES


@pytest.mark.parametrize(
    ("csl_type", "original", "profile", "expected"),
    [
        ("chapter", None, BIBTEX, "incollection"),
        ("chapter", "inbook", BIBTEX, "inbook"),
        ("chapter", "InBook", BIBLATEX, "inbook"),
        ("article-journal", "inbook", BIBTEX, "article"),  # type was edited: table wins
        ("thesis", None, BIBTEX, "phdthesis"),
        ("thesis", "mastersthesis", BIBTEX, "mastersthesis"),
        ("thesis", None, BIBLATEX, "phdthesis"),  # @thesis needs a type
        ("thesis", "thesis", BIBLATEX, "thesis"),
        ("webpage", "online", BIBTEX, "online"),  # the user wrote it; .bst treats it as misc
        ("webpage", None, BIBTEX, "misc"),
        ("webpage", "online", BIBLATEX, "online"),
        ("document", "thesisproposal", BIBTEX, "thesisproposal"),  # user's own type kept
        ("software", None, BIBTEX, "misc"),
        ("software", None, BIBLATEX, "software"),
    ],
)
def test_entry_type(csl_type, original, profile, expected):
    record = {"id": "x", "type": csl_type}
    if original:
        record["custom"] = {"bibtex": {"type": original, "key": "x", "fields": {}}}
    assert entry_type(record, profile)[0] == expected


def test_master_thesis_from_genre():
    record = {"id": "x", "type": "thesis", "genre": "Master's thesis"}
    entry = record_to_entry(record, BIBTEX, key="x")
    assert entry.type == "mastersthesis"
    assert entry.get("type") is None  # implied by the entry type


def test_type_without_equivalent_is_carried_in_entrysubtype():
    report = EntryReport("x", "bill", "")
    entry = record_to_entry({"id": "x", "type": "bill", "title": "T"}, BIBTEX, key="x",
                            report=report)  # fmt: skip
    assert (entry.type, entry.get("entrysubtype").value) == ("misc", "bill")
    assert [(n.kind, n.target) for n in report.notes if n.source == "type"] == [
        ("carried", "entrysubtype")
    ]


def test_type_without_equivalent_is_lost_when_carrying_is_off():
    report = EntryReport("x", "bill", "")
    profile = replace(BIBTEX, carry_csl=False)
    entry = _record_to_entry({"id": "x", "type": "bill"}, profile, key="x", report=report,
                             enc=Encoder())  # fmt: skip
    assert entry.get("entrysubtype") is None
    assert any(n.kind == "lost" and n.source == "type" for n in report.notes)


@pytest.mark.parametrize(
    ("name", "profile", "expected"),
    [
        ({"family": "Smith", "given": "John"}, BIBTEX, "Smith, John"),
        ({"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}, BIBTEX,
         "van Beethoven, Ludwig"),
        ({"family": "King", "given": "Martin Luther", "suffix": "Jr."}, BIBTEX,
         "King, Jr., Martin Luther"),
        ({"literal": "World Health Organization"}, BIBTEX, "{World Health Organization}"),
        ({"literal": "Barnes and Noble, Inc."}, BIBTEX, "{Barnes and Noble, Inc.}"),
        ({"family": "Müller", "given": "Jürgen"}, BIBTEX, 'M{\\"u}ller, J{\\"u}rgen'),
        ({"family": "Müller", "given": "Jürgen"}, BIBLATEX, "Müller, Jürgen"),
        ({"family": "Gogh", "given": "Vincent", "non-dropping-particle": "Van"}, BIBLATEX,
         "family={Gogh}, given={Vincent}, prefix={Van}, useprefix=true"),
        ({"family": "Gogh", "given": "Vincent", "non-dropping-particle": "Van"}, BIBTEX,
         "{V}an Gogh, Vincent"),
        ({"family": "de la Cruz", "given": "Juan"}, BIBTEX, "{de la Cruz}, Juan"),
        ({"family": "Smith, Jones", "given": "A"}, BIBTEX, "{Smith, Jones}, A"),
        ({"family": "Plato"}, BIBTEX, "Plato"),
        ({"given": "Plato"}, BIBLATEX, "given={Plato}"),
    ],
)  # fmt: skip
def test_format_name(name, profile, expected):
    assert format_name(name, profile, ENC[profile.name])[0] == expected


def test_capitalised_particle_is_written_so_bibtex_reads_it_as_von():
    # Formerly merged into the family name (``Van Gogh``), which read back as another name;
    # ``{V}an``: BibTeX's von test looks at the first letter at brace level 0.
    from citekit.mapping.names import parse_names

    name = {"family": "Gogh", "given": "V", "non-dropping-particle": "Van"}
    text, note = format_name(name, BIBTEX, ENC["bibtex"])
    assert note is None
    assert parse_names(text, ENC["bibtex"].decode).names == [name]


def test_capitalised_particle_merge_is_noted_when_nothing_reads_back():
    # No classic spelling gives a particle without a lower-case letter to BibTeX.
    _, note = format_name(
        {"family": "Gogh", "given": "V", "non-dropping-particle": "VAN"}, BIBTEX, ENC["bibtex"]
    )
    assert note
    assert "VAN" in note


def test_et_al_marker_becomes_and_others():
    record = {
        "id": "x",
        "type": "book",
        "author": [{"family": "A", "given": "B"}],
        "custom": {"et-al": ["author"]},
    }
    assert record_to_entry(record, BIBTEX, key="x").get("author").value == "A, B and others"


@pytest.mark.parametrize(
    ("date", "profile", "expected"),
    [
        ({"date-parts": [[2020]]}, BIBTEX, [("year", "2020", False)]),
        ({"date-parts": [[2020, 5]]}, BIBTEX, [("year", "2020", False), ("month", "may", True)]),
        ({"date-parts": [[2020, 5, 3]]}, BIBTEX,
         [("year", "2020", False), ("month", "may", True), ("day", "3", False)]),
        ({"date-parts": [[2019], [2020]]}, BIBTEX, [("year", "2019", False),
                                                    ("date", "2019/2020", False)]),
        ({"date-parts": [[2020, 5, 3]]}, BIBLATEX, [("date", "2020-05-03", False)]),
        ({"date-parts": [[2019], [2020]]}, BIBLATEX, [("date", "2019/2020", False)]),
        ({"date-parts": [[2020]], "circa": True}, BIBLATEX, [("date", "2020~", False)]),
        ({"literal": "Spring 2020"}, BIBTEX, [("year", "Spring 2020", False)]),
    ],
)  # fmt: skip
def test_dates(date, profile, expected):
    assert (
        date_fields(date, "year" if profile is BIBTEX else "date", profile, ENC[profile.name])[0]
        == expected
    )


def test_arxiv_eprint_fields_written_per_dialect_for_csl_records():
    record = {
        "id": "vaswani2017",
        "type": "article",
        "title": "Attention is all you need",
        "number": "1706.03762",
        "URL": "https://arxiv.org/abs/1706.03762",
    }
    bibtex = record_to_entry(record, BIBTEX, key="k")
    assert [(f.name, f.value) for f in bibtex.fields if f.name != "title"][-3:] == [
        ("url", "https://arxiv.org/abs/1706.03762"),
        ("eprint", "1706.03762"),
        ("archivePrefix", "arXiv"),
    ]
    # Not "arXiv:1706.03762" (what the reader derives from eprint): written, to come back.
    assert bibtex.get("number").value == "1706.03762"
    record["number"] = "arXiv:1706.03762"
    assert record_to_entry(record, BIBTEX, key="k").get("number") is None
    biblatex = record_to_entry(record, BIBLATEX, key="k")
    assert biblatex.get("eprinttype").value == "arxiv"


def test_eprint_fields_read_from_bib_come_back_as_written():
    record = {
        "id": "v",
        "type": "article",
        "number": "arXiv:1706.03762",
        "publisher": "arXiv",
        "URL": "https://arxiv.org/abs/1706.03762",
        "DOI": "10.48550/arXiv.1706.03762",
        "custom": {
            "bibtex": {
                "type": "misc",
                "fields": {"eprint": "1706.03762", "archiveprefix": "arXiv",
                           "primaryclass": "cs.CL"},
                "guessed": ["type", "publisher", "URL", "DOI"],
            }
        },
    }  # fmt: skip
    entry = record_to_entry(record, BIBLATEX, key="v")
    assert entry.type == "misc"
    assert [(f.name, f.value) for f in entry.fields] == [
        ("eprint", "1706.03762"),
        ("archiveprefix", "arXiv"),
        ("primaryclass", "cs.CL"),
    ]


def test_newspaper_articles_keep_their_subtype():
    record = {"id": "n", "type": "article-newspaper", "container-title": "The Guardian"}
    assert record_to_entry(record, BIBLATEX, key="n").get("entrysubtype").value == "newspaper"


def test_custom_fields_come_back_as_written_and_report_says_so():
    record = {
        "id": "x",
        "type": "book",
        "title": "T",
        "custom": {"bibtex": {"type": "book", "fields": {"timestamp": "2020-01-01",
                                                          "mrclass": "{05C}"}}},
    }  # fmt: skip
    report = EntryReport("x", "book", "")
    entry = record_to_entry(record, BIBTEX, key="x", report=report)
    assert entry.get("timestamp").value == "2020-01-01"
    assert entry.get("mrclass").value == "{05C}"
    assert [n.source for n in report.of_kind("custom")] == [
        "custom.bibtex.timestamp",
        "custom.bibtex.mrclass",
    ]


def test_keep_macros_writes_raw_expressions():
    record = {
        "id": "x",
        "type": "article-journal",
        "container-title": "Annalen der Physik (Leipzig)",
        "issued": {"date-parts": [[1905, 6]]},
        "custom": {"bibtex": {"type": "article", "macros": {"journal": 'AnnPhys # " (Leipzig)"'}}},
    }
    entry = record_to_entry(record, BIBLATEX, key="x", keep_macros=True)
    field = entry.get("journaltitle")
    assert field.raw
    assert field.value == 'AnnPhys # " (Leipzig)"'
    plain = record_to_entry(record, BIBLATEX, key="x")
    assert not plain.get("journaltitle").raw


def test_unmapped_variables_are_carried_not_lost():
    report = EntryReport("x", "book", "")
    record = {"id": "x", "type": "book", "archive_location": "Box 3",
              "custom": {"markdown": {"tags": ["a{"]}}}  # fmt: skip
    entry = record_to_entry(record, BIBTEX, key="x", report=report)
    assert entry.get("csl-archive_location").value == "Box 3"
    assert entry.get("csl-custom").value == '{"markdown": {"tags": ["a\\u007b"]}}'
    assert report.of_kind("lost") == []
    assert {n.source for n in report.of_kind("carried")} == {"archive_location", "custom.markdown"}


def test_unmapped_variables_are_reported_lost_when_carrying_is_off():
    report = EntryReport("x", "book", "")
    record = {"id": "x", "type": "book", "archive_location": "Box 3", "custom": {"markdown": {}}}
    _record_to_entry(record, replace(BIBTEX, carry_csl=False), key="x", report=report,
                     enc=Encoder())  # fmt: skip
    lost = {n.source for n in report.of_kind("lost")}
    assert lost == {"archive_location", "custom.markdown"}


def test_number_goes_to_issue_or_series_number_by_type():
    article = {"id": "a", "type": "article-journal", "issue": "3", "volume": "2"}
    assert record_to_entry(article, BIBTEX, key="a").get("number").value == "3"
    book = {"id": "b", "type": "book", "collection-number": "12", "collection-title": "LNCS"}
    entry = record_to_entry(book, BIBTEX, key="b")
    assert entry.get("number").value == "12"
    assert entry.get("series").value == "LNCS"
    report = {"id": "r", "type": "report", "number": "TR-7", "publisher": "MIT"}
    entry = record_to_entry(report, BIBTEX, key="r")
    assert entry.get("number").value == "TR-7"
    assert entry.get("institution").value == "MIT"


def test_edition_words_only_in_bibtex_profile():
    record = {"id": "x", "type": "book", "edition": 2}
    assert record_to_entry(record, BIBTEX, key="x").get("edition").value == "Second"
    assert record_to_entry(record, BIBLATEX, key="x").get("edition").value == "2"
    record["edition"] = "2nd rev."
    assert record_to_entry(record, BIBTEX, key="x").get("edition").value == "2nd rev."


def test_profiles_refuse_the_other_dialect():
    with pytest.raises(ValueError, match="profile"):
        get_profile("biblatex", "bibtex")
    with pytest.raises(ValueError, match="profile"):
        get_profile("nope", "bibtex")


def test_sentence_cased_titles_are_written_as_they_were():
    import citekit

    text = "@article{a, title = {Attention Is All You Need for {BERT}}}"
    library = citekit.read_string(text, format="bibtex", sentence_case=True)
    assert library.records[0]["title"].startswith("Attention is all")
    assert "title = {Attention Is All You Need for {BERT}}" in citekit.write_string(
        library, format="bibtex"
    )
    library.records[0]["title"] = "Edited title"
    assert "title = {Edited title}" in citekit.write_string(library, format="bibtex")

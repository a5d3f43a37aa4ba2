"""The csl-* carrier: every class of CSL value a .bib has no field for comes back exactly.

The records are (trimmed) real items of ../shared/corpora/csl-json (Better BibTeX test
fixtures, csl-editor example data, manubot outputs), one per class of difference the
CSL-JSON → BibLaTeX/BibTeX → CSL-JSON round trip used to report.
"""

import json

import pytest

import citekit
from citekit.mapping.csl_carrier import carrier_field, carrier_variable, custom_json
from citekit.mapping.report import ConversionReport
from citekit.roundtrips import semantic_diff

VIAS = ["biblatex", "bibtex"]


def _csl(*items):
    return citekit.read_string(json.dumps(list(items)), format="csl-json")


def _round_trip(via, *items, **options):
    library = _csl(*items)
    text = citekit.write_string(library, format=via, **options)
    back = citekit.read_string(text, format=via)
    diffs, missing = semantic_diff(library.records, back.records, compare_custom=False)
    return text, [str(d) for d in diffs] + missing


# --- types ---------------------------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize(
    ("csl_type", "expected"),
    [
        # manual-references-256-field-combos.json: 260 "entry" items
        ("entry", {"biblatex": "@inreference", "bibtex": "@incollection"}),
        # Export_of_creator-type_fields…825 (friends:leia:tv), Kubrick1964
        ("broadcast", {"biblatex": "@misc", "bibtex": "@misc"}),
        # Setting_the_item_type_via_the_cheater_syntax_587 (kamp_deconstructing_2006)
        ("review-book", {"biblatex": "@review", "bibtex": "@article"}),
        # Export_does_not_include_available-date_3286 (author59BlogPost2018)
        ("post-weblog", {"biblatex": "@online", "bibtex": "@misc"}),
        ("musical_score", {"biblatex": "@music", "bibtex": "@misc"}),
        ("webpage", {"biblatex": "@online", "bibtex": "@misc"}),
        ("article", {"biblatex": "@online", "bibtex": "@misc"}),
    ],
)
def test_nearest_entry_type_carries_the_exact_csl_type(via, csl_type, expected):
    item = {"id": "x", "type": csl_type, "title": "T", "issued": {"date-parts": [[2004]]}}
    text, diffs = _round_trip(via, item)
    assert text.startswith(expected[via] + "{x,")
    if (csl_type, via) != ("webpage", "biblatex"):
        assert f"entrysubtype = {{{csl_type}}}" in text
    assert diffs == []


def test_users_entrysubtype_is_kept_and_the_type_goes_to_csl_type():
    library = citekit.read_string(
        "@misc{x, title = {T}, entrysubtype = {classical}}", format="biblatex"
    )
    library.records[0]["type"] = "broadcast"
    text = citekit.write_string(library, format="biblatex")
    assert "entrysubtype = {classical}" in text
    assert "csl-type = {broadcast}" in text
    back = citekit.read_string(text, format="biblatex").records[0]
    assert back["type"] == "broadcast"
    assert back["custom"]["bibtex"]["fields"]["entrysubtype"] == "classical"


def test_entrysubtype_naming_a_csl_type_on_another_entry_type_stays_the_users():
    # GB/T 7714 files write @book + entrysubtype = {standard}: not a type citekit wrote.
    record = citekit.read_string(
        "@book{x, title = {T}, entrysubtype = {standard}}", format="biblatex"
    ).records[0]
    assert record["type"] == "book"
    assert record["custom"]["bibtex"]["fields"]["entrysubtype"] == "standard"


# --- variables without a field ---------------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_text_variables_without_a_field_are_carried(via):
    item = {
        "id": "item-5",
        "type": "thesis",
        "title": "Properties of expanding universes",
        "source": "Crossref",  # 74 manubot items
        "license": "© Stephen Hawking, All Rights Reserved",  # csl-editor-exampleData item-5
        "part-title": "The scholarly disciplines",  # …available-date_3286
        "dimensions": "22 min",  # …825 friends:leia:dvd
        "section": "Sunday Book Review",  # …cheater_syntax_587
        "authority": "Md.",  # Better_CSL_JSON_does_not_include_authority_field_2019
        "jurisdiction": "002twRepublic of China|TW",  # …standard_items_included._2212
        "archive_location": "W531.51C",
        "reviewed-title": "The omnivore’s dilemma: a natural history of four meals",
    }
    text, diffs = _round_trip(via, item)
    assert "csl-source = {Crossref}" in text
    assert "csl-archive_location = {W531.51C}" in text
    assert diffs == []


@pytest.mark.parametrize("via", VIAS)
def test_name_variables_without_a_field_are_carried(via):
    item = {
        "id": "friends:leia:dvd",
        "type": "motion_picture",
        "title": "The One with the Princess Leia Fantasy",
        "script-writer": [
            {"family": "Curtis", "given": "Michael"},
            {"family": "Malins", "given": "Gregory S."},
        ],
        "reviewed-author": [{"literal": "Hermano Vianna"}],
        "host": [{"family": "Dijken", "given": "Johannes Pieter", "dropping-particle": "van"}],
    }
    text, diffs = _round_trip(via, item)
    assert "csl-script-writer = {Curtis, Michael and Malins, Gregory S.}" in text
    assert "csl-reviewed-author = {{Hermano Vianna}}" in text
    assert "prefix={van}, useprefix=false" in text
    assert diffs == []


def test_bibtex_names_with_a_dropping_particle_also_get_the_exact_form():
    # csl-editor-exampleData item-7: BibTeX's "van Dijken, Johannes Pieter" reads back as a
    # non-dropping particle, so the exact parts ride along in csl-author.
    item = {
        "id": "item-7",
        "type": "article-journal",
        "author": [
            {"family": "Zelle", "given": "Rintze M."},
            {"family": "Dijken", "given": "Johannes Pieter", "dropping-particle": "van"},
        ],
    }
    text, diffs = _round_trip("bibtex", item)
    assert "author = {Zelle, Rintze M. and van Dijken, Johannes Pieter}" in text
    assert "csl-author = {Zelle, Rintze M. and family={Dijken}" in text
    assert diffs == []
    text, diffs = _round_trip("biblatex", item)
    assert "csl-author" not in text
    assert diffs == []


@pytest.mark.parametrize("via", VIAS)
def test_dates_without_a_field_or_an_edtf_form_are_carried(via):
    item = {
        "id": "t2",
        "type": "webpage",
        "title": "T",
        "available-date": {"date-parts": [[1930], [1952]]},  # …available-date_3286
        "submitted": {"date-parts": [[2016, 5, 10]]},  # csl-editor-exampleData item-7
        "accessed": {"raw": "13th cent"},  # Date_export_to_Better_CSL-JSON_360_811 t2
        "original-date": {"literal": "2017-14/2017-99"},  # Season_ranges…860
        "event-date": {"date-parts": [[2019, 3, 1]]},
    }
    text, diffs = _round_trip(via, item)
    assert "csl-available-date = {1930/1952}" in text
    assert "csl-accessed = {13th cent}" in text
    assert "urldate" not in text
    assert "origdate" not in text
    assert diffs == []


@pytest.mark.parametrize("via", VIAS)
def test_categories_and_other_custom_namespaces_are_carried(via):
    item = {
        "id": "AflvSRWR",  # manubot datacite-thesis-csl
        "type": "thesis",
        "title": "T",
        "categories": ["Diseases", "111706 Epidemiology", "Black and White"],
        "custom": {"markdown": {"tags": ["nlp", "a{b"], "note": "Zürich % 100"}},
        "GSCC": "unknown key",  # kept by the reader in custom.extra-variables
    }
    text, diffs = _round_trip(via, item)
    assert "csl-categories = {Diseases and 111706 Epidemiology and Black {and} White}" in text
    assert '"tags": ["nlp", "a\\u007bb"]' in text
    assert "Z\\u00fcrich" in text
    assert diffs == []


def test_custom_json_is_balanced_ascii():
    text = custom_json({"bibtex": {}, "markdown": {"x": '}{ ü \\ "'}})
    assert text == '{"markdown": {"x": "\\u007d\\u007b \\u00fc \\\\ \\""}}'
    assert text.isascii()
    assert text.count("{") == text.count("}")
    assert json.loads(text) == {"markdown": {"x": '}{ ü \\ "'}}


# --- markup and small mapping fixes ------------------------------------------------------


@pytest.mark.parametrize("via", VIAS)
def test_literal_braces_and_dashes_in_csl_text_come_back(via):
    item = {
        "id": "Author2015",
        "type": "report",
        "note": "{:X-genre: xxx}",  # …uppercase_DOI_825
        "annote": 'tandard"}',  # …standard_items_included._2212 (an unpaired brace)
        "abstract": 'interpretive scholars"--',  # Better_CSL_does_not_extract…2963
        "title": "``Quoted'' --- and !`",
    }
    text, diffs = _round_trip(via, item)
    assert "\\{:X-genre: xxx\\}" in text
    assert 'scholars"-{}-' in text
    assert diffs == []


def test_literal_list_that_would_not_split_back_is_one_item():
    item = {"id": "b", "type": "book", "publisher-place": "Cambridge ; New York"}
    text, diffs = _round_trip("biblatex", item)
    assert "location = {Cambridge ; New York}" in text
    assert diffs == []
    item["publisher-place"] = "Cambridge; New York"
    text, diffs = _round_trip("biblatex", item)
    assert "location = {Cambridge and New York}" in text
    assert diffs == []


def test_genre_is_only_left_out_when_the_reader_derives_it_exactly():
    item = {"id": "t", "type": "thesis", "genre": "Doctoral thesis", "publisher": "Cambridge"}
    text, diffs = _round_trip("bibtex", item)
    assert "type = {Doctoral thesis}" in text
    assert diffs == []
    item["genre"] = "PhD thesis"
    text, diffs = _round_trip("bibtex", item)
    assert "type =" not in text
    assert diffs == []


@pytest.mark.parametrize("via", VIAS)
def test_arxiv_number_of_a_report_is_written(via):
    # manubot arxiv-joss-csl: a report whose number is the arXiv id (no "arXiv:" prefix)
    item = {
        "id": "oGNtTmrp",
        "type": "report",
        "number": "1707.02264v3",
        "URL": "https://arxiv.org/abs/1707.02264v3",
        "DOI": "10.7717/peerj-cs.147",
        "publisher": "arXiv",
    }
    text, diffs = _round_trip(via, item)
    assert "number = {1707.02264v3}" in text
    assert diffs == []


# --- report and options ------------------------------------------------------------------


def test_report_says_carried_not_lost():
    report = ConversionReport("biblatex")
    library = _csl({"id": "x", "type": "broadcast", "source": "Crossref"})
    citekit.write_string(library, format="biblatex", report=report)
    entry = report.entries[0]
    assert entry.lossless
    assert [(n.source, n.target) for n in entry.of_kind("carried")] == [
        ("type", "entrysubtype"),
        ("source", "csl-source"),
    ]
    assert "1 carried" not in report.format_text()
    assert "2 carried, 0 lost" in report.format_text()


def test_carrying_can_be_turned_off():
    library = _csl({"id": "x", "type": "broadcast", "source": "Crossref"})
    report = ConversionReport("biblatex")
    text = citekit.write_string(library, format="biblatex", carry_csl=False, report=report)
    assert "csl-" not in text
    assert "entrysubtype" not in text
    assert {n.source for n in report.entries[0].of_kind("lost")} == {"type", "source"}


# --- hostile carriers ----------------------------------------------------------------------


def test_carrier_names_that_are_no_csl_variable_stay_custom():
    assert carrier_variable("csl-id") is None
    assert carrier_field("id") is None
    assert carrier_variable("csl-archive_location") == "archive_location"
    record = citekit.read_string(
        "@misc{x, csl-id = {evil}, csl-foo = {1}}", format="bibtex"
    ).records[0]
    assert record["id"] == "x"
    assert record["custom"]["bibtex"]["fields"] == {"csl-id": "evil", "csl-foo": "1"}


@pytest.mark.parametrize("value", ["not json", "[" * 5000 + "]" * 5000, '["a list"]'])
def test_unreadable_csl_custom_is_kept_with_a_warning(value):
    library = citekit.read_string(f"@misc{{x, csl-custom = {{{value}}}}}", format="biblatex")
    record = library.records[0]
    assert "csl-custom" in record["custom"]["bibtex"]["fields"]
    assert [d.code for d in library.diagnostics] == ["bibtex.bad-carrier"]

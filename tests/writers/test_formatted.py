"""Formatted bibliographies and citations: each citeproc-py fix has a test that fails without it."""

from __future__ import annotations

from pathlib import Path

import pytest

import citekit
from citekit import CiteItem, StyleError, format_bibliography, format_citations
from citekit.writers.formatted import engine

VASWANI = {
    "id": "A1",
    "type": "article-journal",
    "title": "Attention is all you need",
    "author": [{"family": "Vaswani", "given": "Ashish"}, {"family": "Shazeer", "given": "Noam"}],
    "issued": {"date-parts": [[2017]]},
    "container-title": "NeurIPS",
    "volume": "30",
    "page": "5998-6008",
    "DOI": "10.5555/3295222.3295349",
}
SMITH_A = {
    "id": "a1",
    "type": "book",
    "title": "Learning things",
    "author": [{"family": "Smith", "given": "John Paul"}],
    "issued": {"date-parts": [[2020]]},
    "publisher": "Pub & Co",
}
SMITH_B = {
    "id": "b2",
    "type": "book",
    "title": "More things",
    "author": [{"family": "Smith", "given": "John Paul"}],
    "issued": {"date-parts": [[2020]]},
    "publisher": "Pub",
}
RECORDS = [VASWANI, SMITH_A, SMITH_B]

STYLE_TEMPLATE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout>{layout}</layout></bibliography>
</style>
"""


def _style(tmp_path: Path, layout: str) -> Path:
    path = tmp_path / "t.csl"
    path.write_text(STYLE_TEMPLATE.format(layout=layout), encoding="utf-8")
    return path


def test_apa_text_bibliography() -> None:
    bib = format_bibliography([VASWANI], style="apa")
    assert bib.entries[0].id == "A1"
    assert str(bib) == (
        "Vaswani, A., & Shazeer, N. (2017). Attention is all you need. NeurIPS, 30, "
        "5998–6008. https://doi.org/10.5555/3295222.3295349\n"
    )


def test_ids_keep_case_and_do_not_collide() -> None:
    upper = dict(SMITH_A, id="A1", title="Upper")
    lower = dict(SMITH_A, id="a1", title="Lower", issued={"date-parts": [[2001]]})
    bib = format_bibliography([upper, lower], style="ieee")
    assert sorted(e.id for e in bib.entries) == ["A1", "a1"]
    assert {e.id: ("Upper" in e.text) for e in bib.entries} == {"A1": True, "a1": False}


def test_label_space_after_numeric_label() -> None:
    text = format_bibliography([VASWANI], style="ieee").entries[0].text
    assert text.startswith("[1] A. Vaswani")  # citeproc-py alone: "[1]A. Vaswani"


def test_second_field_align_cells_in_html() -> None:
    html = format_bibliography([VASWANI], style="ieee", output="html").entries[0].text
    assert html.startswith('<div class="csl-left-margin">[1]</div><div class="csl-right-inline">A.')


def test_punctuation_in_quote_for_en_us() -> None:
    text = format_bibliography([VASWANI], style="ieee").entries[0].text
    assert "“Attention is all you need,”" in text


def test_no_punctuation_in_quote_for_en_gb() -> None:
    text = format_bibliography([VASWANI], style="ieee", locale="en-GB").entries[0].text
    assert "‘Attention is all you need’," in text


def test_initialize_false(tmp_path: Path) -> None:
    path = _style(
        tmp_path, '<names variable="author"><name initialize="false" initialize-with=". "/></names>'
    )
    assert format_bibliography([SMITH_A], style=path).entries[0].text == "John Paul Smith"
    path2 = _style(tmp_path, '<names variable="author"><name initialize-with=". "/></names>')
    assert format_bibliography([SMITH_A], style=path2).entries[0].text == "J. P. Smith"


def test_year_suffix_disambiguation_explicit_style() -> None:
    cites = format_citations(RECORDS, [["a1"], ["b2"], ["a1", "b2"]], style="apa")
    assert cites.citations == [
        *["(Smith, 2020a)", "(Smith, 2020b)", "(Smith, 2020a, 2020b)"][:2],
        cites.citations[2],
    ]
    assert "2020a" in cites.citations[2]
    assert "2020b" in cites.citations[2]
    bib = format_bibliography(RECORDS, style="apa")
    texts = {e.id: e.text for e in bib.entries}
    assert "(2020a)" in texts["a1"]
    assert "(2020b)" in texts["b2"]
    assert "2017a" not in texts["A1"]


def test_year_suffix_disambiguation_implicit_style() -> None:
    # elsevier-harvard asks for year-suffix but never prints the variable;
    # CSL puts it after the year
    bib = format_bibliography(RECORDS, style="elsevier-harvard")
    texts = {e.id: e.text for e in bib.entries}
    assert "2020a" in texts["a1"]
    assert "2020b" in texts["b2"]


def test_collapse_citation_numbers() -> None:
    records = [dict(SMITH_A, id=f"r{i}", title=f"T{i}") for i in range(5)]
    cites = format_citations(
        records, [["r0", "r1", "r2", "r3"], ["r4", "r0", "r2"]], style="nature"
    )
    assert cites.citations == ["1–4", "1,3,5"]


def test_citations_locator_prefix_suffix_document_order() -> None:
    cites = format_citations(
        RECORDS,
        [
            [CiteItem("b2", locator="12-14", prefix="see ")],
            ["A1"],
            [CiteItem("a1", suffix=", ch. 2")],
        ],
        style="ieee",
    )
    assert cites.citations == ["see [1, pp. 12–14]", "[2]", "[3], ch. 2"]
    assert [e.id for e in cites.bibliography] == ["b2", "A1", "a1"]


def test_unknown_cited_key_is_a_diagnostic() -> None:
    cites = format_citations(RECORDS, [["nope"], ["A1"]], style="apa")
    assert cites.citations == ["", "(Vaswani & Shazeer, 2017)"]
    assert any(d.code == "format.unknown-key" and d.key == "nope" for d in cites.diagnostics)


HOSTILE = {
    "id": "h",
    "type": "book",
    "title": r"<script>alert(1)</script> \input{/etc/passwd} \write18{rm} *bold* _x_ [a](b) `c`",
    "author": [{"family": "O'Brien & <Sons>", "given": "Al"}],
    "issued": {"date-parts": [[2001]]},
}


def test_html_escapes_data() -> None:
    html = format_bibliography([HOSTILE], style="apa", output="html").text
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "&amp; &lt;Sons&gt;" in html
    assert html.startswith('<div class="csl-bib-body">\n  <div class="csl-entry">')


def test_latex_escapes_data() -> None:
    tex = format_bibliography([HOSTILE], style="apa", output="latex").text
    assert "\\input{" not in tex
    assert "\\write18{" not in tex
    assert "\\textbackslash{}input\\{/etc/passwd\\}" in tex
    assert "\\emph{" in tex
    assert "\\bibitem" not in tex


def test_markdown_escapes_data() -> None:
    md = format_bibliography([HOSTILE], style="apa", output="markdown").text
    assert "\\*bold\\*" in md
    assert "\\_x\\_" in md
    assert "\\[a\\]" in md
    assert "\\`c\\`" in md
    assert "\\<script\\>" in md
    assert md.count("*") - md.count("\\*") == 2  # only the title's italics


def test_rst_escapes_data() -> None:
    rst = format_bibliography([HOSTILE], style="apa", output="rst").text
    assert "\\*bold\\*" in rst
    assert "\\_x\\_" in rst
    assert "\\`c\\`" in rst
    directive = dict(HOSTILE, author=[{"literal": ".. raw:: html"}])
    assert format_bibliography([directive], style="apa", output="rst").text.startswith("\\..")


def test_rich_text_markup_in_data_becomes_format_markup() -> None:
    record = dict(SMITH_A, type="article-journal", title="On <i>E. coli</i> x<sup>2</sup>")
    html = format_bibliography([record], style="apa", output="html").text
    assert "<i>E. coli</i>" in html
    assert "x<sup>2</sup>" in html
    md = format_bibliography([record], style="apa", output="markdown").text
    assert "*E. coli*" in md


def test_html_links_doi() -> None:
    html = format_bibliography([VASWANI], style="apa", output="html").text
    assert '<a href="https://doi.org/10.5555/3295222.3295349">' in html


def test_raw_and_edtf_dates_are_converted() -> None:
    raw = dict(SMITH_A, issued={"raw": "2019-03-01"})
    edtf = dict(SMITH_B, issued={"raw": "2018~"})
    texts = [e.text for e in format_bibliography([raw, edtf], style="apa").entries]
    assert any("(2019)" in t for t in texts)
    assert any("2018" in t for t in texts)


def test_language_stops_english_title_case() -> None:
    german = dict(SMITH_A, title="über die natur der dinge", language="de")
    english = dict(SMITH_B, title="on the nature of things")
    texts = {
        e.id: e.text
        for e in format_bibliography([german, english], style="chicago-author-date").entries
    }
    assert "über die natur der dinge" in texts["a1"]
    assert "On the Nature of Things" in texts["b2"]


def test_crashing_entry_gives_diagnostic_and_rest_formats(tmp_path: Path) -> None:
    # citeproc-py 0.11.1 raises AssertionError for a numeric month of a season date
    path = _style(
        tmp_path,
        '<text variable="title" suffix=" "/>'
        '<date variable="issued"><date-part name="month" form="numeric"/></date>',
    )
    season = dict(SMITH_A, issued={"date-parts": [[2020]], "season": 2})
    bib = format_bibliography([season, SMITH_B], style=path)
    assert [e.id for e in bib.entries] == ["b2"]
    crash = [d for d in bib.diagnostics if d.code == "format.style-crashed"]
    assert len(crash) == 1
    assert crash[0].key == "a1"


def test_text_case_on_formatted_macro_does_not_crash(tmp_path: Path) -> None:
    # citeproc-py 0.11.1: AttributeError 'str' object has no attribute 'capitalize_first'
    text = STYLE_TEMPLATE.replace(
        "<citation>",
        '<macro name="m"><text variable="title" font-style="italic"/></macro>\n  <citation>',
    ).format(layout='<text macro="m" text-case="capitalize-first"/>')
    path = tmp_path / "case.csl"
    path.write_text(text, encoding="utf-8")
    bib = format_bibliography([dict(SMITH_A, title="learning things")], style=path, output="html")
    assert bib.entries[0].text == "<i>Learning things</i>"
    assert not bib.diagnostics


def test_capitalize_first_leaves_mixed_case_first_word(tmp_path: Path) -> None:
    # citeproc-py 0.11.1 capitalises any first word: arXiv -> ArXiv, iPhone -> IPhone;
    # CSL capitalises it only "if the word is lowercase" (citeproc-js agrees)
    path = _style(tmp_path, '<text variable="title" text-case="capitalize-first"/>')
    titles = ["arXiv:2304.02643", "iPhone apps", "learning things", "<i>eBay</i> sales"]
    records = [dict(SMITH_A, id=f"t{i}", title=title) for i, title in enumerate(titles)]
    bib = format_bibliography(records, style=path)
    assert sorted(entry.text for entry in bib.entries) == [
        "Learning things",
        "arXiv:2304.02643",
        "eBay sales",
        "iPhone apps",
    ]


def test_apa_thesis_number_is_not_printed_as_a_lone_term() -> None:
    # The APA group "Publication <number>" must vanish when number is empty; citeproc-py
    # counted the variable in the untaken else-if branch as rendered: "(Publication)"
    thesis = {
        "id": "m2009",
        "type": "thesis",
        "title": "Feature extraction from visual data",
        "author": [{"family": "Maaten", "given": "Laurens", "non-dropping-particle": "van der"}],
        "issued": {"date-parts": [[2009]]},
        "genre": "PhD thesis",
        "publisher": "Tilburg University",
    }
    bib = format_bibliography([thesis], style="apa")
    assert bib.entries[0].text == (
        "van der Maaten, L. (2009). Feature extraction from visual data [PhD thesis]. "
        "Tilburg University."
    )
    numbered = format_bibliography([dict(thesis, number="42")], style="apa")
    assert "(Publication No. 42)" in numbered.entries[0].text


def test_group_suppressed_by_variables_of_taken_branch_only(tmp_path: Path) -> None:
    # generic form of the APA case: a term in the taken branch, a variable in another
    layout = (
        '<text variable="title"/><group delimiter=" " prefix=" (" suffix=")">'
        '<choose><if type="book">'
        '<text value="term"/></if><else-if variable="genre"><text variable="genre"/>'
        '</else-if></choose><text variable="number"/></group>'
        '<text macro="m" prefix=" "/>'
    )
    text = STYLE_TEMPLATE.replace(
        "<citation>",
        '<macro name="m"><choose><if type="book"><text value="only"/></if><else>'
        '<text variable="genre"/></else></choose><text variable="edition"/></macro>\n'
        "  <citation>",
    ).format(layout=layout)
    path = tmp_path / "group.csl"
    path.write_text(text, encoding="utf-8")
    records = [dict(SMITH_A, id="a"), dict(SMITH_B, id="b", number="7", edition="2")]
    bib = format_bibliography(records, style=path)
    assert [entry.text for entry in bib.entries] == [
        "Learning things",
        "More things (term 7) only2",
    ]


def test_schema_invalid_style_is_a_diagnostic_not_a_warning(tmp_path: Path) -> None:
    path = _style(tmp_path, '<text variable="title" bogus="1"/>')
    bib = format_bibliography([SMITH_A], style=path)
    assert bib.entries[0].text == "Learning things"
    assert any(d.code == "format.style-invalid" for d in bib.diagnostics)


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE style [<!ENTITY x "boom">]>',
        '<!DOCTYPE style SYSTEM "file:///etc/passwd">',
        '<!DOCTYPE style [<!ENTITY x SYSTEM "http://example.invalid/x">]>',
    ],
)
def test_style_with_doctype_or_entities_is_refused(tmp_path: Path, doctype: str) -> None:
    text = STYLE_TEMPLATE.format(layout='<text variable="title"/>')
    text = text.replace("<style ", doctype + "\n<style ", 1)
    path = tmp_path / "evil.csl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(StyleError):
        format_bibliography([SMITH_A], style=path)
    with pytest.raises(StyleError):
        engine.CompiledStyle(path, None)


def test_malformed_style_is_a_style_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.csl"
    path.write_text("<style", encoding="utf-8")
    with pytest.raises(StyleError):
        format_bibliography([SMITH_A], style=path)


@pytest.mark.parametrize("output", ["text", "html", "markdown", "rst", "latex"])
@pytest.mark.parametrize(
    "style",
    [
        "apa",
        "ieee",
        "chicago-author-date",
        "chicago-note-bibliography",
        "modern-language-association",
        "harvard-cite-them-right",
        "nature",
        "vancouver",
        "american-chemical-society",
        "springer-basic-author-date",
        "springer-basic-brackets",
        "elsevier-harvard",
        "association-for-computing-machinery",
    ],
)
def test_bundled_styles_format_every_output(style: str, output: str) -> None:
    bib = format_bibliography(RECORDS, style=style, output=output)
    assert len(bib.entries) == 3
    assert all(e.text.strip() for e in bib.entries)
    assert not [d for d in bib.diagnostics if d.severity == "error"]


def test_unknown_output_is_value_error() -> None:
    with pytest.raises(ValueError, match="unknown output"):
        format_bibliography(RECORDS, output="pdf")


def test_ids_select_and_unknown_ids_reported() -> None:
    bib = format_bibliography(RECORDS, style="ieee", ids=["b2", "zz"])
    assert [e.id for e in bib.entries] == ["b2"]
    assert any(d.key == "zz" for d in bib.diagnostics)


def test_library_input_and_dependent_style_locale() -> None:
    lib = citekit.Library()
    lib.add(dict(SMITH_A))
    bib = format_bibliography(lib, style="nature-digest")
    assert bib.style == "nature"
    assert len(bib.entries) == 1


def test_macro_cache_gives_identical_output(monkeypatch: pytest.MonkeyPatch) -> None:
    cached = format_bibliography(RECORDS, style="chicago-author-date").text
    engine._cached.cache_clear()

    def uncached(self: object, name: str) -> object:
        return super(engine._MacroCache, self).get_macro(name)  # type: ignore[misc]

    monkeypatch.setattr(engine._MacroCache, "get_macro", uncached)
    assert format_bibliography(RECORDS, style="chicago-author-date").text == cached
    engine._cached.cache_clear()


def test_compiled_style_is_cached() -> None:
    path = citekit.styles.resolve("apa").path
    assert engine.load_style(path) is engine.load_style(path)


def test_punctuation_collapsing() -> None:
    # citeproc-py alone: "employers?." and "Mares, I.." (CSL collapses affix punctuation)
    record = dict(
        SMITH_A, title="Why do employers care?", author=[{"family": "Mares", "given": "I."}]
    )
    text = format_bibliography([record], style="apa").entries[0].text
    assert "care?." not in text
    assert "care? " in text or text.endswith("care?")
    ellipsis = dict(SMITH_A, title="Wait...")
    assert "Wait..." in format_bibliography([ellipsis], style="apa").entries[0].text


def test_question_mark_keeps_comma_like_citeproc_js() -> None:
    # deliberate: citeproc-js prints "way?,”" (pandoc drops the comma); we follow citeproc-js
    record = dict(VASWANI, title="Have we come a long way?")
    text = format_bibliography([record], style="ieee").entries[0].text
    assert "“Have we come a long way?,” " in text


def test_straight_quotes_in_data_become_typographic() -> None:
    record = dict(VASWANI, title="Women's sport: 'come a long way' and \"more\"")
    text = format_bibliography([record], style="nature").entries[0].text
    assert "Women’s sport: ‘come a long way’ and “more”" in text
    url = dict(SMITH_A, type="webpage", URL="https://example.org/it's")
    assert "https://example.org/it's" in format_bibliography([url], style="apa").text


def test_term_cache_gives_identical_output(monkeypatch: pytest.MonkeyPatch) -> None:
    cached = format_bibliography(RECORDS, style="modern-language-association").text
    engine._cached.cache_clear()

    def uncached(self: object, *args: object, **kwargs: object) -> object:
        return super(engine._MacroCache, self).get_term(*args, **kwargs)  # type: ignore[misc]

    monkeypatch.setattr(engine._MacroCache, "get_term", uncached)
    assert format_bibliography(RECORDS, style="modern-language-association").text == cached
    engine._cached.cache_clear()


def test_parallel_rendering_gives_identical_output(monkeypatch: pytest.MonkeyPatch) -> None:
    from citekit.writers.formatted import run

    monkeypatch.setattr(run, "PARALLEL_MIN", 2)
    records = [dict(SMITH_A, id=f"r{i}", title=f"Title {i}") for i in range(6)] + RECORDS
    serial = format_bibliography(records, style="apa")
    parallel = format_bibliography(records, style="apa", jobs=2)
    assert parallel.entries == serial.entries
    assert "2020a" in serial.text


def test_in_style_locale_date_delimiter() -> None:
    # citeproc-py alone: "2016Jun1" (the locale date's delimiter=" " is ignored)
    record = dict(VASWANI, issued={"date-parts": [[2016, 6, 1]]})
    text = format_bibliography([record], style="nlm-citation-sequence").entries[0].text
    assert "2016 Jun 1;30" in text


def test_macro_with_only_empty_variables_is_suppressed(tmp_path: Path) -> None:
    # citeproc-py alone prints "Learning things trans. " for a record without a translator
    text = STYLE_TEMPLATE.replace(
        "<citation>",
        '<macro name="tr"><text term="translator" form="short" suffix=" "/>'
        '<names variable="translator"/></macro>\n  <citation>',
    ).format(layout='<text variable="title"/><text macro="tr" prefix=" "/>')
    path = tmp_path / "macro.csl"
    path.write_text(text, encoding="utf-8")
    assert format_bibliography([SMITH_A], style=path).entries[0].text == "Learning things"
    translated = dict(SMITH_A, translator=[{"family": "Doe", "given": "Jo"}])
    assert (
        format_bibliography([translated], style=path)
        .entries[0]
        .text.startswith("Learning things trans. Jo Doe")
    )

"""bib → CSL → bib on the real entries that used to lose or change a field (issue 3).

Every case is an entry (or its offending field) from ``../shared/corpora/bib``, named by file
and key. Each must come back with an empty semantic diff, and writing what citekit read must
give the same bytes again (idempotence).
"""

import pytest

import citekit
from citekit.roundtrips import roundtrip_text

# (corpus file:key, dialect, entry)
CASES = [
    # Literal backslash/braces from \textbackslash / \{ (BBT exports): the writer must not
    # turn them back into live macros or groups.
    (
        "bbt-user-library-7166:bermudez_1996",
        "bibtex",
        r"@article{a, title = {Study on the {{GaN}}(0001)-(1\textbackslash{}times1) Surface}}",
    ),
    (
        "bbt-user-library-7166:bellabchara_1994",
        "bibtex",
        r"@article{a, title = {Excitons in Type-\{\vphantom\}{{II}}\vphantom\{\} Semiconductor}}",
    ),
    (
        "bbt-user-library-7166:fundling_2010",
        "bibtex",
        r"@article{a, title = {\{\vphantom\}{{GaN}}\vphantom\{\} and \{\vphantom\}{{ZnO}}\vphantom\{\} Nanostructures}}",  # noqa: E501
    ),
    (
        "bbt-user-library-7166:bertoni_2011",
        "bibtex",
        r"@article{a, title = {Modulation-Doped {{GaAs}}/{{Al}}\_\{1-x\}{{Ga}}\_\{x\}{{As}} Radial}}",  # noqa: E501
    ),
    (
        "bbt-user-library-7166:algra_2010",
        "bibtex",
        r"@article{a, title = {Paired Twins and \{112\} Morphology in {{GaP}} Nanowires}}",
    ),
    (
        "bbt-user-library-7166:elsner_1998",
        "bibtex",
        r"@article{a, title = {Domain Boundaries on \{112\textasciimacron{}0\} Planes in {{GaN}}}}",
    ),
    (
        "bbt-user-library-7166:gilliland_1994",
        "bibtex",
        r"@article{a, title = {High-Quality (N\^\{-\}-Type {{GaAs}})/(p-Type {{Al}}\_\{x\} {{Ga}}\_\{1-X\})}}",  # noqa: E501
    ),
    (
        "bbt-user-library-7166:guo_2011b",
        "bibtex",
        r"@article{a, title = {{{Pt}}\textendash{{In}}\_{{xGa}}\_\{1-X\}{{N}} (0\textbackslash{}leq X\textbackslash{}leq 0.5) Nanowire}}",  # noqa: E501
    ),
    (
        "bbt-user-library-7166:drum_1965",
        "bibtex",
        r"@book{a, title = {T}, publisher = {Taylor \textbackslash\& Francis}}",
    ),
    (
        "plume-bib/other:pmd-resource-leak",
        "bibtex",
        r"@misc{a, title = {T}, howpublished = {\url{https://pmd.sourceforge.io/pmd_rules.html\#closeresource}}}",
    ),
    (
        "plume-bib/other:Simonyi:HungarianNotation",
        "bibtex",
        r"@misc{a, title = {T}, howpublished = {\url{https://msdn.microsoft.com/aa260976\%28VS.60%29.aspx}}}",
    ),
    (
        "plume-bib/invariants:ArnoutM02",
        "bibtex",
        r"@misc{a, title = {T}, howpublished = {\url{http://se.inf.ethz.ch/arnout/work\_in\_progress/x.pdf}}}",
    ),
    (
        "plume-bib/nlp:JimenezYWYPPN2024",
        "bibtex",
        r"@misc{a, title = {T}, howpublished = {\url{{https://arxiv.org/abs/2310.06770}}}}",
    ),
    (
        "plume-bib/macros:Clinger91:R4RS",
        "bibtex",
        r"@misc{a, title = {The Revised\(^{4}\) Report on the Algorithmic Language {S}cheme}}",
    ),
    # A hyphen next to a dash, written as --- , read back as an em dash.
    (
        "bbt-export-hci-3725:Cockburn:2011kd",
        "bibtex",
        "@article{a, title = {T}, abstract = {a decision component to pointing -\u2013 users}}",
    ),
    # Unknown macros, logos and declarations in TUGboat titles.
    (
        "tugboat:Beeton:TB5-1-48",
        "bibtex",
        r'@article{a, title = "{{\tt\bs relax} and watch the numbers}"}',
    ),
    (
        "tugboat:Anonymous:TB6-1-446",
        "bibtex",
        r'@article{a, title = "{Personal {\TeX}, Inc.\Dash PC\thinspace{\TeX}}"}',
    ),
    (
        "tugboat:MacKay:TB11-3-453",
        "bibtex",
        r'@article{a, title = "{{\UNIX{\TeX} site report}}"}',
    ),
    (
        "tugboat:Rycko:TB14-3-171",
        "bibtex",
        r'@article{a, title = "{{\TeX} from {\tt\bs indent} to {\tt\bs par}}"}',
    ),
    (
        "tugboat:Kime:TB33-1-13",
        "bibtex",
        r'@article{a, title = "Biber\Dash{}the next generation backend processor for {\BibLaTeX}"}',
    ),
]


@pytest.mark.parametrize(("case", "dialect", "text"), CASES, ids=[c[0] for c in CASES])
def test_real_entry_round_trips(case, dialect, text):
    result = roundtrip_text(text, format=dialect)
    assert result.lossless, result.format_text()
    once = citekit.write_string(citekit.read_string(text, format=dialect), format=dialect)
    again = citekit.write_string(citekit.read_string(once, format=dialect), format=dialect)
    assert again == once


def test_semicolon_in_a_bibtex_publisher_is_kept():
    # bbt-export-hci-3725.bib, Wu:2016uk: plain BibTeX has no publisher lists.
    text = "@book{a, title = {T}, publisher = {IADIS. e-mail: s@iadis.org; Web site: x}}"
    result = roundtrip_text(text, format="bibtex")
    assert result.lossless, result.format_text()
    assert "publisher = {IADIS. e-mail: s@iadis.org; Web site: x}" in result.final


def test_biblatex_publisher_list_still_splits():
    text = "@book{a, title = {T}, publisher = {Springer and {Barnes and Noble}}}"
    result = roundtrip_text(text, format="biblatex")
    assert result.lossless, result.format_text()
    assert "publisher = {Springer and Barnes {and} Noble}" in result.final


# Names: the writer's spelling must split into the same parts in the reader (pybtex, as BibTeX).
NAME_CASES = [
    ("iridia/crossref:MIC1997", "bibtex", r"Resende and Pinho de Souza, Jorge"),
    ("plume-bib/macros:cpp-manual", "bibtex", r"{GNU~P}roject"),
    ("plume-bib/security:DarvasHS2003", "bibtex", r"\'{A}d\'{a}m Darvas and Reiner H\"{a}hnle"),
    ("biber-etc/papers:DolamaS06", "bibtex", r"Mohammad Hosseini Dolama and \'{E}ric Sopena"),
    ("tugboat:Thanh:TB29-1-36", "bibtex", r"\Thanh"),
    ("tugboat:Lindner:TB10-3-368", "bibtex", r"Stephan Lindner and \rlap{Lutz Birkhahn}"),
    ("biber-tdata/names:L13", "bibtex", r"Van de Graaff, R. J."),
    ("biber-tdata/sort-names:N2", "bibtex", r"Smith de Jones, Z."),
    ("bbt-user-library-7166:casadei_2013", "bibtex", r"Heiss, Martin and a. R{\"o}hr, Jason"),
    ("bbt-user-library-7166:fiorek_1997", "bibtex", r"Wysmo{\l}ek, Andrzej and Pakul{$\not$}a, K."),
    ("typst-biblatex/cross:ill-defined", "biblatex", r"In a Basement, actually, Dude"),
]


@pytest.mark.parametrize(("case", "dialect", "names"), NAME_CASES, ids=[c[0] for c in NAME_CASES])
def test_real_names_round_trip(case, dialect, names):
    text = f"@book{{a, title = {{T}}, author = {{{names}}}}}"
    result = roundtrip_text(text, format=dialect)
    assert result.lossless, result.format_text()
    once = citekit.write_string(citekit.read_string(text, format=dialect), format=dialect)
    again = citekit.write_string(citekit.read_string(once, format=dialect), format=dialect)
    assert again == once


def test_records_with_a_repeated_key_are_matched_in_order():
    # biber-tdata/examples.bib tmn4, full-bbl.bib F1, typst-biblatex gral_rep_key.bib: the
    # same key twice. Each entry must be compared with its own copy, not with the last one.
    text = "@book{k, title = {First}, year = 2001}\n@book{k, title = {Second}, year = 2002}\n"
    result = roundtrip_text(text, format="biblatex")
    assert result.lossless, result.format_text()


def test_date_range_with_a_month_expression_kept_aside():
    # iridia/articles.bib Lansey94: date gives the range, the month expression is kept.
    text = (
        '@article{Lansey94, title = {T}, date = "1994-01/1994-02",'
        ' month = jan #" / "# feb, year = 1994}'
    )
    result = roundtrip_text(text, format="bibtex")
    assert result.lossless, result.format_text()
    assert "date = {1994-01/1994-02}" in result.final


def test_a_day_that_is_not_a_number_is_kept():
    # plume-bib/testing.bib Hartman2006: day = jul # "~20," must not vanish.
    text = '@inproceedings{H, title = {T}, month = jul, day = jul # "~20,", year = 2006}'
    library = citekit.read_string(text, format="bibtex")
    assert library.records[0]["custom"]["bibtex"]["fields"]["day"] == "July~20,"
    result = roundtrip_text(text, format="bibtex")
    assert result.lossless, result.format_text()


# biblatex test data (biber t/tdata, biblatex-examples, typst/biblatex): crossref, xdata and
# set inheritance, and biblatex-only fields; round-tripped in the biblatex dialect.
BIBLATEX_CASES = [
    (
        "biber-tdata/crossrefs:cr1 (own month, parent's year)",
        "@inbook{cr1, author = {Graham Gullam}, title = {Great}, month = {jan},"
        " crossref = {cr_m}}\n"
        "@book{cr_m, editor = {Edgar Erbriss}, title = {Graphs}, publisher = {G}, year = {1974}}",
    ),
    (
        "biber-tdata/crossrefs:sup2 (maintitle inherited by a volume)",
        "@book{sup2, note = {Book sup2}, crossref = {sup1}}\n"
        "@mvbook{sup1, author = {Alan Smith}, title = {Title1}}",
    ),
    (
        "biber-tdata/full-dot:ccr2,ccr3 (volume of a multi-volume work, and its chapter)",
        "@inbook{ccr3, title = {Perhaps}, date = {1911}, crossref = {ccr2}}\n"
        "@book{ccr2, title = {Misc etc.}, date = {1923}, crossref = {ccr1}}\n"
        "@mvbook{ccr1, author = {Vince Various}, editor = {Edward Editor},"
        " title = {Stuff Concerning Varia}, date = {1934}}",
    ),
    (
        "biber-tdata/sets:Elias1955 (a set inherits its first member's journal)",
        "@set{Elias1955, entryset = {Elias1955a,Elias1955b}, crossref = {Elias1955a}}\n"
        "@article{Elias1955a, author = {Elias, P.}, title = {Predictive coding--I},"
        " journal = {IRE Transactions on Information Theory}, year = {1955}, volume = {1}}\n"
        "@article{Elias1955b, author = {Elias, P.}, title = {Predictive coding--II},"
        " journal = {IRE Transactions on Information Theory}, year = {1955}, volume = {1}}",
    ),
    (
        "biblatex-examples:westfahl:space (parent repeats its title as booktitle)",
        "@incollection{westfahl:space, author = {Westfahl, Gary}, title = {The True Frontier},"
        " pages = {55-65}, crossref = {westfahl:frontier}}\n"
        "@collection{westfahl:frontier, editor = {Westfahl, Gary}, title = {Space and Beyond},"
        " date = 2000, subtitle = {The Frontier Theme in Science Fiction},"
        " publisher = {Greenwood}, booktitle = {Space and Beyond},"
        " booksubtitle = {The Frontier Theme in Science Fiction}}",
    ),
    (
        "typst-biblatex/cross:haug2019 (thesis type as typed)",
        "@thesis{haug2019, title = {Batch}, author = {Haug, Martin},"
        " type = {Bachelor's Thesis}, institution = {TU Berlin}, date = {2019-10}}",
    ),
    (
        "typst-biblatex/libra:bainFacebookSaysLibra2019 (editora slot kept)",
        "@online{bain, title = {Libra}, editora = {Schmidt, Robert},"
        " editoratype = {collaborator}, date = {2019}}",
    ),
    (
        "typst-biblatex/polaritons:griffin2009 (a location with ' ; ')",
        "@book{griffin, title = {Bose}, location = {Cambridge ; New York}, date = {2009}}",
    ),
]


@pytest.mark.parametrize(("case", "text"), BIBLATEX_CASES, ids=[c[0] for c in BIBLATEX_CASES])
def test_biblatex_test_data_round_trips(case, text):
    result = roundtrip_text(text, format="biblatex")
    assert result.lossless, result.format_text()
    once = citekit.write_string(citekit.read_string(text, format="biblatex"), format="biblatex")
    again = citekit.write_string(citekit.read_string(once, format="biblatex"), format="biblatex")
    assert again == once


def test_a_run_of_dashes_in_pages_is_one_dash():
    # bbt-user-library-7166.bib: pages = {10715----}; writing must be idempotent.
    text = "@article{a, title = {T}, pages = {10715----}}"
    library = citekit.read_string(text, format="bibtex")
    assert library.records[0]["page"] == "10715-"
    once = citekit.write_string(library, format="bibtex")
    assert citekit.write_string(citekit.read_string(once, format="bibtex"), format="bibtex") == once


def test_issue_inherited_from_a_periodical_is_not_written_into_the_child():
    # typst-biblatex/valid/cross.bib arrgh + polecon: byte-idempotent writing.
    text = (
        "@article{arrgh, author = {Leeson, Peter T.}, title = {Pirates}, crossref = {polecon}}\n"
        "@periodical{polecon, title = {Journal of Political Economy}, date = {2007-12},"
        " volume = {115}, number = {6}}"
    )
    result = roundtrip_text(text, format="biblatex")
    assert result.lossless, result.format_text()
    once = citekit.write_string(citekit.read_string(text, format="biblatex"), format="biblatex")
    again = citekit.write_string(citekit.read_string(once, format="biblatex"), format="biblatex")
    assert again == once

"""BibTeX syntax layer: macro evaluation, located failures, recovery, extras."""

from __future__ import annotations

import pybtex.errors
import pytest
from pybtex.database import parse_string as pybtex_parse

from citekit.errors import Diagnostics
from citekit.syntax.bibtex import evaluate, parse_entries


def parse(text: str):  # type: ignore[no-untyped-def]
    sink = Diagnostics()
    entries, extras = parse_entries(text, source="t.bib", diagnostics=sink)
    return entries, extras, sink


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ('"quoted {with} braces"', "quoted {with} braces"),
        ('{braced "quote" inside}', 'braced "quote" inside'),
        ("2020", "2020"),
        ("jan", "January"),
        ("DEC", "December"),
        ('jan # "~1"', "January~1"),
        ('acm # " " # {Press}', "ACM Press"),
        ("Acm", "ACM"),
        ('"a" #\n  "b"', "ab"),
        ('"a" % comment\n # "b"', "ab"),
    ],
)
def test_evaluate(expr: str, value: str) -> None:
    assert evaluate(expr, {"acm": "ACM"}).value == value


def test_undefined_macro_is_listed() -> None:
    result = evaluate('nope # "x"', {})
    assert result.value == "x"
    assert result.undefined == ["nope"]
    assert result.used_macros


def test_nested_macros_and_predefined_months_match_pybtex() -> None:
    text = """
@string{first = "Journal"}
@string{second = first # " of " # {Things}}
@STRING{Third = second # ", " # 1999}
@article{k, journal = Third, month = sep, note = "x" # third # "y"}
"""
    entries, extras, sink = parse(text)
    assert not list(sink)
    fields = entries[0].fields
    with pybtex.errors.capture():
        reference = pybtex_parse(text, "bibtex").entries["k"].fields
    assert fields["journal"] == reference["journal"] == "Journal of Things, 1999"
    assert fields["note"] == reference["note"]
    assert fields["month"] == "September"  # pybtex gives the same name
    assert entries[0].macros == {
        "journal": "Third", "month": "sep", "note": '"x" # third # "y"'
    }  # fmt: skip
    assert list(extras.strings) == ["first", "second", "Third"]


def test_failed_blocks_are_located_one_based() -> None:
    text = "@book{a, title={A}}\n\n@article{b,\n title = {B}\n@book{c, title={C}}\n"
    entries, _, sink = parse(text)
    assert [e.key for e in entries] == ["a", "b", "c"]
    assert entries[1].fields == {"title": "B"}
    [diag] = sink
    assert (diag.code, diag.line, diag.column, diag.key) == ("bibtex.unclosed-entry", 3, 1, "b")


def test_salvage_reports_unreadable_text_and_unbalanced_values() -> None:
    text = (
        "@article{x,\n  author 💯 {A. B.},\n  publisher = {Taylor {{\\&} Francis},\n"
        "  year = {2016}\n}\n\n@misc{y, title={ok}}\n"
    )
    entries, _, sink = parse(text)
    assert [e.key for e in entries] == ["x", "y"]
    assert entries[0].fields["year"] == "2016"
    messages = [d.message for d in sink]
    assert any("unreadable text" in m for m in messages)


def test_text_that_is_not_a_field_is_named_and_located() -> None:
    """A closed entry with junk is not "unclosed": the junk is named, at its own line."""
    text = "@article{k,\n  author 💯 {Smith, J.},\n  title = {T}\n}\n@misc{y, title={ok}}\n"
    entries, _, sink = parse(text)
    assert [(e.key, e.fields) for e in entries] == [("k", {"title": "T"}), ("y", {"title": "ok"})]
    [diag] = sink
    assert (diag.code, diag.line, diag.column, diag.key) == ("bibtex.syntax", 2, 3, "k")
    assert "'author 💯 {Smith, J.},' is not a field" in diag.message
    assert "the other fields were recovered" in diag.message


def test_salvage_cuts_a_value_where_it_ends() -> None:
    """Junk after a complete value is not glued to it; ``name =`` after it is a field."""
    text = "@article{k,\n  title = {T},\n  author 💯 {Smith, J.},\n  year = 2020\n}\n"
    entries, _, sink = parse(text)
    assert entries[0].fields == {"title": "T", "year": "2020"}
    [diag] = sink
    assert (diag.code, diag.line, diag.column) == ("bibtex.syntax", 3, 3)
    assert "'author 💯 {Smith, J.}' is not a field" in diag.message
    # one line, an empty field between two commas (better-bibtex issue 2377's input)
    text = "@techreport{TBD,  title = {R {X}},  , number = {2P},  url = {https://w.org/?u=1}}\n"
    entries, _, sink = parse(text)
    assert entries[0].fields == {"title": "R {X}", "number": "2P", "url": "https://w.org/?u=1"}
    assert [d.code for d in sink] == ["bibtex.syntax"]


def test_text_before_a_field_name_is_reported() -> None:
    """``💯 junk⏎ note = {n}`` kept the field as ``💯 junk note`` without a word."""
    text = "@misc{a,\n  title = {T}, year = 1, 💯 junk\n  note = {n}\n}\n@misc{b, = {x}}\n"
    entries, _, sink = parse(text)
    assert entries[0].fields == {"title": "T", "year": "1", "note": "n"}
    diag = sink.items[0]
    assert (diag.code, diag.line, diag.column, diag.field) == ("bibtex.syntax", 3, 3, "note")
    assert "'💯 junk' before field 'note'" in diag.message


def test_unclosed_entry_still_says_so() -> None:
    text = "@article{k,\n  title = {T\n@misc{y, title={ok}}\n"
    entries, _, sink = parse(text)
    assert [e.key for e in entries] == ["k", "y"]
    first = sink.items[0]
    assert (first.code, first.line, first.column) == ("bibtex.unclosed-entry", 1, 1)
    assert "is not closed" in first.message


def test_entry_without_key_keeps_its_first_field() -> None:
    """``@article{`` followed by fields (EndNote exports): the first field is not the key."""
    text = "@article{\n  author = {Huang, Y.},\n  title = {T}\n}\n@misc{y, title={ok}}\n"
    entries, _, sink = parse(text)
    assert entries[0].key == ""
    assert entries[0].fields == {"author": "Huang, Y.", "title": "T"}
    assert [d.code for d in sink] == ["bibtex.syntax", "bibtex.missing-key"]
    assert "has no key" in sink.items[0].message


def test_fields_after_an_early_closing_brace_are_reported() -> None:
    """``note = {N}}},`` ends the entry (as in BibTeX); the fields after it are not silent."""
    text = "@misc{a,\n  note = {N}}},\n  year = 2020\n}\n@misc{b, t = 1}\n"
    entries, extras, sink = parse(text)
    assert [(e.key, e.fields) for e in entries] == [("a", {"note": "N"}), ("b", {"t": "1"})]
    [diag] = sink
    assert (diag.code, diag.line, diag.column, diag.key) == ("bibtex.stray-fields", 3, 3, "a")
    assert "'year = 2020'" in diag.message
    assert any("year = 2020" in comment for comment in extras.comments)


@pytest.mark.parametrize(
    "between", ["% year = 2020 in a comment\n", "Some notes: see x = y\n", "==== header ====\n"]
)
def test_ordinary_text_between_entries_is_not_stray(between: str) -> None:
    _, _, sink = parse("@misc{a, t = 1}\n" + between + "@misc{b, t = 2}\n")
    assert not list(sink)


def test_trailing_comment_after_last_field() -> None:
    text = "@book{k,\n  title = {T}, % why\n  note = {N}   % last\n}\n@misc{m, title={M}}"
    entries, _, sink = parse(text)
    assert [e.key for e in entries] == ["k", "m"]
    assert entries[0].fields == {"title": "T", "note": "N"}
    assert [d.code for d in sink if d.severity != "info"] == []


def test_missing_comma_between_braced_fields() -> None:
    text = "@book{k,\n  title = {T}\n  year = {2020},\n  publisher = {P}\n}"
    entries, _, sink = parse(text)
    assert entries[0].fields == {"title": "T", "year": "2020", "publisher": "P"}
    [diag] = sink
    assert (diag.code, diag.line, diag.field, diag.key) == ("bibtex.missing-comma", 2, "title", "k")


def test_duplicate_field_first_wins_and_is_located() -> None:
    entries, _, sink = parse("@book{k,\n  title = {One},\n  year = 1,\n  Title = {Two}\n}")
    assert entries[0].fields["title"] == "One"
    [diag] = sink
    assert (diag.code, diag.line) == ("bibtex.duplicate-field", 4)


def test_field_lines_and_comment_lines_inside_entries() -> None:
    text = "@misc{k,\n  % a comment line\n  url = {u},\n  note = {n}, % trailing\n}"
    entries, _, _ = parse(text)
    assert entries[0].fields == {"url": "u", "note": "n"}
    assert entries[0].field_lines == {"url": 3, "note": 4}


def test_preamble_comments_and_junk_are_kept() -> None:
    text = '@preamble{"\\\\def\\\\x{y}"}\n@comment{note}\nstray text\n@misc{k, title={t}}'
    entries, extras, _ = parse(text)
    assert extras.preambles == ['"\\\\def\\\\x{y}"']
    assert extras.comments == ["note", "stray text"]
    assert len(entries) == 1


def test_unclosed_comment_is_only_a_warning() -> None:
    entries, extras, sink = parse("@comment{open,\n x={\n}\n@misc{k, title={t}}\n")
    assert all(d.severity != "error" for d in sink)
    assert [e.key for e in entries] == ["k"]
    assert extras.comments


def test_entry_commented_out_with_percent_is_kept_as_comment() -> None:
    text = "%@book{gone,\n%  title = {Gone}\n%}\n@misc{here, title={Here}}\n"
    entries, extras, sink = parse(text)
    assert [e.key for e in entries] == ["here"]
    assert any("gone" in comment for comment in extras.comments)
    assert [d.code for d in sink] == ["bibtex.commented-out-entry"]

"""Unicode → LaTeX encoding: escapes, markup, math, verbatim fields and brace balance."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citekit.syntax.unicode_to_latex import (
    balance_braces,
    encode_pages,
    encode_text,
    encode_verbatim,
    to_ascii_latex,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jürgen", 'J{\\"u}rgen'),
        ("Łukasz", "{\\L}ukasz"),
        ("Erdős", "Erd{\\H{o}}s"),
        ("Straße", "Stra{\\ss}e"),
        ("A & B 50% #1 a_b", "A \\& B 50\\% \\#1 a\\_b"),
        ("cost $5 and $10", "cost \\$5 and \\$10"),
        ("the $\\alpha$-rule for $n$ items", "the $\\alpha$-rule for $n$ items"),
        ("x ~ y ^ z", "x \\textasciitilde{} y \\textasciicircum{} z"),
        ("a – b — c", "a -- b --- c"),
        ("Fig.\u00a01", "Fig.~1"),
        ('On <span class="nocase">DNA</span>', "On {DNA}"),
        ("<i>E. coli</i> and <b>bold</b>", "\\emph{E. coli} and \\textbf{bold}"),
        ("H<sub>2</sub>O and x<sup>2</sup>", "H\\textsubscript{2}O and x\\textsuperscript{2}"),
        (
            '<span style="font-variant:small-caps;">Sc</span>',
            "\\textsc{Sc}",
        ),
        ("<i>unclosed", "<i>unclosed"),
        ("closed only</i>", "closed only</i>"),
        ('<i>a <span class="nocase">B</span></i>', "\\emph{a {B}}"),
        ("\\LaTeX{} is kept", "\\LaTeX{} is kept"),
        ("see \\url{http://x.org/a_b%20}", "see \\url{http://x.org/a_b%20}"),
        ("trailing \\", "trailing \\textbackslash{}"),
        ("漢字", "漢字"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_encode_text(text, expected):
    assert encode_text(text) == expected


def test_utf8_mode_keeps_characters_but_escapes():
    assert encode_text("Jürgen & Søn – x", ascii=False) == "Jürgen \\& Søn – x"


def test_names_mode_takes_tags_literally():
    assert encode_text("<i>x</i>", markup=False) == "<i>x</i>"


def test_unbalanced_braces_can_never_close_the_field():
    assert encode_text("a } b { c") == "a \\textbraceright{} b \\textbraceleft{} c"
    assert balance_braces("\\{ x") == "\\textbraceleft{} x"
    assert balance_braces("{ok}") == "{ok}"


def test_verbatim_fields_are_never_escaped():
    url = "https://example.org/a_b%20c?x=1&y=~z#frag"
    assert encode_verbatim(url) == url
    assert encode_verbatim("10.1002/(SICI)1097-4636") == "10.1002/(SICI)1097-4636"
    assert encode_verbatim("http://x/{a") == "http://x/%7Ba"


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("1-10", "1--10"),
        ("1–10", "1--10"),
        ("1--10", "1--10"),
        ("e101 - e110", "e101--e110"),
        ("1-3, 5-7", "1--3, 5--7"),
        ("42", "42"),
    ],
)
def test_pages(pages, expected):
    assert encode_pages(pages) == expected


def test_ascii_spelling_is_ascii():
    assert to_ascii_latex("Ångström Øre ç").isascii()


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char == "{"
        depth -= char == "}"
        if depth < 0:
            return False
    return depth == 0


@given(st.text())
def test_any_text_gives_balanced_braces(text):
    assert _balanced(encode_text(text))
    assert _balanced(encode_text(text, ascii=False, markup=False))
    assert _balanced(encode_verbatim(text))
    assert _balanced(encode_pages(text))


_PIECES = [*"ab{}\\<>/$&%#_~^ ié–", "<i>", "</i>", '<span class="nocase">', "</span>"]


@given(st.lists(st.sampled_from(_PIECES)).map("".join))
def test_hostile_alphabet_stays_balanced_and_ends_clean(text):
    out = encode_text(text)
    assert _balanced(out)
    assert not out.endswith("\\") or out.endswith("\\\\")


_PROTECT_ALPHABET = "aAzZ09_ -'.ÖöŞşÉéßǅǆİıΣσςЖжᾈᾀⅫⅻＡａ٣\u0308\u00a0"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain lower words",
        "iPhone and eBay and DNA and x86 and GaN_HEMT",
        "Schrödinger's ÉCOLE and Ärger and straße and ǅemal and ᾈ and ⅫⅻⅫ",
        "naïve Σίσυφος ΣΊΣΥΦΟΣ жЖ and ａＡ and ٣Ａ and 3D-CNNs",
        "x\u0308Y and e\u0301E and _Aa_ and a_B",
    ],
)
def test_inner_candidate_words_equal_all_words(text: str) -> None:
    """The shortcut of _escape_plain braces exactly the words the per-word rule braces."""
    from citekit.syntax import unicode_to_latex as u

    want = u._WORD.sub(u._protect_word, text)
    assert u._INNER_CANDIDATE.sub(u._protect_word, text) == want


@given(st.text(alphabet=_PROTECT_ALPHABET, max_size=40))
def test_inner_candidate_words_equal_all_words_generated(text: str) -> None:
    from citekit.syntax import unicode_to_latex as u

    assert u._INNER_CANDIDATE.sub(u._protect_word, text) == u._WORD.sub(u._protect_word, text)

"""LaTeX → Unicode: accents, markup, nocase spans, verbatim policy, undecodable commands."""

from __future__ import annotations

import pytest

from citekit.syntax.latex_to_unicode import decode_field, latex_to_unicode


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("plain text", "plain text"),
        ("  wrapped\n   over lines ", "wrapped over lines"),
        (r"Schr{\"o}dinger", "Schrödinger"),
        (r"\"{a}\'e\`e\^o\~n\c{c}\v{s}\H{o}\u{g}\=a\.z", "äéèôñçšőğāż"),
        (r"{\ss} {\L}ukasz \o{} \aa\ \AE{} \i", "ß Łukasz ø å Æ ı"),
        (r"Erd{\H{o}}s and Pe{\~n}a", "Erdős and Peña"),
        ("pages 1--2 and --- dash", "pages 1–2 and — dash"),
        ("non~breaking", "non\u00a0breaking"),
        (r"Barnes \& Noble, 50\%, a\_b, \$5, \#1", "Barnes & Noble, 50%, a_b, $5, #1"),
        ("Wiley & Sons", "Wiley & Sons"),
        (r"``quoted''", "“quoted”"),
        (r"\LaTeX{} and \TeX\ and \BibTeX", "LaTeX and TeX and BibTeX"),
        (r"\mbox{A B} \textsc{Small}", "A B Small"),
        (r"see \url{http://x.org/a_b%20c}", "see http://x.org/a_b%20c"),
        (r"\href{http://x.org}{the site}", "the site"),
        ("50% off", "50% off"),
    ],
)
def test_text_mode(source: str, expected: str) -> None:
    decoded = latex_to_unicode(source, mode="text")
    assert decoded.text == expected
    assert decoded.problems == ()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("The {DNA} of {NASA}",
         'The <span class="nocase">DNA</span> of <span class="nocase">NASA</span>'),
        ("{{Whole Title}}", '<span class="nocase">Whole Title</span>'),
        (r"{\"O}sterreich", "Österreich"),
        (r"\emph{in vivo} and \textit{it}", "<i>in vivo</i> and <i>it</i>"),
        (r"{\em emphasised} text", "<i>emphasised</i> text"),
        (r"\textbf{bold} {\bf B}", "<b>bold</b> <b>B</b>"),
        (r"H\textsubscript{2}O and x\textsuperscript{2}", "H<sub>2</sub>O and x<sup>2</sup>"),
        ("Energy $E=mc^2$ and $\\alpha$", "Energy $E=mc^2$ and $\\alpha$"),
        ("{2020}", "2020"),
        (r"The {\"{U}ber} {M{\"u}nchen}", 'The Über <span class="nocase">München</span>'),
    ],
)  # fmt: skip
def test_title_mode(source: str, expected: str) -> None:
    assert latex_to_unicode(source, mode="title").text == expected


def test_rich_mode_has_markup_but_no_nocase() -> None:
    assert latex_to_unicode(r"{DNA} \emph{x}", mode="rich").text == "DNA <i>x</i>"
    assert latex_to_unicode(r"{DNA} \emph{x}", mode="text").text == "DNA x"


def test_unknown_command_is_kept_and_reported() -> None:
    decoded = latex_to_unicode(r"A \frobnicate{b} c", mode="title")
    assert decoded.text == r"A \frobnicate{b} c"
    assert decoded.problems == (r"\frobnicate",)


def test_verbatim_fields_are_untouched() -> None:
    for field in ("url", "doi", "eprint", "file"):
        value = r"http://x.org/~a/b_c%20d--e{f}\g"
        assert decode_field(field, value).text == value
    assert decode_field("title", "{DNA}").text == '<span class="nocase">DNA</span>'
    assert decode_field("note", "{DNA}").text == "DNA"


def test_pathological_nesting_does_not_raise() -> None:
    value = "{" * 5000 + "x" + "}" * 5000
    decoded = latex_to_unicode(value, mode="title")
    assert "x" in decoded.text


def test_fast_path_returns_plain_values_unchanged() -> None:
    value = "A perfectly plain title: with punctuation (2020)"
    assert latex_to_unicode(value, mode="title").text is value

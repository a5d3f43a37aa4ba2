"""Hypothesis strategies for CSL-JSON records and .bib entries (hostile-ish but meaningful)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
UNICODE_LETTERS = "éèêëàâäöüßçñøåłŁőűžščÉÖÜÅØ"
CJK = "研究李王"
PUNCTUATION = " .,:;!?'()-&%#_$/"

word = st.text(alphabet=LETTERS + UNICODE_LETTERS, min_size=1, max_size=10)
capitalised = word.map(lambda w: w[:1].upper() + w[1:])


def _join(words: list[str]) -> str:
    return " ".join(words)


plain_text = (
    st.lists(
        st.one_of(word, st.text(alphabet=LETTERS + PUNCTUATION, min_size=1, max_size=6)),
        min_size=1,
        max_size=8,
    )
    .map(_join)
    .map(str.strip)
    .filter(bool)
)

markup_piece = st.one_of(
    plain_text,
    plain_text.map(lambda t: f"<i>{t}</i>"),
    plain_text.map(lambda t: f"<b>{t}</b>"),
    capitalised.map(lambda t: f'<span class="nocase">{t}</span>'),
    st.sampled_from(["H<sub>2</sub>O", "x<sup>2</sup>", "DNA", "C++", "R&D", "100%"]),
    st.text(alphabet=CJK, min_size=1, max_size=4),
)
title = st.lists(markup_piece, min_size=1, max_size=4).map(_join).map(str.strip).filter(bool)

PARTICLES = ["van", "von", "de", "de la", "van der", "di", "du", "da", "ten"]

name = st.one_of(
    st.builds(lambda f, g: {"family": f, "given": g}, capitalised, capitalised),
    st.builds(
        lambda f, g, p: {"family": f, "given": g, "non-dropping-particle": p},
        capitalised,
        capitalised,
        st.sampled_from(PARTICLES),
    ),
    st.builds(
        lambda f, g, p: {"family": f, "given": g, "dropping-particle": p},
        capitalised,
        capitalised,
        st.sampled_from(PARTICLES),
    ),
    st.builds(
        lambda f, g, s: {"family": f, "given": g, "suffix": s},
        capitalised,
        capitalised,
        st.sampled_from(["Jr.", "III", "Sr."]),
    ),
    st.builds(lambda f: {"family": f}, capitalised),
    st.builds(lambda a, b: {"literal": f"{a} {b} Consortium"}, capitalised, capitalised),
)

year = st.integers(min_value=1000, max_value=2099)
date = st.one_of(
    st.builds(lambda y: {"date-parts": [[y]]}, year),
    st.builds(lambda y, m: {"date-parts": [[y, m]]}, year, st.integers(1, 12)),
    st.builds(
        lambda y, m, d: {"date-parts": [[y, m, d]]}, year, st.integers(1, 12), st.integers(1, 28)
    ),
    st.builds(lambda y, k: {"date-parts": [[y], [y + k]]}, year, st.integers(1, 5)),
)
page = st.one_of(
    st.integers(1, 2000).map(str),
    st.builds(lambda a, k: f"{a}-{a + k}", st.integers(1, 2000), st.integers(1, 50)),
    st.builds(lambda a: f"e{a}", st.integers(1, 99999)),
)
ITEM_TYPES = ["article-journal", "book", "chapter", "paper-conference", "report", "thesis"]
record_id = st.text(alphabet=LETTERS + "0123456789_-:", min_size=1, max_size=12).filter(
    lambda s: s[0].isalpha()
)


@st.composite
def csl_record(draw: st.DrawFn, key: str | None = None) -> dict[str, Any]:
    """One CSL-JSON record with names, markup, unicode, dates and ranges."""
    record: dict[str, Any] = {
        "id": key or draw(record_id),
        "type": draw(st.sampled_from(ITEM_TYPES)),
        "title": draw(title),
    }
    if draw(st.booleans()):
        record["author"] = draw(st.lists(name, min_size=1, max_size=4))
    if draw(st.booleans()):
        record["editor"] = draw(st.lists(name, min_size=1, max_size=2))
    if draw(st.booleans()):
        record["issued"] = draw(date)
    if draw(st.booleans()):
        record["container-title"] = draw(title)
    if draw(st.booleans()):
        record["page"] = draw(page)
    if draw(st.booleans()):
        record["volume"] = draw(st.integers(1, 300))
    if draw(st.booleans()):
        record["publisher"] = draw(plain_text)
    if draw(st.booleans()):
        record["DOI"] = "10." + str(draw(st.integers(1000, 99999))) + "/" + draw(record_id)
    if draw(st.booleans()):
        record["note"] = draw(plain_text)
    return record


@st.composite
def csl_records(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A few records with distinct ids."""
    count = draw(st.integers(1, 4))
    ids = draw(st.lists(record_id, min_size=count, max_size=count, unique_by=str.casefold))
    return [draw(csl_record(key=i)) for i in ids]


BIB_NAMES = [
    "Knuth, Donald E.",
    "van Gogh, Vincent",
    "de la Vall{\\'e}e Poussin, Charles",
    '{\\"O}zt{\\"u}rk, Ay{\\c{s}}e',
    "Ford, Jr., Henry",
    "{ACME Corporation}",
    "Łukasz Żółć",
    "Jean-Paul Sartre",
]
BIB_TITLES = [
    "The {TeX}book",
    "On $\\alpha$-stable {L}{\\'e}vy processes",
    "\\emph{Italic} and \\textbf{bold}",
    "Caf{\\'e} au lait \\& more",
    "50\\% of {DNA} in H$_2$O",
    "Ünïcödé directly",
    "A title with -- and --- dashes",
]


@st.composite
def bib_entry(draw: st.DrawFn, key: str) -> str:
    """One .bib entry built from realistic LaTeX field values."""
    kind = draw(st.sampled_from(["article", "book", "inproceedings", "incollection", "misc"]))
    fields = {"title": "{" + draw(st.sampled_from(BIB_TITLES)) + "}"}
    if draw(st.booleans()):
        authors = draw(st.lists(st.sampled_from(BIB_NAMES), min_size=1, max_size=3, unique=True))
        fields["author"] = "{" + " and ".join(authors) + "}"
    if draw(st.booleans()):
        fields["year"] = str(draw(year))
    if draw(st.booleans()):
        fields["month"] = draw(st.sampled_from(["jan", "feb", "{March}", "sep"]))
    if draw(st.booleans()):
        a = draw(st.integers(1, 900))
        fields["pages"] = "{" + f"{a}--{a + draw(st.integers(1, 40))}" + "}"
    if draw(st.booleans()):
        fields["journal"] = "{" + draw(st.sampled_from(BIB_TITLES)) + "}"
    if draw(st.booleans()):
        fields["doi"] = "{10.1000/" + key + "}"
    body = ",\n".join(f"  {k} = {v}" for k, v in fields.items())
    return f"@{kind}{{{key},\n{body}\n}}\n"


@st.composite
def bib_file(draw: st.DrawFn) -> str:
    """A .bib file of a few entries with distinct keys."""
    count = draw(st.integers(1, 4))
    keys = draw(st.lists(record_id, min_size=count, max_size=count, unique_by=str.casefold))
    return "\n".join(draw(bib_entry(k)) for k in keys)


def _raw_name(family: list[str], given_names: list[str], comma: bool) -> str:
    if comma:
        return f"{' '.join(family)}, {' '.join(given_names)}"
    return " ".join([*given_names, *family])


def raw_names(word: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """BibTeX name strings of ``word``s: ``Family, Given`` or ``Given Family`` (1-3 + 0-3)."""
    return st.builds(
        _raw_name,
        st.lists(word, min_size=1, max_size=3),
        st.lists(word, max_size=3),
        st.booleans(),
    )

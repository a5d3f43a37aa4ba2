"""``plain_name`` (one regex for plain names) equals ``simple_split`` and the general parser."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.strategies import raw_names

from citekit.mapping.names import NameParser, plain_name, simple_split, unicode_name

WORD = st.from_regex(r"[A-Z][a-zA-Z.']{0,6}(-[A-Z][a-z.']{0,4})?", fullmatch=True)
ANY = st.text(alphabet=" ,.'-AaBbZz{}\\\"\t", max_size=24)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Doe", {"family": "Doe"}),
        ("Jane Doe", {"family": "Doe", "given": "Jane"}),
        ("Jane Q. Doe", {"family": "Doe", "given": "Jane Q."}),
        ("Doe, Jane Q.", {"family": "Doe", "given": "Jane Q."}),
        ("Smith-Jones, J.-P.", {"family": "Smith-Jones", "given": "J.-P."}),
    ],
)
def test_plain_names(raw: str, expected: dict[str, str]) -> None:
    assert plain_name(raw) == expected == simple_split(raw)


@pytest.mark.parametrize(
    "raw",
    ["van Berg, J.", "Doe, Jr, J.", "{WHO}", r"M{\"u}ller, K.", "Doe,Jane", "Doe  Jane",
     " Doe", "Doe, ", "Dürer, A.", "family=Doe, given=J."],
)  # fmt: skip
def test_plain_name_steps_aside(raw: str) -> None:
    assert plain_name(raw) is None


def _general(raw: str) -> tuple[dict[str, str], tuple[str, ...]]:
    parser = NameParser()
    return parser._classic(raw)  # the general path (parse_one tries plain_name first)


@settings(max_examples=300, deadline=None)
@given(raw_names(WORD))
def test_plain_name_equals_general_path_on_generated_names(raw: str) -> None:
    plain = plain_name(raw)
    if plain is not None:
        assert (plain, ()) == _general(raw)
        assert plain == simple_split(raw)


@settings(max_examples=500, deadline=None)
@given(ANY)
def test_plain_name_never_disagrees(raw: str) -> None:
    plain = plain_name(raw)
    if plain is not None:
        assert plain == simple_split(raw)
        assert (plain, ()) == _general(raw)


# --- unicode_name: the same split for names of Unicode words, checked against pybtex ---------

UNICODE_WORD = st.text(alphabet="AaÖöŞşÉéÅßǅİıΣσЖж.'’-1_ \u00a0\u0308", min_size=1, max_size=7)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Böcker, Sebastian", {"family": "Böcker", "given": "Sebastian"}),
        ("Şar, Vedat", {"family": "Şar", "given": "Vedat"}),
        ("Álvaro Moreira", {"family": "Moreira", "given": "Álvaro"}),
        ("O’Connor, David", {"family": "O’Connor", "given": "David"}),
        ("Guillén-Gosálbez, G.", {"family": "Guillén-Gosálbez", "given": "G."}),
    ],
)
def test_unicode_names(raw: str, expected: dict[str, str]) -> None:
    assert unicode_name(raw) == expected
    assert _general(raw) == (expected, ())


@pytest.mark.parametrize(
    "raw",
    ["de Wit, Cynthia", "Dix, jürgen", "Émile du Châtelet", "Böcker,Sebastian", "Böcker  S.",
     "K_H Böcker", "S {Karaka}", r"E Landr\'e", "Müller~K.", "Böcker, Jr, S.", "ǅemal Ö"],
)  # fmt: skip
def test_unicode_name_steps_aside(raw: str) -> None:
    assert unicode_name(raw) is None


@settings(max_examples=500, deadline=None)
@given(raw_names(UNICODE_WORD))
def test_unicode_name_equals_pybtex_on_generated_names(raw: str) -> None:
    name = unicode_name(raw)
    if name is not None:
        assert (name, ()) == _general(raw)
        parsed = NameParser().parse_list(raw)
        assert parsed.names == [name]


def test_unicode_name_is_used_by_parse_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """parse_list takes the Unicode path (switched off, pybtex must give the same)."""
    import citekit.mapping.names as names_module

    calls: list[str] = []

    def spy(raw: str) -> dict[str, str] | None:
        calls.append(raw)
        return unicode_name(raw)

    monkeypatch.setattr(names_module, "unicode_name", spy)
    value = "Böcker, Sebastian and Şar, Vedat and Jane Doe"
    fast = NameParser().parse_list(value).names
    assert calls == ["Böcker, Sebastian", "Şar, Vedat"]
    monkeypatch.setattr(names_module, "unicode_name", lambda raw: None)
    assert NameParser().parse_list(value).names == fast

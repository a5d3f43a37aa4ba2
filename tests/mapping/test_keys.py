"""Citation keys from patterns: tokens, transliteration, deterministic disambiguation."""

import random

import pytest

from citekit.mapping.keys import assign_keys, key_from_pattern, transliterate

REC = {
    "id": "old",
    "type": "paper-conference",
    "title": "Attention is all you need",
    "author": [{"family": "Vaswani", "given": "A"}, {"family": "Shazeer"}, {"family": "Parmar"}],
    "issued": {"date-parts": [[2017]]},
    "page": "5998-6008",
    "container-title": "Neural Information Processing Systems",
}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("{auth}{year}{shorttitle}", "Vaswani2017AttentionAllYou"),
        ("{auth:lower}{year}{veryshorttitle:lower}", "vaswani2017attention"),
        ("{authors}{year}", "VaswaniEtAl2017"),
        ("{authors2}_{firstpage}", "VaswaniShazeer_5998"),
        ("{journal:upper}-{year}", "NIPS-2017"),
        ("{title}", "AttentionAllYouNeed"),
    ],
)
def test_tokens(pattern, expected):
    assert key_from_pattern(REC, pattern) == expected


def test_transliteration():
    assert transliterate("Erdős Łukasz Ståhl Æsir Straße") == "ErdosLukaszStahlAEsirStrasse"
    assert key_from_pattern({"author": [{"family": "Gödel"}], "issued": {"date-parts": [[1931]]}},
                            "{auth}{year}") == "Godel1931"  # fmt: skip


def test_empty_pattern_result_is_anon():
    assert key_from_pattern({"title": "漢字"}, "{auth}{shorttitle}") == "anon"


def test_unknown_token_is_an_error():
    with pytest.raises(ValueError, match="unknown key pattern token"):
        key_from_pattern(REC, "{nope}")


def _twins():
    return [
        {"id": f"r{i}", "type": "book", "title": f"Same {t}", "author": [{"family": "Doe"}],
         "issued": {"date-parts": [[2020]]}}
        for i, t in enumerate(["alpha", "beta", "gamma"])
    ]  # fmt: skip


def test_disambiguation_is_order_independent():
    records = _twins()
    keys = assign_keys(records, "{auth}{year}", regenerate=True)
    assert sorted(keys) == ["Doe2020a", "Doe2020b", "Doe2020c"]
    by_title = {r["title"]: k for r, k in zip(records, keys, strict=True)}
    for seed in range(5):
        shuffled = records[:]
        random.Random(seed).shuffle(shuffled)
        again = assign_keys(shuffled, "{auth}{year}", regenerate=True)
        assert {r["title"]: k for r, k in zip(shuffled, again, strict=True)} == by_title


def test_ids_kept_by_default_and_missing_ones_generated_without_clash():
    records = [
        {"id": "Doe2020", "type": "book"},
        {"type": "book", "author": [{"family": "Doe"}], "issued": {"date-parts": [[2020]]}},
        {"id": "", "type": "book", "author": [{"family": "Doe"}],
         "issued": {"date-parts": [[2020]]}, "title": "x"},
    ]  # fmt: skip
    keys = assign_keys(records, "{auth}{year}")
    assert keys[0] == "Doe2020"
    assert sorted(keys[1:]) == ["Doe2020a", "Doe2020b"]


def test_case_only_clashes_are_disambiguated():
    records = [{"id": "doe2020", "type": "book"}, {"type": "book", "author": [{"family": "Doe"}],
               "issued": {"date-parts": [[2020]]}}]  # fmt: skip
    assert assign_keys(records, "{auth}{year}")[1] == "Doe2020a"

import pytest

from citekit.model import parse_edtf, parse_month, to_edtf


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020", {"date-parts": [[2020]]}),
        ("2020-05", {"date-parts": [[2020, 5]]}),
        ("2020-05-03", {"date-parts": [[2020, 5, 3]]}),
        ("2020-05-03T10:00:00Z", {"date-parts": [[2020, 5, 3]]}),
        ("2019/2020", {"date-parts": [[2019], [2020]]}),
        ("2020-05/2020-07", {"date-parts": [[2020, 5], [2020, 7]]}),
        ("2020-21", {"date-parts": [[2020]], "season": 1}),
        ("2020~", {"date-parts": [[2020]], "circa": True}),
        ("2020?", {"date-parts": [[2020]], "circa": True}),
        ("-0044-03-15", {"date-parts": [[-44, 3, 15]]}),
        ("2020/..", {"date-parts": [[2020]], "raw": "2020/.."}),
        ("2020/", {"date-parts": [[2020]], "raw": "2020/"}),
    ],
)
def test_parse_edtf(text, expected):
    assert parse_edtf(text) == expected


@pytest.mark.parametrize("text", ["", "2020-13-45", "2020-02-40", "Sep--Oct", "nope", "2020/xx"])
def test_parse_edtf_rejects(text):
    assert parse_edtf(text) is None


@pytest.mark.parametrize(
    "text",
    ["2020", "2020-05", "2020-05-03", "2019/2020", "2020-21", "2020~", "-0044-03-15", "2020/.."],
)
def test_edtf_round_trip(text):
    value = parse_edtf(text)
    assert value is not None
    assert to_edtf(value) == text


@pytest.mark.parametrize(
    ("text", "month"),
    [("jan", 1), ("January", 1), ("Sep.", 9), ("sept", 9), ("12", 12), ("13", None), ("x", None)],
)
def test_parse_month(text, month):
    assert parse_month(text) == month

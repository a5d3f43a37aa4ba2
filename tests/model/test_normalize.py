from citekit.errors import Diagnostics
from citekit.model import normalize_record


def norm(record):
    sink = Diagnostics()
    return normalize_record(record, sink, fallback_id="item-1", source="x.json"), sink


def test_clean_record_is_unchanged():
    record = {
        "id": "a",
        "type": "book",
        "title": "T",
        "author": [{"family": "Doe", "given": "J."}],
        "issued": {"date-parts": [[2020, 5]]},
        "volume": 3,
    }
    out, sink = norm(record)
    assert out == record
    assert not sink.items


def test_coercions_and_nothing_dropped():
    out, sink = norm(
        {
            "id": 7,
            "type": "weird",
            "issued": "2020-05",
            "accessed": {"date-parts": [["2021", "1", "2"]]},
            "author": ["World Health Organization"],
            "shortTitle": "S",
            "foo": {"bar": 1},
            "page": 12,
        }
    )
    assert out["id"] == "7"
    assert out["type"] == "document"
    assert out["issued"] == {"date-parts": [[2020, 5]]}
    assert out["accessed"] == {"date-parts": [[2021, 1, 2]]}
    assert out["author"] == [{"literal": "World Health Organization"}]
    assert out["title-short"] == "S"
    assert out["custom"]["extra-variables"] == {"type": "weird", "foo": {"bar": 1}}
    codes = {d.code for d in sink}
    assert {"csl-json.unknown-type", "csl-json.unknown-variable"} <= codes


def test_bad_dates_are_reported_and_seasons_kept():
    out, sink = norm(
        {
            "id": "a",
            "type": "book",
            "issued": {"date-parts": [[2020, 22]]},
            "accessed": {"date-parts": [[2020, 13, 45]]},
        }
    )
    assert out["issued"] == {"date-parts": [[2020]], "season": 2}
    assert out["accessed"] == {"date-parts": [[2020]], "season": 1}
    out, sink = norm({"id": "a", "type": "book", "issued": {"date-parts": [[2020, 40]]}})
    assert out["issued"] == {"date-parts": [[2020]]}
    assert any(d.code == "csl-json.bad-date" for d in sink)


def test_raw_date_gets_date_parts():
    out, _ = norm({"id": "a", "type": "book", "issued": {"raw": "2019-03-02"}})
    assert out["issued"] == {"raw": "2019-03-02", "date-parts": [[2019, 3, 2]]}


def test_non_object_is_an_error():
    out, sink = norm(["not", "a", "record"])
    assert out is None
    assert sink.has_errors

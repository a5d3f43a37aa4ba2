import json

import pytest

import citekit
from citekit.errors import StrictModeError


def test_list_and_items_object_and_case_kept():
    records = [{"id": "Ab", "type": "book", "title": "T"}]
    for text in (json.dumps(records), json.dumps({"items": records})):
        lib = citekit.read_string(text, format="csl-json")
        assert lib.records == records
        assert lib.location("Ab").line == 1


def test_broken_item_costs_only_itself():
    text = (
        '[\n {"id": "a", "type": "book"},\n {"id": "b", "title": },\n'
        ' {"id": "c", "type": "book"}\n]'
    )
    lib = citekit.read_string(text, format="json", source="x.json")
    assert lib.ids == ["a", "c"]
    (error,) = lib.errors
    assert (error.source, error.line) == ("x.json", 3)
    assert lib.location("c").line == 4


def test_truncated_file():
    lib = citekit.read_string('[{"id": "a", "type": "book"}, {"id": "b"', format="json")
    assert lib.ids == ["a"]
    assert any(d.code == "csl-json.truncated" for d in lib.diagnostics)


def test_strict_raises():
    with pytest.raises(StrictModeError):
        citekit.read_string('[{"id": "a", }]', format="json", strict=True)


def test_round_trip_through_writer(tmp_path):
    records = [{"id": "x", "type": "article-journal", "title": "Ü", "custom": {"k": 1}}]
    lib = citekit.read_string(json.dumps(records), format="csl-json")
    out = tmp_path / "out.json"
    citekit.write(lib, out)
    assert json.loads(out.read_text(encoding="utf-8")) == records
    assert "Ü" in out.read_text(encoding="utf-8")

from citekit.model import Library, SourceLocation


def test_duplicate_and_case_collisions():
    lib = Library()
    lib.add({"id": "Smith2020", "type": "book"}, SourceLocation("a.bib", 3))
    lib.add({"id": "smith2020", "type": "book"}, SourceLocation("a.bib", 9))
    lib.add({"id": "Smith2020", "type": "book"}, SourceLocation("b.bib", 1))
    found = lib.check_ids()
    assert [d.code for d in found] == ["library.id-case-collision", "library.duplicate-id"]
    assert found[0].line == 9
    assert "first at a.bib:3" in found[1].message
    assert lib.location("smith2020") == SourceLocation("a.bib", 9)
    assert lib["Smith2020"]["id"] == "Smith2020"
    assert [r["id"] for r in lib.select({"smith2020"})] == ["smith2020"]

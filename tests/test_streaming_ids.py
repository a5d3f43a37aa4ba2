"""The streaming id checker reports exactly what Library.check_ids reports."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citekit._stream_ids import IdChecker
from citekit.errors import Diagnostics
from citekit.model import Library, SourceLocation

IDS = ["a", "A", "ab", "Ab", "AB", "aB", "ß", "ss", "SS", "ẞ", "İ", "i̇", "", "k1", "K1", "x"]
locations = st.one_of(
    st.none(),
    st.builds(
        SourceLocation,
        st.sampled_from(["a.bib", "b.bib", "c.json"]),
        st.one_of(st.none(), st.integers(1, 1 << 40)),
        st.one_of(st.none(), st.integers(0, 1 << 33)),
    ),
)


@settings(max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(IDS), locations), max_size=30))
def test_checker_equals_library_check_ids(items: list[tuple[str, SourceLocation | None]]) -> None:
    library = Library()
    for record_id, where in items:
        library.add({"id": record_id, "type": "book"}, where)
    checker = IdChecker(Diagnostics())
    for index, (record_id, where) in enumerate(items):
        record = {"id": record_id} if index % 2 else (record_id, "text")
        checker.check(record, where)  # type: ignore[arg-type]
    checker.finish()
    assert checker.diagnostics.items == library.check_ids()


def test_duplicates_and_case_collisions_across_files() -> None:
    checker = IdChecker(Diagnostics())
    checker.check(("Smith20", ""), SourceLocation("a.bib", 3, 1))
    checker.check(("smith20", ""), SourceLocation("b.bib", 7, 2))
    checker.check(("smith20", ""), SourceLocation("b.bib", 9, 1))
    checker.check(("Smith20", ""), None)
    checker.finish()
    assert [str(d) for d in checker.diagnostics] == [
        "b.bib:7:2: warning: id 'smith20' differs from 'Smith20' only in case [smith20]"
        " (library.id-case-collision)",
        "b.bib:9:1: warning: duplicate id 'smith20' (first at b.bib:7:2) [smith20]"
        " (library.duplicate-id)",
        "<input>: warning: duplicate id 'Smith20' (first at a.bib:3:1) [Smith20]"
        " (library.duplicate-id)",
    ]

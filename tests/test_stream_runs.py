"""Runs of records serialised by the .bib reader's workers: same bytes, ids and diagnostics."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citekit.readers._bibtex_parallel as parallel
from citekit._io import write_output_bytes
from citekit._stream_csljson import ItemSerialiser, csl_json_serialiser, encoded_pieces
from citekit._stream_ids import IdChecker, SerialisedRun
from citekit.api import convert_stream
from citekit.errors import Diagnostics
from citekit.model import SourceLocation
from citekit.readers.bibtex import iter_segments
from citekit.writers.csljson import iter_write

INDENTS = [2, None, 4, "\t"]


def _bib(count: int) -> str:
    """Entries with non-ASCII and astral text, some with diagnostics, some using crossref."""
    parts = []
    for index in range(count):
        bad = "  month = {Smarch},\n" if index % 11 == 4 else ""
        cross = "  crossref = {parent},\n" if index % 17 == 9 else ""
        parts.append(
            f"@article{{k{index},\n  author = {{Ürsula Ğ{index} and Smith, J.}},\n"
            f"  title = {{Title 𝔸{index} – “quoted” $\\alpha$}},\n  year = {2000 + index % 9},\n"
            f"{bad}{cross}}}\n\n"
        )
        if index == 150:
            parts.append("@proceedings{parent, title = {Parent}, address = {Berlin}}\n\n")
    return "".join(parts)


@pytest.fixture
def bib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import citekit.syntax.segments as segments

    for function in (segments.iter_segments, segments.iter_encoded_segments):
        defaults = function.__kwdefaults__
        assert defaults is not None
        monkeypatch.setitem(defaults, "chunk_size", 6000)
    monkeypatch.setattr(parallel, "RUN_CHARS", 700)  # several runs per segment
    path = tmp_path / "runs.bib"
    path.write_text(_bib(260), "utf-8")
    return path


@pytest.mark.parametrize("indent", INDENTS)
def test_runs_give_the_serial_bytes_and_diagnostics(
    bib: Path, tmp_path: Path, indent: int | str | None
) -> None:
    results, outputs = [], []
    for jobs in (1, 2):
        out = tmp_path / f"{jobs}.json"
        results.append(convert_stream(bib, out, jobs=jobs, write_options={"indent": indent}))
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert results[0].diagnostics == results[1].diagnostics
    assert results[0].count == results[1].count == 261
    assert any(d.code == "bibtex.bad-date" for d in results[0].diagnostics)


def test_workers_send_runs_with_diagnostics_before_their_first_record(bib: Path) -> None:
    """A record with diagnostics starts a run; each diagnostic still precedes its record."""

    def open_segments():  # type: ignore[no-untyped-def]
        from citekit.syntax.segments import iter_segments as pieces

        with open(bib, "rb") as handle:
            yield from pieces(handle)

    def collect(jobs: int) -> tuple[list[tuple[str, int, int]], list[object]]:
        sink = Diagnostics()
        placed: list[tuple[str, int, int]] = []
        runs = 0
        for item, where in iter_segments(
            open_segments, source=str(bib), diagnostics=sink, jobs=jobs,
            serialise=ItemSerialiser(2),
        ):  # fmt: skip
            seen = len(sink.items)
            if isinstance(item, SerialisedRun):
                runs += 1
                assert where.line == item.places[0]
                for index, record_id in enumerate(item.ids):
                    placed.append((record_id, item.places[2 * index], seen))
            else:
                placed.append((item[0], where.line, seen))
        assert (runs > 20) == (jobs > 1)
        return placed, sink.items

    assert collect(1) == collect(2)


def test_a_run_that_cannot_be_encoded_comes_one_record_at_a_time() -> None:
    items: list[parallel.Item] = []
    run = parallel._Run(items, "x.bib", ",\n  ")
    run.found = ["first"]  # type: ignore[list-item]
    run.add("a", '{"id": "a"}', 3, 1)
    run.add("b", '{"title": "\ud800"}', 5, 2)
    run.close()
    assert items == [
        (("a", '{"id": "a"}'), 3, 1, ["first"]),
        (("b", '{"title": "\ud800"}'), 5, 2, []),
    ]
    run.add("c", "{}", 9, 1)
    run.close()
    assert items[-1] == (SerialisedRun(["c"], b"{}", "x.bib", [9, 1]), 9, 1, [])


IDS = ["a", "A", "ab", "Ab", "ß", "ss", "SS", "ẞ", "İ", "i̇", "", "k1", "K1", "x"]


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.sampled_from(IDS), st.integers(0, 1 << 32), st.integers(0, 40))),
    st.lists(st.sampled_from(IDS), max_size=4),
    st.integers(1, 6),
)
def test_check_run_equals_check(
    items: list[tuple[str, int, int]], earlier: list[str], size: int
) -> None:
    """Runs of a.bib after single ids of b.bib: the diagnostics of one check per id."""
    one, many = IdChecker(Diagnostics()), IdChecker(Diagnostics())
    for checker in (one, many):
        for line, record_id in enumerate(earlier, 1):
            checker.check((record_id, ""), SourceLocation("b.bib", line, 1))
    for record_id, line, column in items:
        one.check((record_id, ""), SourceLocation("a.bib", line, column))
    for start in range(0, len(items), size):
        part = items[start : start + size]
        places = [number for _, line, column in part for number in (line, column)]
        many.check_run("a.bib", [record_id for record_id, _, _ in part], places)
    one.finish()
    many.finish()
    assert one.diagnostics.items == many.diagnostics.items


def test_check_run_rejects_places_of_another_length() -> None:
    with pytest.raises(ValueError, match="line and a column"):
        IdChecker(Diagnostics()).check_run("a.bib", ["a"], [1])


@pytest.mark.parametrize("indent", INDENTS)
@pytest.mark.parametrize("shape", ["empty", "records", "pairs", "mixed"])
def test_encoded_pieces_equal_the_writer(indent: int | str | None, shape: str) -> None:
    records = [{"id": f"r{i}", "type": "book", "title": f"T {i} 𝔸 é"} for i in range(7)]
    serialise = csl_json_serialiser("csl-json", {"indent": indent})
    assert serialise is not None
    expected = "".join(iter_write([(r, None) for r in records if shape != "empty"],
                                  diagnostics=Diagnostics(), indent=indent))  # fmt: skip
    texts = [serialise(r) for r in records]
    items: list[tuple[object, None]] = []
    if shape == "records":
        items = [(r, None) for r in records]
    elif shape == "pairs":
        items = [((r["id"], t), None) for r, t in zip(records, texts, strict=True)]
    elif shape == "mixed":
        joined = serialise.separator.join(texts[1:5]).encode()
        run = SerialisedRun([r["id"] for r in records[1:5]], joined, "x.bib", [1, 1] * 4)
        items = [(records[0], None), (run, None), (("r5", texts[5]), None), (records[6], None)]
    pieces = list(encoded_pieces(items, serialise, size=64))
    assert b"".join(pieces).decode() == expected
    assert all(isinstance(piece, bytes) for piece in pieces)


def test_write_output_bytes_to_a_file_and_to_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    write_output_bytes(target, [b"[\n", "  \U0001d538\n".encode(), b"]\n"])
    assert target.read_text("utf-8") == "[\n  \U0001d538\n]\n"
    buffer = io.StringIO()
    monkeypatch.setattr("sys.stdout", buffer)
    write_output_bytes("-", [b"[", "\u00e9".encode(), b"]"])
    assert buffer.getvalue() == "[\u00e9]"

"""CSL-JSON → .bib with workers that read and write (citekit._stream_tobib) = the serial path.

Each case converts the same file three ways: the fused path (workers split, parse, normalise
and write), the streaming writer's own workers over records read whole (the path before
``_stream_tobib``, forced by switching the plan off) and one process. Output bytes must be
equal everywhere; diagnostics must equal those of the same worker count's old path (the
streaming writer reports duplicate-id warnings at a point that depends on its look-ahead).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import citekit._stream_tobib as tobib
from citekit.api import convert_stream
from citekit.errors import StrictModeError

BATCH = tobib.BATCH


def _item(index: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": f"key{index}",
        "type": "article-journal" if index % 3 else "book",
        "title": f"Title {index} with {{braces}}, a '}},{{' and [brackets]",
        "author": [{"family": "Müller", "given": "J."}, {"family": f"Name{index % 7}"}],
        "issued": {"date-parts": [[1990 + index % 30, 1 + index % 12]]},
        "container-title": "Journal of Things",
        "note": 'line one\nline two: "quoted" },\n  { not an item',
    }
    if index % 11 == 0:
        item["type"] = "no-such-type"  # a reader warning
    if index % 13 == 0:
        item["tags"] = [[1, [2, {"x": [3]}]], {"nested": {"deep": [4]}}]
    return item


def _text(items: list[dict[str, Any]], *, indent: int = 2) -> str:
    return json.dumps(items, ensure_ascii=False, indent=indent) + "\n"


def _convert(
    path: Path,
    out: Path,
    *,
    jobs: int | None,
    fused: bool,
    monkeypatch: pytest.MonkeyPatch,
    **kw: Any,
) -> tuple[bytes | None, list[str], int]:
    taken: list[bool] = []
    real = tobib.plan

    def spy(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs) if fused else None
        taken.append(found is not None)
        return found

    monkeypatch.setattr(tobib, "plan", spy)
    if out.exists():
        out.unlink()
    result = convert_stream(
        path, out, from_format="csl-json", write_options={"jobs": jobs, **kw}, strict=False
    )
    monkeypatch.setattr(tobib, "plan", real)
    assert taken == [True] if fused else True
    return out.read_bytes(), [repr(d) for d in result.diagnostics], result.count


def _same(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int = 2, **kw: Any
) -> list[str]:
    out = tmp_path / "out.bib"
    fused = _convert(path, out, jobs=jobs, fused=True, monkeypatch=monkeypatch, **kw)
    old = _convert(path, out, jobs=jobs, fused=False, monkeypatch=monkeypatch, **kw)
    serial = _convert(path, out, jobs=1, fused=False, monkeypatch=monkeypatch, **kw)
    assert fused == old
    assert fused[0] == serial[0]
    assert fused[2] == serial[2]
    assert sorted(fused[1]) == sorted(serial[1])
    return fused[1]


def test_clean_file_is_written_by_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "in.json"
    path.write_text(_text([_item(i) for i in range(2 * BATCH + 37)]), "utf-8")
    found = _same(path, tmp_path, monkeypatch)
    assert any("no-such-type" in d for d in found)
    assert tobib.plan(str(path), from_format=None, options={"jobs": 2}, jobs=2) is not None


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
def test_byte_order_mark_crlf_and_tabs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialect: str
) -> None:
    text = json.dumps([_item(i) for i in range(BATCH + 3)], indent="\t")
    path = tmp_path / "in.json"
    path.write_bytes(b"\xef\xbb\xbf \r\n" + text.replace("\n", "\r\n").encode() + b"\r\n\r\n")
    out = tmp_path / f"out.{dialect}"
    fused = _convert(path, out, jobs=2, fused=True, monkeypatch=monkeypatch)
    old = _convert(path, out, jobs=2, fused=False, monkeypatch=monkeypatch)
    assert fused == old


@pytest.mark.parametrize("jobs", [2, 3])
def test_key_collisions_across_worker_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    # 5 batches and a bit: the writer's look-ahead reports the first batches' diagnostics
    # before the duplicate-id warnings with 2 workers, none of them with 3.
    items = [_item(i) for i in range(5 * BATCH + 5)]
    items[10]["id"] = "a b"  # written as a-b
    items[BATCH + 10]["id"] = "a-b"  # another batch: the writer dedupes per batch
    items[12]["id"] = "twice"
    items[2 * BATCH + 1]["id"] = "twice"  # duplicate id, two batches apart
    items[2 * BATCH + 2]["id"] = "TWICE"
    items[3]["id"] = "c d"
    items[4]["id"] = "c-d"  # same batch: renamed c-d-2
    items[5]["crossref"] = "a b"
    path = tmp_path / "in.json"
    path.write_text(_text(items), "utf-8")
    found = _same(path, tmp_path, monkeypatch, jobs=jobs)
    assert any("library.duplicate-id" in d and "first at" in d for d in found)
    assert any("library.id-case-collision" in d for d in found)
    assert any("unsafe-key" in d for d in found)


@pytest.mark.parametrize(
    "damage",
    [
        "missing-quote",
        "long-integer",
        "escaped-brace",
        "nested-at-item-indent",
        "not-an-object",
        "trailing-garbage",
        "not-utf8",
        "duplicate-key",
    ],
)
def test_unprovable_slice_falls_back_with_the_serial_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    items: list[Any] = [_item(i) for i in range(3 * BATCH + 20)]
    middle = BATCH + 200
    if damage == "long-integer":
        items[middle]["volume"] = 12345678901234567890123
    elif damage == "escaped-brace":
        items[middle]["title"] = "MARK"
    elif damage == "not-an-object":
        items[middle] = ["not", "an", "object"]
    text = _text(items)
    if damage == "missing-quote":
        text = text.replace('"id": "key700"', '"id": "key700', 1)
    elif damage == "escaped-brace":
        text = text.replace('"MARK"', '"\\u007b"', 1)
    elif damage == "nested-at-item-indent":
        text = text.replace('"id": "key700",', '"id": "key700", "x":\n  {"y": 1},', 1)
    elif damage == "trailing-garbage":
        text += "]"
    elif damage == "duplicate-key":
        text = text.replace('"id": "key700",', '"id": "key700", "title": "first",', 1)
    data = text.encode()
    if damage == "not-utf8":
        data = data.replace(b"Title 700 ", b"Title 700 \xe9 ", 1)
    path = tmp_path / "in.json"
    path.write_bytes(data)
    found = _same(path, tmp_path, monkeypatch)
    if damage in ("missing-quote", "trailing-garbage"):
        assert any("csl-json.syntax" in d for d in found)
    if damage == "not-utf8":
        assert "input.not-utf8" in found[0]
    if damage == "duplicate-key":
        assert any("csl-json.duplicate-key" in d for d in found)


@pytest.mark.parametrize("shape", ["items-object", "compact", "empty", "scalar"])
def test_other_shapes_take_the_serial_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    items = [_item(i) for i in range(BATCH + 5)]
    text = {
        "items-object": json.dumps({"items": items}, indent=2),
        "compact": json.dumps(items),
        "empty": "[]",
        "scalar": "42",
    }[shape]
    path = tmp_path / "in.json"
    path.write_text(text, "utf-8")
    assert tobib.plan(str(path), from_format="csl-json", options={}, jobs=2) is None
    out = tmp_path / "out.bib"
    old = _convert(path, out, jobs=2, fused=False, monkeypatch=monkeypatch)
    serial = _convert(path, out, jobs=1, fused=False, monkeypatch=monkeypatch)
    assert old[0] == serial[0]


def test_options_that_need_the_whole_library_take_the_serial_path(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(_text([_item(i) for i in range(10)]), "utf-8")
    for options in ({"key_pattern": "[auth][year]"}, {"keep_macros": True}, {"report": None}):
        assert tobib.plan(str(path), from_format=None, options=options, jobs=2) is None
    assert tobib.plan("-", from_format=None, options={}, jobs=2) is None


def test_strict_mode_leaves_the_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [_item(i) for i in range(2 * BATCH)]
    path = tmp_path / "in.json"
    path.write_text(_text(items).replace('"id": "key900"', '"id": "key900', 1), "utf-8")
    messages = []
    real = tobib.plan
    for fused in (True, False):
        out = tmp_path / "out.bib"
        monkeypatch.setattr(tobib, "plan", real if fused else lambda *a, **k: None)
        with pytest.raises(StrictModeError) as caught:
            convert_stream(path, out, to_format="bibtex", write_options={"jobs": 2}, strict=True)
        assert not out.exists()
        messages.append(str(caught.value))
    assert messages[0] == messages[1]


def test_slices_are_cut_at_item_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tobib, "_BLOCK", 4096)  # items straddle the blocks read
    path = tmp_path / "in.json"
    text = _text([_item(i) for i in range(2 * BATCH + 1)], indent=4)
    path.write_text(text, "utf-8")
    plan = tobib.plan(str(path), from_format=None, options={}, jobs=2)
    assert plan is not None
    tasks = list(tobib._slices(plan, "bibtex", {}))
    assert [t.count for t in tasks] == [BATCH, BATCH, 1]
    assert [t.last for t in tasks] == [False, False, True]
    data = path.read_bytes()
    assert b"".join(t.data for t in tasks) == data[plan.begin :]
    for task in tasks:
        assert task.data.startswith(b"    {")
        assert data.count(b"\n", 0, data.index(task.data)) + 1 == task.first_line


def test_cli_convert_with_workers_writes_what_one_process_writes(tmp_path: Path) -> None:
    from citekit.cli import main

    items = [_item(i) for i in range(2 * BATCH + 3)]
    items[7]["id"] = "key8"  # a duplicate id
    path = tmp_path / "in.json"
    path.write_text(_text(items), "utf-8")
    outputs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}.bib"
        assert main(["convert", str(path), "-t", "bibtex", "-o", str(out), "-q", "-j", jobs]) == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_id_check_a_slice_at_a_time_equals_the_streaming_checker() -> None:
    import random

    from citekit._stream_ids import IdChecker
    from citekit.errors import Diagnostics
    from citekit.model import SourceLocation

    rng = random.Random(7)
    pool = ["a", "A", "b", "Straße", "STRASSE", "strasse", "x y", "c"] + [
        f"k{i}" for i in range(40)
    ]
    ids = [rng.choice(pool) for _ in range(300)]
    places: list[tuple[int | None, int | None]] = [(10 * n + 2, 3) for n in range(len(ids))]
    places[5] = (None, None)
    checker = IdChecker(Diagnostics())
    for record_id, (line, column) in zip(ids, places, strict=True):
        checker.check((record_id, ""), SourceLocation("in.json", line, column))
    expected = [repr(d) for d in checker.found]
    assert expected
    for size in (1, 7, 50, 300):
        sliced = IdChecker(Diagnostics())
        for start in range(0, len(ids), size):
            sliced.check_many("in.json", ids[start : start + size], places[start : start + size])
        assert [repr(d) for d in sliced.found] == expected


@pytest.mark.parametrize(
    ("jobs", "count"),
    [
        (1, 1),
        (1, 2 * BATCH),
        (1, 5 * BATCH + 5),
        (None, 1),
        (None, 3 * BATCH + 7),  # the writer's look-ahead exhausts the reader
        (None, 4 * BATCH),  # ... takes exactly the whole file, without exhausting it
        (None, 5 * BATCH + 5),
    ],
)
def test_one_process_reads_a_slice_at_a_time_as_the_serial_path_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int | None, count: int
) -> None:
    # -j1, or a machine whose CPUs are busy, or a file too small for workers: the slices are
    # read in this process, so memory stays flat, and the output and the diagnostics (in
    # their order: the duplicate-id warnings come where the serial writer's reads put them)
    # are the serial path's.
    monkeypatch.setattr("citekit._parallel.automatic_jobs", lambda size, minimum: 1)
    items = [_item(i) for i in range(count)]
    for index in range(3, count, 200):
        items[index]["id"] = f"key {index}"  # a writer warning in every batch
    if count > 2:
        items[-1]["id"] = items[0]["id"]  # a duplicate id
        items[count // 2]["id"] = str(items[1]["id"]).upper()  # an id-case collision
    path = tmp_path / "in.json"
    path.write_text(_text(items), "utf-8")
    planned = tobib.plan(str(path), from_format=None, options={"jobs": jobs}, jobs=jobs)
    assert planned is not None
    assert (planned.jobs, planned.peeked) == (1, jobs != 1)
    out = tmp_path / "out.bib"
    fused = _convert(path, out, jobs=jobs, fused=True, monkeypatch=monkeypatch)
    old = _convert(path, out, jobs=jobs, fused=False, monkeypatch=monkeypatch)
    assert fused == old
    if count > 2:
        assert any("library.duplicate-id" in d for d in fused[1])
        assert any("library.id-case-collision" in d for d in fused[1])

"""Streamed .bib output equals the whole-library output where entries depend on each other.

Two things of an entry depend on other entries: the key an unsafe id is renamed to (it must
not be any other record's id) and the fields a record inherited from a crossref parent (left
out when the parent is written, wherever it is). A batch of 500 only sees itself, so
``convert_stream`` checks the stream and writes the whole library when batches cannot give
its output; the common case (parents in the input) stays streamed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import citekit
import citekit._stream_convert as streaming
from citekit.api import convert_stream, write_stream
from citekit.errors import Diagnostics
from citekit.writers._bib_stream import BATCH, StreamMismatch, iter_bib


def _library_text(path: Path, fmt: str = "bibtex") -> str:
    return citekit.write_string(citekit.read(path), format=fmt)


def _streamed(path: Path, tmp_path: Path, jobs: int, fmt: str = "bibtex") -> str:
    out = tmp_path / f"out-{jobs}.bib"
    convert_stream(path, out, to_format=fmt, jobs=jobs, write_options={"jobs": jobs})
    return out.read_text("utf-8")


@pytest.fixture
def whole_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = streaming._convert_whole

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(streaming, "_convert_whole", spy)
    return calls


def _items(count: int) -> list[dict[str, Any]]:
    return [{"id": f"k{i}", "type": "book", "title": f"T{i}"} for i in range(count)]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("indent", [2, None])  # pretty: the fused path; compact: iter_bib
def test_renamed_key_never_takes_an_id_from_another_batch(
    tmp_path: Path, whole_calls: list[int], jobs: int, indent: int | None
) -> None:
    items = _items(4 * BATCH + 10)
    items[10]["id"] = "a b"  # written as a-b … unless a-b is an id anywhere
    items[3 * BATCH + 5]["id"] = "a-b"
    path = tmp_path / "in.json"
    path.write_text(json.dumps(items, indent=indent), "utf-8")
    text = _streamed(path, tmp_path, jobs)
    assert text == _library_text(path)
    assert text.count("@book{a-b,") == 1
    assert "@book{a-b-2," in text
    assert whole_calls == [1]


@pytest.mark.parametrize("jobs", [1, 2])
def test_crossref_parent_in_a_later_batch_stays_streamed(
    tmp_path: Path, whole_calls: list[int], jobs: int
) -> None:
    # DBLP style: the parent comes after its children, batches later. The child leaves out
    # what it inherited, as on the Library path.
    parts = [
        f"@inproceedings{{k{i},\n  author = {{A, B}},\n  title = {{T{i}}},\n"
        + ("  crossref = {proc},\n" if i in (3, 2 * BATCH + 1) else "")
        + "  year = 2000\n}\n"
        for i in range(3 * BATCH)
    ]
    parts.append("@proceedings{proc,\n  title = {Proc},\n  publisher = {Pub},\n  year = 2000\n}\n")
    path = tmp_path / "in.bib"
    path.write_text("\n".join(parts), "utf-8")
    text = _streamed(path, tmp_path, jobs)
    assert text == _library_text(path)
    child = text[text.index("@inproceedings{k3,") :].split("\n}", 1)[0]
    assert "publisher" not in child
    assert "crossref = {proc}" in child
    assert whole_calls == []  # the parent is in the stream: no second read


@pytest.mark.parametrize("jobs", [1, 2])
def test_named_parent_missing_from_the_input_writes_the_whole_library(
    tmp_path: Path, whole_calls: list[int], jobs: int
) -> None:
    # CSL-JSON written from a .bib with crossref, then filtered: the parent is gone, so the
    # child keeps what it inherited (as the Library path writes it).
    items = _items(2 * BATCH + 3)
    items[7]["publisher"] = "Pub"
    items[7]["custom"] = {"bibtex": {"type": "inproceedings", "inherited": {"publisher": "gone"}}}
    items[BATCH + 2]["custom"] = {"bibtex": {"inherited": {"title": "k1"}}}  # k1: batch 1
    path = tmp_path / "in.json"
    path.write_text(json.dumps(items, indent=2), "utf-8")
    text = _streamed(path, tmp_path, jobs)
    assert text == _library_text(path)
    assert "publisher = {Pub}" in text
    assert whole_calls == [1]


def test_standard_output_gets_the_whole_library_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], whole_calls: list[int]
) -> None:
    items = _items(BATCH + 3)
    items[1]["id"] = "x y"
    items[BATCH + 1]["id"] = "x-y"
    path = tmp_path / "in.json"
    path.write_text(json.dumps(items, indent=2), "utf-8")
    result = convert_stream(path, "-", to_format="biblatex", jobs=1)
    assert capsys.readouterr().out == _library_text(path, "biblatex")
    assert result.count == len(items)
    assert any(d.code == "biblatex.unsafe-key" for d in result.diagnostics)
    assert whole_calls == [1]


def test_standard_output_is_written_once_when_streamed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], whole_calls: list[int]
) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(_items(BATCH + 3), indent=2), "utf-8")
    convert_stream(path, "-", to_format="bibtex", jobs=1)
    assert capsys.readouterr().out == _library_text(path)
    assert whole_calls == []


def test_write_stream_of_any_iterable_decides_per_batch(tmp_path: Path) -> None:
    # A generator cannot be read twice: each batch decides for itself (documented).
    items = _items(BATCH + 3)
    items[1]["id"] = "x y"
    items[BATCH + 1]["id"] = "x-y"
    out = tmp_path / "out.bib"
    assert write_stream(iter(items), out, format="bibtex") == len(items)
    assert out.read_text("utf-8").count("@book{x-y,") == 2


def test_iter_bib_exact_raises_for_an_unknown_parent() -> None:
    records = _items(3)
    records[0]["custom"] = {"bibtex": {"inherited": {"publisher": "nowhere"}}}
    pieces = iter_bib(
        ((r, None) for r in records), dialect="bibtex", diagnostics=Diagnostics(), exact={"k0"}
    )
    with pytest.raises(StreamMismatch):
        list(pieces)

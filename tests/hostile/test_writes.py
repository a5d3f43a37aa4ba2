"""Writes are atomic: on any error the destination is untouched and the error is clear."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import citekit
from citekit import _io
from citekit.cli import main
from citekit.errors import CitekitWriteError

from ._helpers import assert_no_traceback, run_cli

BIB = "@book{a, title = {A}, year = 2001}\n\n@book{b, title = {B}, year = 2002}\n"
ORIGINAL = "ORIGINAL CONTENT\n"


class _FullDisk:
    """A file handle whose write fails half way like a full disk."""

    def __init__(self, handle: object) -> None:
        self._handle = handle

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()  # type: ignore[attr-defined]

    def write(self, text: str) -> int:
        self._handle.write(text[: len(text) // 2])  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> object:
        return getattr(self._handle, name)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    real_fdopen = os.fdopen

    def fdopen(fd: int, *args: object, **kwargs: object) -> _FullDisk:
        return _FullDisk(real_fdopen(fd, *args, **kwargs))  # type: ignore[arg-type]

    monkeypatch.setattr(_io.os, "fdopen", fdopen)


def _leftovers(folder: Path, keep: set[str]) -> set[str]:
    return {p.name for p in folder.iterdir()} - keep


def test_full_disk_leaves_destination_untouched(tmp_path: Path, full_disk: None) -> None:
    target = tmp_path / "out.bib"
    target.write_text(ORIGINAL)
    with pytest.raises(CitekitWriteError, match="No space left") as info:
        _io.atomic_write_text(target, "NEW " * 1000)
    assert isinstance(info.value, OSError)
    assert target.read_text() == ORIGINAL
    assert _leftovers(tmp_path, {"out.bib"}) == set()


def test_full_disk_api_write(tmp_path: Path, full_disk: None) -> None:
    library = citekit.read_string(BIB, format="bibtex")
    target = tmp_path / "out.json"
    target.write_text(ORIGINAL)
    with pytest.raises(CitekitWriteError):
        citekit.write(library, target)
    assert target.read_text() == ORIGINAL


def test_full_disk_cli_exit_1(
    tmp_path: Path, full_disk: None, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.bib"
    source.write_text(BIB)
    target = tmp_path / "out.json"
    target.write_text(ORIGINAL)
    status = main(["convert", str(source), "-t", "csl-json", "-o", str(target)])
    err = capsys.readouterr().err
    assert status == 1
    assert "No space left" in err
    assert "Traceback" not in err
    assert target.read_text() == ORIGINAL
    assert source.read_text() == BIB


def test_failing_rename_leaves_destination_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.bib"
    target.write_text(ORIGINAL)

    def replace(src: str, dst: str) -> None:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(_io.os, "replace", replace)
    with pytest.raises(CitekitWriteError):
        _io.atomic_write_text(target, "NEW")
    assert target.read_text() == ORIGINAL
    assert _leftovers(tmp_path, {"out.bib"}) == set()


def test_writer_exception_leaves_destination_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = citekit.read_string(BIB, format="bibtex")
    target = tmp_path / "out.bib"
    target.write_text(ORIGINAL)

    def broken_writer(*args: object, **kwargs: object) -> str:
        raise RuntimeError("writer blew up")

    monkeypatch.setattr(citekit.api, "write_string", broken_writer)
    with pytest.raises(RuntimeError):
        citekit.write(library, target, format="bibtex")
    assert target.read_text() == ORIGINAL


@pytest.mark.parametrize(
    "where",
    ["{file}/child.json", "/proc/citekit-nope/out.json", "{dir}", "/nonexistent-dir/out.json"],
)
def test_unwritable_destinations(tmp_path: Path, where: str) -> None:
    source = tmp_path / "in.bib"
    source.write_text(BIB)
    blocker = tmp_path / "file"
    blocker.write_text(ORIGINAL)
    target = where.replace("{file}", str(blocker)).replace("{dir}", str(tmp_path))
    result = run_cli("convert", source, "-t", "csl-json", "-o", target)
    err = assert_no_traceback(result)
    assert result.returncode == 1, err
    assert "cannot write" in err or "error" in err
    assert blocker.read_text() == ORIGINAL


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "out.json").write_text(ORIGINAL)
    folder.chmod(0o500)
    try:
        library = citekit.read_string(BIB, format="bibtex")
        with pytest.raises(CitekitWriteError):
            citekit.write(library, folder / "out.json")
        assert (folder / "out.json").read_text() == ORIGINAL
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(("suffix", "to"), [(".bib", "bibtex"), (".json", "csl-json")])
def test_output_equal_to_input(tmp_path: Path, suffix: str, to: str) -> None:
    path = tmp_path / f"refs{suffix}"
    source = citekit.read_string(BIB, format="bibtex")
    citekit.write(source, path, format=to)
    before = citekit.read(path)
    result = run_cli("convert", path, "-t", to, "-o", path)
    assert_no_traceback(result)
    assert result.returncode == 0
    after = citekit.read(path)
    assert [r["id"] for r in after.records] == ["a", "b"]
    assert [r.get("title") for r in after.records] == [r.get("title") for r in before.records]
    assert _leftovers(tmp_path, {path.name}) == set()


def test_permissions_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    target.write_text(ORIGINAL)
    target.chmod(0o640)
    _io.atomic_write_text(target, "NEW")
    assert target.read_text() == "NEW"
    assert target.stat().st_mode & 0o777 == 0o640


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.bib"
    real.write_text(ORIGINAL)
    link = tmp_path / "link.bib"
    link.symlink_to(real)
    _io.atomic_write_text(link, "NEW")
    assert link.is_symlink()
    assert real.read_text() == "NEW"


def test_in_place_rewrite_keeps_damaged_entry_text(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("@book{a, title={A}}\n\n@book{b, title={Unclosed\n\n@book{c, title={C}}\n")
    result = run_cli("convert", path, "-t", "bibtex", "-o", path)
    assert_no_traceback(result)
    assert "Unclosed" in path.read_text()

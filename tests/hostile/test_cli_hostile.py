"""The CLI on hostile files, in a subprocess: located diagnostics, exit codes, no traceback."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

import citekit
from citekit.errors import Severity

from ._helpers import assert_no_traceback, run_cli

GOOD_BIB = "@book{good, title = {Caf\u00e9 au lait}, year = 2001}\n"
AFTER_BIB = "@article{after, title = {After}, journal = {J}, year = 2002}\n"
GOOD_JSON = [{"id": "good", "type": "book", "title": "Caf\u00e9 au lait"}]

# name -> (file name, bytes, ids that must survive, expected (line, column) of a report or None)
HOSTILE_FILES: dict[str, tuple[str, bytes, set[str], tuple[int, int] | None]] = {
    "bib-unclosed": (
        "a.bib",
        (GOOD_BIB + "@book{bad, title = {x\n\n" + AFTER_BIB).encode(),
        {"good", "after"},
        (2, 1),
    ),
    "bib-latin1": (
        "a.bib",
        (GOOD_BIB + AFTER_BIB).encode("latin-1"),
        {"good", "after"},
        (1, GOOD_BIB.index("\u00e9") + 1),
    ),
    "bib-utf16-bom": ("a.bib", (GOOD_BIB + AFTER_BIB).encode("utf-16"), {"good", "after"}, None),
    "bib-utf16-le-nobom": (
        "a.bib",
        (GOOD_BIB + AFTER_BIB).encode("utf-16-le"),
        {"good", "after"},
        None,
    ),
    "bib-utf8-bom": (
        "a.bib",
        codecs.BOM_UTF8 + (GOOD_BIB + AFTER_BIB).encode(),
        {"good", "after"},
        None,
    ),
    "bib-nul-bytes": (
        "a.bib",
        (GOOD_BIB + "\x00\x00" + AFTER_BIB).encode(),
        {"good", "after"},
        (2, 1),
    ),
    "bib-nul-in-value": (
        "a.bib",
        (GOOD_BIB.replace("au", "a\x00u") + AFTER_BIB).encode(),
        {"good", "after"},
        (1, GOOD_BIB.index("au") + 2),
    ),
    "bib-truncated": ("a.bib", (GOOD_BIB + AFTER_BIB)[:-20].encode(), {"good"}, (2, 1)),
    "bib-binary": ("a.bib", bytes(range(256)) * 4, set(), None),
    "bib-empty": ("a.bib", b"", set(), None),
    "json-latin1": (
        "a.json",
        json.dumps(GOOD_JSON, ensure_ascii=False).encode("latin-1"),
        {"good"},
        (1, json.dumps(GOOD_JSON, ensure_ascii=False).index("\u00e9") + 1),
    ),
    "json-utf16": ("a.json", json.dumps(GOOD_JSON).encode("utf-16"), {"good"}, None),
    "json-truncated": (
        "a.json",
        json.dumps(GOOD_JSON * 2)[:-30].encode(),
        {"good"},
        (1, len(json.dumps(GOOD_JSON * 2)) - 29),
    ),
    "json-wrong-shape": ("a.json", b'{"hello": "world"}', set(), (1, 1)),
    "json-nul": (
        "a.json",
        json.dumps(GOOD_JSON).encode()[:-1] + b"\x00]",
        {"good"},
        None,
    ),
    "md-latin1": (
        "a.md",
        "# Papers\n- [Caf\u00e9 paper](https://arxiv.org/abs/2101.00001)\n".encode("latin-1"),
        None,  # type: ignore[dict-item]
        (2, 7),
    ),
    "md-binary": ("a.md", bytes(range(256)) * 4, set(), None),
}


def _write(tmp_path: Path, name: str) -> Path:
    file_name, data, _, _ = HOSTILE_FILES[name]
    path = tmp_path / file_name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_api_reads_hostile_files(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name)
    _, _, survivors, where = HOSTILE_FILES[name]
    library = citekit.read(path)
    ids = {r["id"] for r in library.records}
    if survivors is not None:
        assert survivors <= ids, [str(d) for d in library.diagnostics]
    if "good" in (survivors or set()):
        title = next(r for r in library.records if r["id"] == "good").get("title", "")
        assert "Caf\u00e9" in title or "nul" in name, title
    if where is not None:
        located = [
            (d.line, d.column) for d in library.diagnostics if d.severity is not Severity.INFO
        ]
        assert where in located, [str(d) for d in library.diagnostics]
    for target in ("csl-json", "bibtex", "biblatex"):
        citekit.write_string(library, format=target).encode("utf-8")


# A subprocess costs ~1 s; the API test above covers every file, the CLI a representative set.
CLI_FILES = [
    "bib-unclosed",
    "bib-latin1",
    "bib-utf16-bom",
    "bib-nul-bytes",
    "bib-binary",
    "json-truncated",
    "json-wrong-shape",
    "md-latin1",
]


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("name", CLI_FILES)
def test_cli_convert_hostile_files(tmp_path: Path, name: str, strict: bool) -> None:
    path = _write(tmp_path, name)
    library = citekit.read(path)
    has_errors = any(d.severity is Severity.ERROR for d in library.diagnostics)
    if strict and not has_errors:
        pytest.skip("same as lenient when there is no error")
    out = tmp_path / "out.json"
    args = ["--strict"] if strict else []
    result = run_cli(*args, "convert", path, "-t", "csl-json", "-o", out)
    err = assert_no_traceback(result)
    if strict:
        assert result.returncode == 1, err
    else:
        assert result.returncode == 0, err
    if result.returncode == 0:
        written = json.loads(out.read_text("utf-8"))
        _, _, survivors, _ = HOSTILE_FILES[name]
        assert (survivors or set()) <= {r["id"] for r in written}
    for diagnostic in library.diagnostics:
        if diagnostic.severity is Severity.ERROR and diagnostic.line is not None:
            assert f"{path}:{diagnostic.line}" in err, err


@pytest.mark.parametrize("name", ["bib-unclosed", "bib-binary", "json-truncated", "md-binary"])
def test_cli_check_hostile_files(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name)
    result = run_cli("check", path)
    assert_no_traceback(result)
    library = citekit.read(path)
    if any(d.severity is Severity.ERROR for d in library.diagnostics):
        assert result.returncode == 1


def test_cli_stdin_hostile_bytes() -> None:
    result = run_cli("convert", "-", "-f", "bibtex", "-t", "csl-json", stdin=bytes(range(256)))
    assert_no_traceback(result)
    assert result.returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ("convert", "/nonexistent/x.bib", "-t", "csl-json"),
        ("convert", "{dir}", "-t", "csl-json"),
        ("convert", "{bib}", "-t", "no-such-format"),
        ("convert", "{bib}", "-o", "{dir}/x.unknownsuffix"),
        ("format", "{bib}", "--style", "{evil_style}"),
        ("format", "{bib}", "--style", "http://127.0.0.1:9/evil.csl"),
        ("convert",),
        ("no-such-command",),
    ],
)
def test_cli_usage_and_io_errors_exit_cleanly(tmp_path: Path, args: tuple[str, ...]) -> None:
    bib = tmp_path / "a.bib"
    bib.write_text(GOOD_BIB)
    evil = tmp_path / "evil.csl"
    evil.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">&x;</style>\n'
    )
    mapping = {"{bib}": str(bib), "{dir}": str(tmp_path), "{evil_style}": str(evil)}
    real = [mapping.get(a, a.replace("{dir}", str(tmp_path))) for a in args]
    result = run_cli(*real)
    err = assert_no_traceback(result)
    assert result.returncode in (1, 2), err
    assert err.strip(), "an error must be explained"
    assert "root:" not in err
    assert "root:" not in result.stdout.decode("utf-8", "replace")


def test_one_stray_byte_does_not_garble_the_rest() -> None:
    from citekit._io import decode_bytes
    from citekit.errors import Diagnostics

    data = "% comment \xff\n@book{a, title = {\u2191\u00e0 titl\u00e9}}\n".encode()
    data = data.replace("\xff".encode(), b"\xff")
    sink = Diagnostics()
    text = decode_bytes(data, source="x.bib", diagnostics=sink)
    assert "\u2191\u00e0 titl\u00e9" in text
    assert "\u00ff" in text
    assert [(d.code, d.line, d.column) for d in sink] == [("input.not-utf8", 1, 11)]

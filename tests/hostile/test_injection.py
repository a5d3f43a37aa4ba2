"""Injection: hostile field values are escaped or neutralised in every output format."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest

import citekit
from citekit.errors import Diagnostics
from citekit.syntax.unicode_to_latex import DANGEROUS_MACROS, encode_text

from ._helpers import assert_no_traceback, run_cli

BREAKOUTS = [
    "}, note = {pwned",
    "} , note = {pwned} }",
    "{unbalanced",
    "unbalanced}",
    "}}}}",
    "{{{{",
    '", note = "pwned',
    "\\}, note = {pwned",
    "\\{",
    "x\\",
    "a # b",
    "@misc{inner, title={x}}",
    "%}, note = {pwned",
]
LATEX_ATTACKS = [
    "\\input{/etc/passwd}",
    "\\include{/etc/passwd}",
    "\\write18{touch /tmp/pwned}",
    "\\immediate\\write18{id}",
    "\\openout\\x=/tmp/pwned",
    "^^5cinput{/etc/passwd}",
    "\\csname input\\endcsname{/etc/passwd}",
    "\\catcode`\\^^=0",
    "\\def\\x{\\input{/etc/passwd}}\\x",
    "\\@@input /etc/passwd ",
    "\\expandafter\\input\\string{/etc/passwd}",
    "\\directlua{os.execute('id')}",
    "\\usepackage{shellesc}\\ShellEscape{id}",
]
HTMLISH = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "&amp; &lt;script&gt; &#60;",
    "[click](javascript:alert(1))",
    "**bold** _it_ `code`",
    ".. raw:: html\n\n   <script>x</script>",
    "`x <javascript:alert(1)>`_",
]
EVIL = BREAKOUTS + LATEX_ATTACKS + HTMLISH
TEXT_FIELDS = ("title", "container-title", "note", "publisher")


def _record(index: int, value: str, field: str) -> dict[str, object]:
    return {
        "id": f"r{index}",
        "type": "article-journal",
        field: value,
        "author": [{"family": value, "given": "A"}],
        "issued": {"date-parts": [[2020]]},
    }


def _library(values: list[str], field: str = "title") -> citekit.Library:
    records = [_record(i, v, field) for i, v in enumerate(values)]
    records.append({"id": "sentinel", "type": "book", "title": "Sentinel"})
    return citekit.read_string(json.dumps(records), format="csl-json")


def _parse_bib(text: str) -> bibtexparser.Library:
    return bibtexparser.parse_string(text)


@pytest.mark.parametrize("dialect", ["bibtex", "biblatex"])
@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_no_value_breaks_out_of_its_braces(dialect: str, field: str) -> None:
    library = _library(EVIL, field)
    text = citekit.write_string(library, format=dialect)
    parsed = _parse_bib(text)
    assert not parsed.failed_blocks, [b.raw for b in parsed.failed_blocks]
    keys = [e.key for e in parsed.entries]
    assert keys == [f"r{i}" for i in range(len(EVIL))] + ["sentinel"]
    for entry in parsed.entries[:-1]:
        names = {f.key.lower() for f in entry.fields}
        assert "note" not in names or field == "note", (entry.key, names)
        assert len(entry.fields) <= 5, entry.fields
    assert "pwned" not in {f.key for e in parsed.entries for f in e.fields}


@pytest.mark.parametrize("attack", LATEX_ATTACKS)
def test_dangerous_latex_is_neutralised(attack: str) -> None:
    encoded = encode_text(attack)
    for macro in DANGEROUS_MACROS:
        # the macro may only appear as text after \textbackslash{}
        rest = encoded.replace("\\textbackslash{}" + macro[1:], "")
        assert not _has_macro(rest, macro), (attack, encoded, macro)
    assert "^^" not in encoded


def _has_macro(text: str, macro: str) -> bool:
    start = 0
    while (index := text.find(macro, start)) >= 0:
        after = text[index + len(macro) : index + len(macro) + 1]
        if not (after.isalpha() or after == "@"):
            return True
        start = index + 1
    return False


def test_encoding_is_idempotent_on_neutralised_text() -> None:
    for attack in LATEX_ATTACKS:
        once = encode_text(attack)
        assert encode_text(once) == once or "\\textbackslash" in once


@pytest.mark.parametrize(
    ("record_patch", "expect_key"),
    [
        ({"id": "a} ,@misc{evil"}, "a-@misc-evil"),
        ({"id": "white space"}, "white-space"),
        ({"id": "comma,key"}, "comma-key"),
        ({"id": "brace{key}"}, "brace-key-"),
        ({"id": "tab\tkey"}, "tab-key"),
    ],
)
def test_hostile_ids_give_safe_keys_with_a_warning(
    record_patch: dict[str, str], expect_key: str
) -> None:
    record = {"type": "book", "title": "T"} | record_patch
    library = citekit.read_string(json.dumps([record]), format="csl-json")
    sink = Diagnostics()
    text = citekit.write_string(library, format="bibtex", diagnostics=sink)
    parsed = _parse_bib(text)
    assert [e.key for e in parsed.entries] == [expect_key]
    assert any(d.code == "bibtex.unsafe-key" and d.key == record_patch["id"] for d in sink)


def test_unsafe_keys_do_not_collide() -> None:
    records = [{"id": i, "type": "book", "title": i} for i in ("a b", "a,b", "a-b")]
    library = citekit.read_string(json.dumps(records), format="csl-json")
    keys = [e.key for e in _parse_bib(citekit.write_string(library, format="bibtex")).entries]
    assert len(set(keys)) == 3
    assert "a-b" in keys


def test_hostile_custom_bibtex_type_fields_and_macros() -> None:
    record = {
        "id": "k",
        "type": "article-journal",
        "title": "T",
        "issued": {"date-parts": [[2020, 1]]},
        "custom": {
            "bibtex": {
                "type": "misc}@evil{x",
                "fields": {"evil}field": "}x", "note = {pwned": "y"},
                "macros": {"month": "jan} , note={pwned", "journal": "{unclosed"},
            }
        },
    }
    library = citekit.read_string(json.dumps([record]), format="csl-json")
    for keep in (False, True):
        text = citekit.write_string(library, format="biblatex", keep_macros=keep)
        parsed = _parse_bib(text)
        assert not parsed.failed_blocks, text
        assert [e.key for e in parsed.entries] == ["k"], text
        assert all(f.key != "note" for f in parsed.entries[0].fields), text
        assert all(f.key.replace("_", "").isalnum() for f in parsed.entries[0].fields), text


def test_hostile_extras_cannot_break_out() -> None:
    library = _library(["x"])
    library.extras.strings["evil"] = '"a"} @misc{pwned, title={x}'
    library.extras.preambles.append("} @misc{pwned2, title={x}")
    text = citekit.write_string(library, format="bibtex", keep_macros=True)
    parsed = _parse_bib(text)
    assert [e.key for e in parsed.entries] == ["r0", "sentinel"], text


@pytest.mark.latex
@pytest.mark.skipif(shutil.which("bibtex") is None, reason="bibtex not installed")
def test_real_bibtex_sees_every_entry_and_no_live_commands(tmp_path: Path) -> None:
    library = _library(EVIL, "title")
    (tmp_path / "refs.bib").write_text(citekit.write_string(library, format="bibtex"))
    (tmp_path / "doc.aux").write_text(
        "\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n", encoding="utf-8"
    )
    run = subprocess.run(
        ["bibtex", "-terse", "doc"], cwd=tmp_path, capture_output=True, timeout=60, check=False
    )
    blg = (tmp_path / "doc.blg").read_text("latin-1")
    assert "error message" not in blg, blg
    assert run.returncode in (0, 1), blg  # 1 = warnings only
    bbl = (tmp_path / "doc.bbl").read_text("latin-1")
    assert bbl.count("\\bibitem") == len(EVIL) + 1
    for macro in ("\\input", "\\write", "\\immediate", "\\csname", "\\def", "\\directlua"):
        assert not _has_macro(bbl.replace("\\textbackslash{}", "BS:"), macro), macro
    assert "^^5c" not in bbl


def _format(tmp_path: Path, to: str) -> str:
    if not hasattr(citekit.api, "format_bibliography"):
        pytest.skip("formatting (issue 5) is not merged yet")
    source = tmp_path / "evil.json"
    records = [_record(i, v, "title") for i, v in enumerate(HTMLISH + LATEX_ATTACKS)]
    source.write_text(json.dumps(records), encoding="utf-8")
    result = run_cli("format", source, "--style", "apa", "-t", to)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    return result.stdout.decode("utf-8")


def test_html_output_escapes_markup(tmp_path: Path) -> None:
    out = _format(tmp_path, "html")
    assert "<script" not in out.lower()
    assert "<img" not in out.lower()
    assert "&lt;script&gt;" in out or "&lt;script" in out


def test_markdown_output_escapes_markup(tmp_path: Path) -> None:
    out = _format(tmp_path, "markdown")
    # a backslash-escaped "\<" is a literal "<" in CommonMark, so only unescaped ones count
    assert not re.search(r"(?<!\\)<(script|img)", out, re.IGNORECASE), out
    assert not re.search(r"(?<!\\)\]\(javascript:", out), out
    assert not re.search(r"(?<!\\)\*\*bold(?<!\\)\*\*", out), out


def test_rst_output_escapes_markup(tmp_path: Path) -> None:
    out = _format(tmp_path, "rst")
    assert "\n.. raw::" not in out
    assert not any(line.lstrip().startswith(".. raw::") for line in out.splitlines())
    assert "<javascript:alert(1)>`_" not in out


def test_latex_output_neutralises_commands(tmp_path: Path) -> None:
    out = _format(tmp_path, "latex")
    for macro in ("\\input", "\\write", "\\csname", "\\directlua", "\\def"):
        assert not _has_macro(out.replace("\\textbackslash{}", "BS:"), macro), macro
    assert "^^5c" not in out

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
import yaml
from tests.cli.conftest import Run


def test_convert_json_to_yaml_and_back(run: Run, lib_json: Path, tmp_path: Path):
    out = tmp_path / "lib.yaml"
    code, stdout, _ = run("convert", lib_json, "-o", out)
    assert code == 0
    assert stdout == ""
    assert out.read_text().startswith("---\nreferences:\n- id: vaswani2017\n")
    back = tmp_path / "back.json"
    assert run("convert", out, "-t", "csl-json", "-o", back)[0] == 0
    assert json.loads(back.read_text()) == json.loads(run("convert", lib_json, "-t", "json")[1])


def test_stdin_to_stdout(run: Run, lib_json: Path, monkeypatch: pytest.MonkeyPatch):
    data = lib_json.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, stdout, _ = run("convert", "-", "-t", "yaml")
    assert code == 0
    ids = [item["id"] for item in yaml.safe_load(stdout)["references"]]
    assert ids == ["vaswani2017", "lecun2015"]


def test_aliases_are_accepted_for_formats(run: Run, lib_json: Path):
    assert run("convert", lib_json, "-f", "json", "-t", "yaml")[0] == 0


def test_several_inputs_merge_with_duplicate_diagnostics(run: Run, lib_json: Path, tmp_path: Path):
    other = tmp_path / "other.json"
    other.write_text(
        '[{"id": "lecun2015", "type": "book", "title": "Copy"},'
        ' {"id": "VASWANI2017", "type": "book", "title": "Case"}]'
    )
    code, stdout, stderr = run("convert", lib_json, other, "-t", "csl-json")
    assert code == 0
    assert [r["id"] for r in json.loads(stdout)] == [
        "vaswani2017",
        "lecun2015",
        "lecun2015",
        "VASWANI2017",
    ]
    assert f"{other}:1:2: warning: duplicate id 'lecun2015' (first at {lib_json}:" in stderr
    assert "(library.duplicate-id)" in stderr
    assert "differs from 'vaswani2017' only in case" in stderr
    assert stderr.count("duplicate id") == 1


def test_output_may_be_the_input(run: Run, lib_json: Path):
    before = json.loads(lib_json.read_text())
    assert run("convert", lib_json, "-t", "csl-json", "-o", lib_json)[0] == 0
    assert [r["id"] for r in json.loads(lib_json.read_text())] == [r["id"] for r in before]


def test_keyword_and_section_filters(run: Run, lib_json: Path):
    code, stdout, _ = run("convert", lib_json, "-t", "json", "--keyword", "NLP")
    assert code == 0
    assert [r["id"] for r in json.loads(stdout)] == ["vaswani2017"]
    # headings become keywords in markdown lists, so --section also matches keywords
    code, stdout, _ = run("convert", lib_json, "-t", "json", "--section", "surv")
    assert [r["id"] for r in json.loads(stdout)] == ["lecun2015"]
    code, stdout, stderr = run("convert", lib_json, "-t", "json", "--keyword", "none")
    assert json.loads(stdout) == []
    assert "no records were written" in stderr


def test_markdown_section_from_custom(run: Run, tmp_path: Path):
    lib = tmp_path / "md.json"
    lib.write_text(
        json.dumps(
            [
                {
                    "id": "a",
                    "type": "article",
                    "title": "A",
                    "custom": {"markdown": {"section": ["Vision", "Segmentation"]}},
                },
                {
                    "id": "b",
                    "type": "article",
                    "title": "B",
                    "custom": {"markdown": {"section": "Language"}},
                },
            ]
        )
    )
    _, stdout, _ = run("convert", lib, "-t", "json", "--section", "segment")
    assert [r["id"] for r in json.loads(stdout)] == ["a"]


def test_strict_exits_1_on_error(run: Run, tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('[{"id": "a", "type": "book", "title": "A"},\n {"id": "b", oops}]')
    code, stdout, stderr = run("convert", bad, "-t", "json")
    assert code == 0
    assert [r["id"] for r in json.loads(stdout)] == ["a"]
    assert f"{bad}:2:" in stderr
    assert "error" in stderr
    code, stdout, stderr = run("convert", bad, "-t", "json", "--strict")
    assert code == 1
    assert "Traceback" not in stderr
    assert "(csl-json.syntax)" in stderr
    code, _, stderr = run("convert", bad, "-t", "json", "--quiet")
    assert "error" in stderr


def test_quiet_hides_warnings(run: Run, lib_json: Path, tmp_path: Path):
    other = tmp_path / "o.json"
    other.write_text(lib_json.read_text())
    _, _, stderr = run("convert", lib_json, other, "-t", "json", "-q")
    assert stderr == ""


def test_usage_errors_exit_2(run: Run, lib_json: Path, tmp_path: Path):
    code, _, err = run("convert", tmp_path / "absent.bib", "-t", "json")
    assert code == 2
    assert "no such file" in err
    assert run("convert", lib_json, "-t", "nope")[0] == 2
    code, _, err = run("convert", lib_json)
    assert code == 2
    assert "-t/--to" in err
    assert run("convert", lib_json, "-o", tmp_path / "x.unknown")[0] == 2
    assert run("convert", lib_json, "-t", "markdown")[0] == 2  # cannot be written
    assert run("convert", lib_json, "-t", "json", "--keys", "{auth}")[0] == 2
    assert run("frobnicate")[0] == 2
    assert run()[0] == 2


def test_unwritable_output_exits_1_without_traceback(run: Run, lib_json: Path, tmp_path: Path):
    code, _, err = run("convert", lib_json, "-o", tmp_path / "no" / "dir" / "x.json")
    assert code == 1
    assert err.startswith("citekit: error: cannot write")
    assert "Traceback" not in err


def test_unexpected_exception_one_line_then_debug_traceback(
    run: Run, lib_json: Path, monkeypatch: pytest.MonkeyPatch
):
    from citekit import api

    def boom(*args: object, **kwargs: object) -> str:
        raise RuntimeError("kaputt")

    # Both convert paths: streaming (no whole-library options) and the library path.
    monkeypatch.setattr(api, "write_string", boom)
    monkeypatch.setattr(api, "convert_stream", boom)
    code, _, err = run("convert", lib_json, "-t", "json")
    assert code == 1
    assert err.strip() == (
        "citekit: internal error: RuntimeError: kaputt (please report it; --debug shows the "
        "traceback)"
    )
    code, _, err = run("convert", lib_json, "-t", "json", "--debug")
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: kaputt" in err


def test_report_for_bib_and_non_bib_targets(run: Run, lib_json: Path):
    pytest.importorskip("citekit.writers.bibtex")
    code, stdout, stderr = run("convert", lib_json, "-t", "bibtex", "--report")
    assert code == 0
    assert "@inproceedings{vaswani2017," in stdout
    assert "total: 2 entries to bibtex" in stderr
    code, _, stderr = run("convert", lib_json, "-t", "csl-yaml", "--report")
    assert "without loss" in stderr


def test_keys_pattern(run: Run, lib_json: Path):
    pytest.importorskip("citekit.writers.bibtex")
    code, stdout, _ = run("convert", lib_json, "-t", "bibtex", "--keys", "{auth}{year}")
    assert code == 0
    assert "@inproceedings{Vaswani2017," in stdout
    assert "@article{LeCun2015," in stdout


def test_help_has_examples_for_every_command(run: Run):
    code, out, _ = run("--help")
    assert code == 0
    assert "everyday commands" in out
    for command in ("convert", "roundtrip", "format", "aux", "check", "styles", "formats"):
        code, out, _ = run(command, "--help")
        assert code == 0
        assert "examples:" in out, command
        assert f"citekit {command}" in out, command


def test_formats(run: Run):
    code, out, _ = run("formats")
    assert code == 0
    assert "csl-yaml  read/write  .yaml, .yml" in out
    code, out, _ = run("formats", "--json")
    names = [row["name"] for row in json.loads(out)]
    assert names[:4] == ["bibtex", "biblatex", "csl-json", "csl-yaml"]


def test_version(run: Run):
    code, out, _ = run("--version")
    assert code == 0
    assert out.startswith("citekit ")


def test_markdown_list_section_filter(run: Run, fixtures_dir: Path):
    pytest.importorskip("citekit.readers.markdown")
    notes = Path(__file__).resolve().parents[2] / "examples" / "latex" / "notes.md"
    code, stdout, _ = run("convert", notes, "-t", "json", "--section", "diffusion")
    assert code == 0
    assert [r["id"] for r in json.loads(stdout)] == ["ho2020denoising", "rombach2022highresolution"]
    code, stdout, _ = run("convert", notes, "-t", "json", "--keyword", "State space models")
    assert [r["id"] for r in json.loads(stdout)] == ["gu2023mamba"]


def test_common_options_before_or_after_the_command(run: Run, lib_json: Path, tmp_path: Path):
    other = tmp_path / "o.json"
    other.write_text(lib_json.read_text())
    assert run("--quiet", "convert", lib_json, other, "-t", "json")[2] == ""
    assert run("convert", "--quiet", lib_json, other, "-t", "json")[2] == ""
    assert "duplicate id" in run("convert", lib_json, other, "-t", "json")[2]


def test_bib_rewrite_in_place_keeps_macros_and_is_idempotent(run: Run, tmp_path: Path):
    pytest.importorskip("citekit.readers.bibtex")
    bib = tmp_path / "refs.bib"
    bib.write_text((Path(__file__).resolve().parents[2] / "examples" / "refs.bib").read_text())
    assert run("convert", bib, "-t", "bibtex", "--keep-macros", "-o", bib)[0] == 0
    first = bib.read_text()
    assert "booktitle = neurips," in first
    assert '@string{neurips = "Advances in Neural Information Processing Systems"}' in first
    assert run("convert", bib, "--keep-macros", "-o", bib)[0] == 0  # format from the suffix
    assert bib.read_text() == first
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]  # no temp files left


def test_issue_7_convert_streams_and_matches_the_library_path(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from tests.conftest import ROOT

    from citekit import api

    source = ROOT / "examples" / "refs.bib"
    streamed, whole = tmp_path / "streamed.json", tmp_path / "whole.json"
    calls: list[object] = []
    real = api.convert_stream

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "convert_stream", spy)
    assert run("convert", source, "-t", "csl-json", "-o", streamed)[0] == 0
    assert len(calls) == 1
    _, text = api.convert(source, whole, to_format="csl-json")
    assert streamed.read_text(encoding="utf-8") == whole.read_text(encoding="utf-8") == text


def test_jobs_option_gives_the_same_bibtex(run: Run, tmp_path: Path):
    items = [
        {"id": f"k{i}", "type": "book", "title": f"Über {i}", "author": [{"family": "Müller"}]}
        for i in range(600)
    ]
    source = tmp_path / "many.json"
    source.write_text(json.dumps(items), "utf-8")
    outputs = []
    for jobs in ("1", "2"):
        for extra in ([], ["--keys", "{auth}{year}"]):  # streaming and Library paths
            out = tmp_path / f"out-{jobs}-{len(extra)}.bib"
            assert run("convert", source, "-o", out, "--jobs", jobs, *extra)[0] == 0
            outputs.append(out.read_text("utf-8"))
    assert outputs[0] == outputs[2]
    assert outputs[1] == outputs[3]
    assert outputs[0].count("@book{") == 600
    code, _, err = run("convert", source, "-t", "bibtex", "--jobs", "-1")
    assert code == 2
    assert "--jobs" in err

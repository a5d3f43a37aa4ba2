from __future__ import annotations

from pathlib import Path

import pytest
from tests.cli.conftest import Run

from citekit.cli._format import CiteSpec, parse_cite, parse_locator
from citekit.cli._util import UsageError


def test_parse_cite_items_and_locators():
    assert parse_cite("a,b") == [CiteSpec("a"), CiteSpec("b")]
    assert parse_cite("a; b") == [CiteSpec("a"), CiteSpec("b")]
    assert parse_cite("c@p. 12") == [CiteSpec("c", "12", "page")]
    assert parse_cite("c@12") == [CiteSpec("c", "12", "page")]
    assert parse_cite("c@chap. 3,d") == [CiteSpec("c", "3,d", "chapter")]
    assert parse_cite("c@pp. 12, 15; d") == [CiteSpec("c", "12, 15", "page"), CiteSpec("d")]
    assert parse_cite("{see }c@sec. 2.1{, emphasis added}") == [
        CiteSpec("c", "2.1", "section", "see ", ", emphasis added")
    ]
    assert parse_cite("{cf. }a, b{ and others}") == [
        CiteSpec("a", prefix="cf. "),
        CiteSpec("b", suffix=" and others"),
    ]


def test_parse_locator_labels():
    assert parse_locator("fig. 3") == ("figure", "3")
    assert parse_locator("§ 4") == ("section", "4")
    assert parse_locator("Vol. 2") == ("volume", "2")
    assert parse_locator("preface") == ("page", "preface")  # unknown word: kept as is


@pytest.mark.parametrize("bad", ["", ",", "{see a", "a{x", "@12"])
def test_parse_cite_errors(bad: str):
    with pytest.raises(UsageError):
        parse_cite(bad)


def test_format_usage_errors(run: Run, lib_json: Path):
    assert run("format", lib_json, "--style", "apa", "--csl", "x.csl")[0] == 2
    assert run("format", lib_json, "--cite", "{oops")[0] == 2
    assert run("format", lib_json, "-t", "docx")[0] == 2


def test_format_bibliography_markdown(run: Run, lib_json: Path):
    from citekit import api

    if not hasattr(api, "format_bibliography"):
        pytest.skip("formatting (issue 5) not merged")
    code, out, _ = run("format", lib_json, "--style", "apa", "-t", "markdown")
    assert code == 0
    assert "Vaswani, A. (2017)." in out
    assert "*Nature*" in out


def test_format_citations(run: Run, lib_json: Path):
    from citekit import api

    if not hasattr(api, "format_citations"):
        pytest.skip("formatting (issue 5) not merged")
    code, out, _ = run(
        "format", lib_json, "--style", "apa", "--cite", "vaswani2017,lecun2015",
        "--cite", "lecun2015@p. 437",
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines == ["(LeCun, 2015; Vaswani, 2017)", "(LeCun, 2015, p. 437)"]


def test_styles_list_and_search(run: Run):
    pytest.importorskip("citekit.styles")
    code, out, _ = run("styles", "apa")
    assert code == 0
    names = [line.split("\t")[0] for line in out.splitlines()]
    assert "apa" in names
    assert all("apa" in name.lower() for name in names)
    code, _, err = run("styles", "no-such-style-anywhere-xyz")
    assert code == 1
    assert "no style matches" in err


def test_unknown_style_is_a_usage_error_with_suggestions(run: Run, lib_json: Path):
    pytest.importorskip("citekit.styles")
    from citekit import api

    if not hasattr(api, "format_bibliography"):
        pytest.skip("formatting (issue 5) not merged")
    code, _, err = run("format", lib_json, "--style", "apa-sixth-editoin")
    assert code == 2
    assert "no CSL style named" in err


def test_format_to_file_and_formats(run: Run, lib_json: Path, tmp_path: Path):
    from citekit import api

    if not hasattr(api, "format_bibliography"):
        pytest.skip("formatting (issue 5) not merged")
    out = tmp_path / "refs.html"
    code, stdout, _ = run("format", lib_json, "--style", "ieee", "-t", "html", "-o", out)
    assert code == 0
    assert stdout == ""
    assert 'class="csl-entry"' in out.read_text()
    for target in ("text", "rst", "latex"):
        code, stdout, _ = run("format", lib_json, "--style", "apa", "-t", target)
        assert code == 0
        assert "Vaswani" in stdout
    code, stdout, _ = run("format", lib_json, "--style", "apa", "--ids", "lecun2015")
    assert "LeCun" in stdout
    assert "Vaswani" not in stdout


def test_locale_and_csl_path(run: Run, tmp_path: Path):
    from citekit import api

    if not hasattr(api, "format_bibliography"):
        pytest.skip("formatting (issue 5) not merged")
    lib = tmp_path / "b.json"
    lib.write_text(
        '[{"id": "k", "type": "book", "title": "The TeXbook", "edition": "1",'
        ' "author": [{"family": "Knuth", "given": "Donald E."}],'
        ' "issued": {"date-parts": [[1984]]}, "publisher": "Addison-Wesley"}]'
    )
    code, out, _ = run("format", lib, "--style", "apa", "--locale", "de-DE")
    assert code == 0
    assert "(1. Aufl.)" in out or "Aufl." in out
    csl = Path(__file__).resolve().parents[2] / "styles" / "ieee.csl"
    if not csl.exists():
        pytest.skip("no bundled ieee.csl")
    code, out, _ = run("format", lib, "--csl", csl, "--cite", "k@pp. 3-5")
    assert code == 0
    assert out == "[1, pp. 3–5]\n"


def _many(tmp_path: Path, count: int = 240) -> Path:
    import json

    items = [
        {
            "id": f"k{i}",
            "type": "article-journal",
            "title": f"Über den Fall {i}",
            "author": [{"family": f"Müller{i % 17}", "given": "Jörg"}],
            "container-title": "Journal",
            "issued": {"date-parts": [[1990 + i % 30]]},
        }
        for i in range(count)
    ]
    source = tmp_path / "many.json"
    source.write_text(json.dumps(items), "utf-8")
    return source


def test_jobs_option_gives_the_same_bibliography(run: Run, tmp_path: Path):
    source = _many(tmp_path)
    texts = []
    for jobs in ("1", "2", "0"):
        out = tmp_path / f"out-{jobs}.txt"
        assert run("format", source, "--style", "apa", "-j", jobs, "-o", out)[0] == 0
        texts.append(out.read_text("utf-8"))
    assert texts[0] == texts[1] == texts[2]
    assert texts[0].count("Müller") == 240
    code, _, err = run("format", source, "--jobs", "-1")
    assert code == 2
    assert "--jobs" in err


def test_jobs_default_is_automatic(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Without -j the CLI asks for automatic workers; the API's default stays serial."""
    from citekit import api

    asked: list[object] = []
    real = api.format_bibliography

    def spy(*args: object, **kwargs: object) -> object:
        asked.append(kwargs.get("jobs", "default"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "format_bibliography", spy)
    assert run("format", _many(tmp_path, 3), "--style", "ieee")[0] == 0
    assert asked == [None]
    import inspect

    assert inspect.signature(real).parameters["jobs"].default == 1


def test_automatic_workers_follow_load(monkeypatch: pytest.MonkeyPatch):
    from citekit import _parallel
    from citekit.writers.formatted import run as formatted_run

    monkeypatch.setattr(_parallel, "available_cpus", lambda: 4)
    monkeypatch.setattr(_parallel, "fork_available", lambda: True)
    monkeypatch.setattr(_parallel, "idle_cpus", lambda: 3.0)
    assert formatted_run.workers(None, 1000) == 4
    assert formatted_run.workers(0, 1000) == 4
    assert formatted_run.workers(None, formatted_run.PARALLEL_MIN - 1) == 1
    monkeypatch.setattr(_parallel, "idle_cpus", lambda: 0.2)  # every CPU busy
    assert formatted_run.workers(None, 1000) == 1
    assert formatted_run.workers(3, 1000) == 3  # explicit: as asked
    assert formatted_run.workers(3, 10) == 1  # too few entries to share
    with pytest.raises(ValueError, match="jobs"):
        formatted_run.workers(-1, 1000)

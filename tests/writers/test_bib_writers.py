"""BibTeX/BibLaTeX writers: goldens per profile, options, report, speed-independent checks."""

import json
import os

import pytest

import citekit
from citekit.mapping.bib_profiles import PROFILES
from citekit.mapping.report import ConversionReport
from citekit.model import Library, normalize_record

REGEN = os.environ.get("CITEKIT_REGEN") == "1"


def _library(fixtures_dir):
    data = json.loads((fixtures_dir / "writers" / "input.csl.json").read_text("utf-8"))
    sink = citekit.Diagnostics()
    records = [normalize_record(r, sink, fallback_id="") for r in data]
    for record in records:
        if not record["id"]:
            del record["id"]
    return Library(records)


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_golden_output_per_profile(fixtures_dir, profile):
    dialect = PROFILES[profile].dialect
    text = citekit.write_string(_library(fixtures_dir), format=dialect, profile=profile)
    golden = fixtures_dir / "writers" / f"output.{profile}.bib"
    if REGEN:
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_output_is_deterministic_and_keys_unique(fixtures_dir, profile):
    dialect = PROFILES[profile].dialect
    lib = _library(fixtures_dir)
    first = citekit.write_string(lib, format=dialect, profile=profile)
    assert first == citekit.write_string(lib, format=dialect, profile=profile)
    keys = [line.split("{", 1)[1].rstrip(",") for line in first.splitlines() if line[:1] == "@"]
    assert len(keys) == len(set(keys)) == len(lib)


def test_ascii_profiles_write_ascii(fixtures_dir):
    lib = _library(fixtures_dir)
    assert citekit.write_string(lib, format="bibtex").isascii()
    assert citekit.write_string(lib, format="biblatex", profile="biblatex-ascii").isascii()
    assert not citekit.write_string(lib, format="biblatex").isascii()
    assert citekit.write_string(lib, format="biblatex", ascii=True).isascii()


def test_record_without_id_gets_a_key_and_a_diagnostic(fixtures_dir):
    sink = citekit.Diagnostics()
    text = citekit.write_string(_library(fixtures_dir), format="bibtex", diagnostics=sink)
    assert "@misc{Anonymous2021NoIdHere," in text
    assert [d.code for d in sink.items] == ["bibtex.generated-key"]


def test_key_pattern_regenerates_every_key(fixtures_dir):
    text = citekit.write_string(
        _library(fixtures_dir), format="bibtex", key_pattern="{auth:lower}{year}"
    )
    assert "@inproceedings{vaswani2017," in text
    assert "@article{erdos1959," in text


def test_report_lists_mapped_custom_guessed_lost(fixtures_dir):
    report = ConversionReport("bibtex")
    citekit.write_string(_library(fixtures_dir), format="bibtex", report=report)
    by_key = {e.key: e for e in report.entries}
    assert by_key["bill1"].target_type == "@misc"
    assert by_key["bill1"].of_kind("lost") == []
    assert {n.source for n in by_key["bill1"].of_kind("carried")} == {"type", "archive_location"}
    assert by_key["vaswani2017"].lossless
    assert report.totals()["entries"] == 8
    text = report.format_text()
    assert "carried: archive_location → csl-archive_location" in text
    assert json.dumps(report.to_json())


def test_unknown_option_is_refused():
    with pytest.raises(TypeError, match="unknown bibtex writer option"):
        citekit.write_string(Library(), format="bibtex", profil="bibtex")


def test_empty_library_writes_nothing():
    assert citekit.write_string(Library(), format="bibtex") == ""
    assert citekit.write_string(Library(), format="biblatex") == ""


def test_keep_macros_writes_strings_preambles_comments():
    lib = Library(
        [
            {
                "id": "a",
                "type": "article-journal",
                "container-title": "Journal of Things",
                "custom": {"bibtex": {"type": "article", "macros": {"journal": "jot"}}},
            }
        ]
    )
    lib.extras.strings["jot"] = '"Journal of Things"'
    lib.extras.preambles.append('"\\newcommand{\\noop}[1]{}"')
    lib.extras.comments.append("jabref-meta: x;")
    text = citekit.write_string(lib, format="bibtex", keep_macros=True)
    assert text == (
        "@comment{jabref-meta: x;}\n\n"
        '@string{jot = "Journal of Things"}\n\n'
        '@preamble{"\\newcommand{\\noop}[1]{}"}\n\n'
        "@article{a,\n  journal = jot\n}\n"
    )
    assert "jot" not in citekit.write_string(lib, format="bibtex").split("journal = ")[1][:5]


def test_every_field_value_is_brace_balanced(fixtures_dir):
    for dialect in ("bibtex", "biblatex"):
        text = citekit.write_string(_library(fixtures_dir), format=dialect)
        for line in text.splitlines():
            if " = {" in line:
                value = line.split(" = ", 1)[1].rstrip(",")
                depth = 0
                for char in value:
                    depth += char == "{"
                    depth -= char == "}"
                    assert depth >= 0, line
                assert depth == 0, line

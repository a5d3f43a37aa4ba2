from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from citekit.cli import main

LIBRARY = """[
  {"id": "vaswani2017", "type": "paper-conference", "title": "Attention is all you need",
   "author": [{"family": "Vaswani", "given": "Ashish"}], "issued": {"date-parts": [[2017]]},
   "container-title": "Advances in Neural Information Processing Systems",
   "keyword": "transformers, nlp"},
  {"id": "lecun2015", "type": "article-journal", "title": "Deep learning",
   "author": [{"family": "LeCun", "given": "Yann"}], "issued": {"date-parts": [[2015]]},
   "container-title": "Nature", "DOI": "10.1038/nature14539", "keyword": "survey"}
]
"""


@pytest.fixture
def lib_json(tmp_path: Path) -> Path:
    path = tmp_path / "lib.json"
    path.write_text(LIBRARY, encoding="utf-8")
    return path


@pytest.fixture
def aux_copy(fixtures_dir: Path, tmp_path: Path) -> Path:
    target = tmp_path / "aux"
    shutil.copytree(fixtures_dir / "aux", target)
    return target


Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main([str(a) for a in argv])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke

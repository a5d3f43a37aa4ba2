"""Shared fixtures: the repository root, the test fixtures, and the optional ../shared corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = Path(os.environ.get("CITEKIT_SHARED", ROOT.parent / "shared")).resolve()
CORPORA = SHARED / "corpora"


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def corpora_dir() -> Path:
    """``../shared/corpora``; the test is skipped when it is absent (it is not shipped)."""
    if not CORPORA.is_dir():
        pytest.skip("../shared/corpora is absent")
    return CORPORA

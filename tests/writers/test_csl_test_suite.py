"""CSL test-suite ratchet: known failures are listed with a reason; any change must update the list.

The suite has no licence, so it is read from ../shared/corpora (skipped when absent) and
never copied here. ``known_failures.txt`` lives in tests/formatted/ with one line per test:
``name  # reason``. The test fails on an unexpected failure and on an unexpected pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.writers.csl_suite import run_all

KNOWN = Path(__file__).resolve().parents[1] / "formatted" / "known_failures.txt"


def _known() -> dict[str, str]:
    known: dict[str, str] = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.partition("#")
            known[name.strip()] = reason.strip()
    return known


def test_known_failures_have_reasons() -> None:
    known = _known()
    assert known, "the ratchet file is empty"
    assert all(known.values()), [n for n, r in known.items() if not r]


@pytest.mark.corpus
@pytest.mark.slow
def test_csl_test_suite_ratchet(corpora_dir: Path) -> None:
    suite = corpora_dir / "reference-pairs" / "csl-test-suite"
    if not suite.is_dir():
        pytest.skip("csl-test-suite absent")
    outcome = run_all(suite, "citekit")
    known = _known()
    failing = {name for name, (ok, _) in outcome.items() if not ok}
    unexpected_failures = sorted(failing - set(known))
    unexpected_passes = sorted(set(known) - failing)
    assert not unexpected_failures, {n: outcome[n][1] for n in unexpected_failures}
    assert not unexpected_passes, f"now passing, remove from {KNOWN.name}: {unexpected_passes}"

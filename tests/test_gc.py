"""collector_paused: the garbage collector is off inside, and as it was afterwards."""

from __future__ import annotations

import gc

import pytest

from citekit._gc import collector_paused


def _fail_paused() -> None:
    with collector_paused():
        assert not gc.isenabled()
        raise ValueError("boom")


def test_paused_inside_and_restored_after_error() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError, match="boom"):
        _fail_paused()
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()

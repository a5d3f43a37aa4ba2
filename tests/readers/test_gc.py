"""gc_paused() pauses the cyclic collector and leaves it as the caller had it."""

from __future__ import annotations

from citekit.readers._gc import gc_paused


def test_gc_paused_restores_the_collector() -> None:
    import gc

    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()

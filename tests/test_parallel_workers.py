"""citekit._parallel's forked-worker rules: when to fork, how many workers, serial fallbacks."""

from __future__ import annotations

import os
import threading

import pytest

from citekit import _parallel
from citekit._parallel import fork_available, worker_count


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not fork_available()
        assert worker_count(2, 10_000, minimum=10) == 1
    finally:
        stop.set()
        thread.join()


def test_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_parallel, "fork_available", lambda: True)
    monkeypatch.setattr(_parallel, "available_cpus", lambda: 2)
    monkeypatch.setattr(_parallel, "busy_now", lambda: None)  # the load average alone
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    assert worker_count(None, 100, minimum=1000) == 1  # small input: serial
    assert worker_count(None, 5000, minimum=1000) == 2  # automatic: every CPU
    assert worker_count(0, 5000, minimum=1000) == 2
    assert worker_count(1, 5000, minimum=1000) == 1
    assert worker_count(3, 100, minimum=1000) == 3  # asked for explicitly
    assert worker_count(3, 1, minimum=1000) == 1  # nothing to share
    monkeypatch.setattr(os, "getloadavg", lambda: (1.8, 1.0, 1.0))  # both CPUs nearly busy
    assert worker_count(None, 5000, minimum=1000) == 1
    assert worker_count(2, 5000, minimum=1000) == 2  # an explicit choice is kept
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    monkeypatch.setattr(_parallel, "available_cpus", lambda: 1)
    assert worker_count(None, 5000, minimum=1000) == 1
    monkeypatch.setattr(_parallel, "fork_available", lambda: False)
    assert worker_count(4, 5000, minimum=1000) == 1
    with pytest.raises(ValueError, match="jobs"):
        worker_count(-1, 10, minimum=1)

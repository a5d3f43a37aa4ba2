"""The worker-process helper: ordered results, serial fallbacks, errors passed through."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest

from citekit import _parallel
from citekit._parallel import fork_available, ordered_map, worker_count

needs_fork = pytest.mark.skipif(not fork_available(), reason="no safe fork here")


def square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def fail_on_three(n: int) -> int:
    if n == 3:
        raise ValueError(f"bad task {n}")
    return n


@needs_fork
def test_results_come_in_task_order_from_other_processes() -> None:
    results = list(ordered_map(square_and_pid, range(40), jobs=2, window=3))
    assert [r for r, _ in results] == [n * n for n in range(40)]
    assert {pid for _, pid in results} - {os.getpid()}  # really ran in workers


def test_serial_when_one_job() -> None:
    results = list(ordered_map(square_and_pid, range(5), jobs=1))
    assert results == [(n * n, os.getpid()) for n in range(5)]


@needs_fork
def test_tasks_are_taken_lazily_within_the_window() -> None:
    taken: list[int] = []

    def tasks() -> Iterator[int]:
        for n in range(100):
            taken.append(n)
            yield n

    results = ordered_map(square_and_pid, tasks(), jobs=2, window=4)
    assert next(results)[0] == 0
    assert len(taken) <= 5  # the window, plus the one that made it full
    results.close()  # stopping early terminates the workers


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_task_error_is_raised_for_that_task(jobs: int) -> None:
    results = ordered_map(fail_on_three, range(6), jobs=jobs)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="bad task 3"):
        next(results)


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not fork_available()
        assert worker_count(2, 10_000, minimum=10) == 1
        results = list(ordered_map(square_and_pid, range(3), jobs=2))
        assert {pid for _, pid in results} == {os.getpid()}
    finally:
        stop.set()
        thread.join()


def test_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_parallel, "fork_available", lambda: True)
    monkeypatch.setattr(_parallel, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    assert worker_count(None, 100, minimum=1000) == 1  # small input: serial
    assert worker_count(None, 5000, minimum=1000) == 2  # automatic: every CPU
    assert worker_count(0, 5000, minimum=1000) == 2
    assert worker_count(1, 5000, minimum=1000) == 1
    assert worker_count(3, 100, minimum=1000) == 3  # asked for explicitly
    assert worker_count(3, 1, minimum=1000) == 1  # nothing to share
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 1.0, 1.0))  # both CPUs nearly busy
    assert worker_count(None, 5000, minimum=1000) == 1
    assert worker_count(2, 5000, minimum=1000) == 2  # an explicit choice is kept
    monkeypatch.setattr(os, "getloadavg", lambda: (0.3, 0.3, 0.3))
    monkeypatch.setattr(_parallel, "cpu_count", lambda: 1)
    assert worker_count(None, 5000, minimum=1000) == 1
    monkeypatch.setattr(_parallel, "fork_available", lambda: False)
    assert worker_count(4, 5000, minimum=1000) == 1
    with pytest.raises(ValueError, match="jobs"):
        worker_count(-1, 10, minimum=1)

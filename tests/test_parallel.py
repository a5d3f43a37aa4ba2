"""citekit._parallel: ordered results over worker processes, lazily, with errors in place."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from citekit import _parallel as parallel
from citekit._parallel import choose_jobs, ordered_map


def _square(value: int) -> int:
    return value * value


def _fail_on_three(value: int) -> int:
    if value == 3:
        raise ValueError("three")
    return value


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_in_task_order(jobs: int) -> None:
    assert list(ordered_map(_square, range(40), jobs=jobs, ahead=3)) == [i * i for i in range(40)]


def test_tasks_are_taken_lazily() -> None:
    taken: list[int] = []

    def tasks() -> itertools.count[int]:
        for value in itertools.count():
            taken.append(value)
            yield value  # type: ignore[misc]

    results = ordered_map(_square, tasks(), jobs=2, ahead=4)
    assert [next(results) for _ in range(3)] == [0, 1, 4]
    assert len(taken) <= 3 + 4
    results.close()  # cancels what was submitted and stops the pool


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_is_raised_at_its_place(jobs: int) -> None:
    results = ordered_map(_fail_on_three, range(10), jobs=jobs)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="three"):
        next(results)


def test_choose_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    assert choose_jobs(3, size=0, threshold=100) == 3
    assert choose_jobs(1, size=10**9, threshold=100) == 1
    assert choose_jobs(None, size=99, threshold=100) == 1
    monkeypatch.setattr(parallel, "busy_now", lambda: None)  # the load average alone
    monkeypatch.setattr(os, "getloadavg", lambda: (0.9, 0.0, 0.0))  # only this process runs
    monkeypatch.setattr(parallel, "available_cpus", lambda: 2)
    assert choose_jobs(None, size=100, threshold=100) == 2
    assert choose_jobs(0, size=100, threshold=100) == 2
    monkeypatch.setattr(os, "getloadavg", lambda: (7.5, 0.0, 0.0))  # the CPUs are busy
    assert choose_jobs(None, size=100, threshold=100) == 1


def test_one_automatic_rule_for_reading_and_writing(monkeypatch: pytest.MonkeyPatch) -> None:
    """choose_jobs (reading) and worker_count (the bib writer) decide alike: half a CPU idle."""
    from citekit._parallel import worker_count

    monkeypatch.setattr(parallel, "available_cpus", lambda: 2)
    monkeypatch.setattr(parallel, "fork_available", lambda: True)
    monkeypatch.setattr(parallel, "busy_now", lambda: None)
    for load, expected in [(0.0, 2), (1.4, 2), (1.5, 2), (1.6, 1), (3.0, 1)]:
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, 0.0, 0.0))
        assert choose_jobs(None, size=100, threshold=100) == expected, load
        assert worker_count(None, 100, minimum=100) == expected, load
    monkeypatch.setattr(parallel, "available_cpus", lambda: 16)
    monkeypatch.setattr(os, "getloadavg", lambda: (7.5, 0.0, 0.0))
    assert choose_jobs(None, size=100, threshold=100) == 10  # 1 + 8.5 idle, rounded
    assert worker_count(None, 100, minimum=100) == 10
    with pytest.raises(ValueError, match="jobs"):
        choose_jobs(-1, size=0, threshold=1)


def test_ordered_map_spawns_when_other_threads_run() -> None:
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert list(ordered_map(_square, range(5), jobs=2)) == [0, 1, 4, 9, 16]
    finally:
        stop.set()
        thread.join()


def test_runnable_processes_correct_a_lagging_load_average(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Right after a busy command the 1-minute average still says busy; /proc says idle."""
    monkeypatch.setattr(parallel, "available_cpus", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.9, 1.0, 1.0))
    monkeypatch.setattr(parallel, "busy_now", lambda: 0)
    assert parallel.idle_cpus() == 2
    assert choose_jobs(None, size=100, threshold=100) == 2
    monkeypatch.setattr(parallel, "busy_now", lambda: 5)  # busier now than on average
    assert parallel.idle_cpus() == pytest.approx(0.1)
    assert choose_jobs(None, size=100, threshold=100) == 1
    monkeypatch.setattr(parallel, "busy_now", lambda: None)  # not Linux
    assert parallel.idle_cpus() == pytest.approx(0.1)


def test_busy_now_reads_proc_loadavg() -> None:
    busy = parallel.busy_now()
    if not Path("/proc/loadavg").exists():
        assert busy is None
    else:
        assert isinstance(busy, int)
        assert busy >= 0

"""Worker-process pool that maps a function over tasks and yields the results in task order.

Used where the work is per piece and the pieces are independent once their context is
shipped with them: the streaming ``.bib`` reader (segments of ~256 KB with the ``@string``
table as of their start). Results come back in task order, with at most ``ahead`` tasks in
flight, so memory stays flat however many tasks there are. Example::

    from citekit._parallel import choose_jobs, ordered_map

    jobs = choose_jobs(None, size=os.path.getsize(path), threshold=4 << 20)
    for result in ordered_map(parse_segment, tasks(), jobs=jobs):
        ...

``function`` must be a module-level function and tasks/results picklable. With ``jobs <= 1``
no process is started and the function runs in this process (same results).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

__all__ = ["available_cpus", "choose_jobs", "idle_cpus", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")


def available_cpus() -> int:
    """CPUs this process may run on (affinity-aware where the platform tells)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def choose_jobs(jobs: int | None, *, size: int, threshold: int) -> int:
    """How many processes to use.

    Args:
        jobs: What the caller asked for: ``None`` (or ``0``) = automatic, ``1`` = this process
            only, ``n`` = at most ``n`` processes (never more than there are tasks to share).
        size: The size of the work (e.g. bytes of input).
        threshold: Automatic mode uses more than one process only when ``size`` reaches this
            (below it, starting workers costs more than it saves).

    Automatic mode uses the CPUs that are idle: ``1 + (CPUs - 1-minute load average)``,
    at most every CPU. Extra processes on CPUs that other programs keep busy only add
    overhead (measured: 15-20 % slower with 2 workers at load 12 on 2 cores).
    """
    if jobs is not None and jobs < 0:
        raise ValueError(f"jobs must be >= 0, not {jobs}")
    if jobs:
        return jobs
    if size < threshold:
        return 1
    return max(1, min(available_cpus(), 1 + int(idle_cpus())))


def idle_cpus() -> float:
    """CPUs not already busy: the available CPUs minus the 1-minute load average (if known)."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - Windows
        load = 0.0
    return available_cpus() - load


def _context() -> multiprocessing.context.BaseContext:
    # fork starts workers in milliseconds with every module already imported; it is only safe
    # while no other thread runs (their locks would be copied in whatever state they are),
    # and not available everywhere (Windows): spawn otherwise.
    fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    return multiprocessing.get_context("fork" if fork else "spawn")


def ordered_map(
    function: Callable[[T], R], tasks: Iterable[T], *, jobs: int, ahead: int | None = None
) -> Iterator[R]:
    """``map(function, tasks)`` over ``jobs`` worker processes, results in task order.

    Tasks are taken lazily: at most ``ahead`` (default ``2 * jobs``) are submitted and not yet
    yielded at any time. An exception raised by ``function`` is raised here, at its task's
    place in the order. Closing the iterator early cancels the tasks not yet started.

    Args:
        function: A module-level function (it is pickled by name).
        tasks: The tasks, in order.
        jobs: Worker processes; ``<= 1`` runs everything in this process.
        ahead: Tasks in flight at most.
    """
    if jobs <= 1:
        yield from map(function, tasks)
        return
    limit = max(jobs, ahead if ahead is not None else 2 * jobs)
    pending: deque[Future[R]] = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
        try:
            for task in tasks:
                pending.append(pool.submit(function, task))
                if len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

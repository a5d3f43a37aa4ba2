"""Process parallelism for per-record work: ordered results from forked worker processes.

One small helper for every layer that maps a pure function over independent chunks (entries
to render, segments to parse). Results come back **in task order**, so the output is the same
as a serial loop's; with ``jobs <= 1``, or where forking is not safe, the same function runs
in-process. Example::

    from citekit._parallel import ordered_map, worker_count

    jobs = worker_count(options.get("jobs"), len(records), minimum=2000)
    texts = list(ordered_map(render_chunk, chunks, jobs=jobs))

Forking rules (see :func:`fork_available`): workers are forked (no re-import, nothing to
pickle but the tasks and results), only on platforms with ``fork``, only when the calling
process runs no other thread (a fork copies locks held by other threads, which can hang the
child), and never from inside a daemonic worker. The pool lives only as long as one
:func:`ordered_map` call. Task functions must be module-level (picklable by name) and must
not rely on mutating the parent's state: whatever they change in a worker is lost.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["fork_available", "ordered_map", "worker_count"]

T = TypeVar("T")
R = TypeVar("R")


def fork_available() -> bool:
    """Whether worker processes may be forked from here right now.

    False on platforms without ``fork``, when another thread is running (its locks would be
    copied into the child in whatever state they are) and inside a daemonic process (which
    may not have children).
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if threading.active_count() > 1:
        return False
    return not multiprocessing.current_process().daemon


def cpu_count() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS/Windows
        return os.cpu_count() or 1


def idle_cpus() -> float:
    """CPUs not already busy: the CPU count minus the 1-minute load average (if known)."""
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - Windows
        load = 0.0
    return cpu_count() - load


def worker_count(jobs: int | None, size: int, *, minimum: int) -> int:
    """How many processes to use for ``size`` items.

    Args:
        jobs: What the caller asked for: ``None`` or ``0`` = automatic (every CPU, but only
            from ``minimum`` items on and only while at least one CPU is idle: on a machine
            whose CPUs are all busy, workers only compete with each other), ``1`` = serial,
            ``n`` = up to ``n`` processes.
        size: Number of items (records) to process.
        minimum: Below this many items the automatic choice is serial (starting workers
            costs more than they save).

    Returns:
        ``1`` (run in-process) or the number of worker processes.
    """
    if jobs is not None and jobs < 0:
        raise ValueError(f"jobs must be >= 0, not {jobs}")
    if jobs == 1 or size < 2:
        return 1
    if not jobs:
        if size < minimum or idle_cpus() < 1:
            return 1
        jobs = cpu_count()
    if jobs <= 1 or not fork_available():
        return 1
    return jobs


def ordered_map(
    function: Callable[[T], R], tasks: Iterable[T], *, jobs: int, window: int = 0
) -> Iterator[R]:
    """Yield ``function(task)`` for every task, in task order, using ``jobs`` processes.

    Tasks are taken from ``tasks`` lazily, at most ``window`` (default ``2 * jobs``) ahead
    of the result being yielded, so a streaming producer keeps its memory flat. With
    ``jobs <= 1`` or when :func:`fork_available` is false everything runs in this process.
    An exception raised by ``function`` is raised here, for the task that raised it.

    Args:
        function: A module-level function (workers find it by name).
        tasks: Picklable task arguments.
        jobs: Number of worker processes.
        window: Maximum number of tasks in flight.
    """
    if jobs <= 1 or not fork_available():
        for task in tasks:
            yield function(task)
        return
    window = window or 2 * jobs
    context = multiprocessing.get_context("fork")
    pool = context.Pool(processes=jobs)
    pending: deque[Any] = deque()
    try:
        for task in tasks:
            pending.append(pool.apply_async(function, (task,)))
            if len(pending) >= window:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
        pool.close()
    finally:
        pool.terminate()
        pool.join()

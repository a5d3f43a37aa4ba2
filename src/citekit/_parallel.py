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
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

__all__ = ["available_cpus", "choose_jobs", "ordered_map"]

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
        threshold: Automatic mode uses every available CPU when ``size`` reaches this (below
            it, starting workers costs more than it saves).
    """
    if jobs is not None and jobs < 0:
        raise ValueError(f"jobs must be >= 0, not {jobs}")
    if jobs:
        return jobs
    return available_cpus() if size >= threshold else 1


def _context() -> multiprocessing.context.BaseContext:
    # fork starts workers in milliseconds with every module already imported; elsewhere
    # (macOS, Windows) spawn is the safe choice.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method)


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

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

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:  # multiprocessing and concurrent.futures load on first use (start-up time)
    import multiprocessing.context
    from concurrent.futures import Future

__all__ = [
    "automatic_jobs",
    "available_cpus",
    "busy_now",
    "choose_jobs",
    "fork_available",
    "idle_cpus",
    "ordered_map",
    "worker_count",
]

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

    Automatic mode follows :func:`automatic_jobs` (the same rule as :func:`worker_count`).
    """
    if jobs is not None and jobs < 0:
        raise ValueError(f"jobs must be >= 0, not {jobs}")
    if jobs:
        return jobs
    return automatic_jobs(size, minimum=threshold)


def automatic_jobs(size: int, *, minimum: int) -> int:
    """The one automatic rule: ``1 +`` the idle CPUs rounded (half an idle CPU counts).

    At most every available CPU, and ``1`` below ``minimum`` (starting workers would cost
    more than they save). On 2 CPUs: two processes while the 1-minute load average is at
    most 1.5, else one. Measured (10k entries, .bib → CSL-JSON with the workers
    serialising): two processes spend about 1.1× the CPU of one (1.2× before the fifth
    speed round), so they finish sooner whenever they get more than 1.1 CPUs between them,
    which half an idle CPU gives with a margin for the load average's lag; on CPUs that
    other programs keep busy (load 12 on 2 cores) workers were 15-20 % slower.
    """
    if size < minimum:
        return 1
    return max(1, min(available_cpus(), 1 + int(idle_cpus() + 0.5)))


def idle_cpus() -> float:
    """CPUs not already busy: the available CPUs minus the load (if known).

    The load is the 1-minute load average, or the number of other processes runnable right
    now when that is lower (Linux): the average lags by about a minute, so right after a
    busy command has ended it still reports CPUs busy that are idle.
    """
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - Windows
        load = 0.0
    now = busy_now()
    if now is not None:
        load = min(load, now)
    return available_cpus() - load


def busy_now() -> int | None:
    """Processes running or runnable right now besides this one (``None`` when not known).

    Read from the fourth field of ``/proc/loadavg`` (``runnable/total``), which counts this
    process too.
    """
    try:
        with open("/proc/loadavg", "rb") as stats:
            running = int(stats.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return None
    return max(0, running - 1)


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    # fork starts workers in milliseconds with every module already imported; where it is not
    # safe or not available (see fork_available), spawn.
    return multiprocessing.get_context("fork" if fork_available() else "spawn")


def ordered_map(
    function: Callable[[T], R],
    tasks: Iterable[T],
    *,
    jobs: int,
    ahead: int | None = None,
    barrier: Callable[[T], bool] | None = None,
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
        barrier: After a task for which it is true, every result up to that task's is
            yielded before the next task is taken (a task that needs an earlier result:
            ``tasks`` may be a generator that reads what the consumer kept of it).
    """
    if jobs <= 1:
        yield from map(function, tasks)
        return
    limit = max(jobs, ahead if ahead is not None else 2 * jobs)
    from concurrent.futures import ProcessPoolExecutor

    pending: deque[Future[R]] = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
        try:
            for task in tasks:
                pending.append(pool.submit(function, task))
                if barrier is not None and barrier(task):
                    while pending:
                        yield pending.popleft().result()
                elif len(pending) >= limit:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


# ---------------------------------------------------------------- forked workers (perf-tobib)
# For work whose input is already in this process (the records of a Library being written):
# workers forked after the input is put in a module-level variable read it from there, so
# only offsets and results travel. That needs fork, and fork is only safe without other
# threads (their locks would be copied in whatever state they are).


def fork_available() -> bool:
    """Whether worker processes may be forked from here right now.

    False on platforms without ``fork``, when another thread is running and inside a
    daemonic process (which may not have children).
    """
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    if threading.active_count() > 1:
        return False
    return not multiprocessing.current_process().daemon


def worker_count(jobs: int | None, size: int, *, minimum: int) -> int:
    """How many forked processes to use for ``size`` items (``1``: run in this process).

    Unlike :func:`choose_jobs`, the answer is ``1`` whenever :func:`fork_available` is false,
    and automatic mode also waits for an idle CPU: on a machine whose CPUs are all busy,
    workers only compete with each other.

    Args:
        jobs: What the caller asked for: ``None`` or ``0`` = automatic
            (:func:`automatic_jobs`), ``1`` = serial, ``n`` = up to ``n`` processes.
        size: Number of items to process.
        minimum: Below this many items the automatic choice is serial (starting workers
            costs more than they save).
    """
    if jobs is not None and jobs < 0:
        raise ValueError(f"jobs must be >= 0, not {jobs}")
    if jobs == 1 or size < 2:
        return 1
    if not jobs:
        jobs = automatic_jobs(size, minimum=minimum)
    if jobs <= 1 or not fork_available():
        return 1
    return jobs

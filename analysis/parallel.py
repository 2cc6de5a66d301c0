"""Work divided between the machine's cores: tasks run in forked processes, results come back in order.

A run's work divides where its steps read the same inputs and nothing of each other
(issue 19): checking tables that point at tables checked before them
(:func:`analysis.ingest.validate.validate_dataset`), the analyses
(:func:`analysis.pipeline.analyse_dataset`), exact betweenness, a sum over disjoint
source sets (:func:`analysis.bridges.compute_betweenness`), and the writing of views,
exports and reports (:func:`analysis.pipeline.write_run`). The tasks are the same whatever
the number of cores, and only which process runs each changes, so a run on one core and a
run on two write the same bytes.

Children are forked (POSIX ``fork``): they see the parent's tables and graphs without
copying or pickling them, and only pages they write are copied. Where ``fork`` is not
available (Windows, and macOS's default), or one core is, the tasks run one after another
in this process.
"""

import ctypes
import gc
import multiprocessing
import os
import pickle
import threading
import traceback
from collections.abc import Callable, Sequence
from contextlib import contextmanager

from analysis.progress import collector_paused


def count_cores() -> int:
    """Cores this process may run on (its CPU affinity, which a container or ``taskset`` narrows).

    >>> count_cores() >= 1
    True
    """
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """True where children can be forked."""
    return "fork" in multiprocessing.get_all_start_methods()


def release_free_memory() -> None:
    """Collect unreachable objects and give the C heap's free pages back to the system
    before forking.

    The pipeline's steps pause the cycle collector, so garbage with reference cycles (pandas'
    and networkx's views, among others) waits for the next full collection; and glibc keeps
    freed memory in the process. A child shares that memory with the parent until either of
    them writes into it, and each page one of them reuses is then copied: nationally the
    main process held about 0.6 GB more before the writing parts than its live objects
    need (docs/scaling.md). ``malloc_trim`` exists only in glibc; elsewhere this collects.
    """
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim this way
        pass


@contextmanager
def pause_collector_between_forks():
    """Python's cycle collector paused for the whole block when :func:`run_tasks` will fork
    (more than one core, and ``fork``): each fork collects first
    (:func:`release_free_memory`), so the collections that re-enabling the collector after
    every step set off, each walking all that the step made, bought nothing there. On one
    core, or without ``fork``, nothing collects before the tasks, and the collector runs as
    usual between steps."""
    if count_cores() > 1 and can_fork() and not is_worker():
        with collector_paused():
            yield
    else:
        yield


def is_worker() -> bool:
    """True in a child :func:`run_tasks` forked: its own tasks run in it, one after another,
    since the machine's other cores are busy with the other tasks already (and a daemonic
    process may not start children)."""
    return multiprocessing.current_process().daemon


def make_event():
    """An event the tasks of one :func:`run_tasks` call share, for a task that must wait for
    another's output (the html report links to the views it finds written): set in any
    process, seen in all. A forked child inherits it; without ``fork`` the tasks run one
    after another in task order, and a thread's event does."""
    return multiprocessing.get_context("fork").Event() if can_fork() else threading.Event()


def _run_claimed(tasks: Sequence[Callable], first: int, counter) -> list[tuple[int, object]]:
    """Run task ``first``, then each next task not yet taken (``counter``), until none is left."""
    results, i = [], first
    while i < len(tasks):
        results.append((i, tasks[i]()))
        with counter.get_lock():
            i = counter.value
            counter.value += 1
    return results


def _run_child(tasks: Sequence[Callable], first: int, counter, connection) -> None:
    """In a child: run its tasks (:func:`_run_claimed`) and send back each ``(index, result)``
    pair, then ``done``; or the error.

    One result at a time, each let go of once sent: pickled all at once, their bytes and the
    pickler's memo of every object in them were held beside the results, near the run's
    peak of memory (nationally, the analysis parts' results: 0.21 GB of bytes and 0.23 GB
    more while pickling; the largest alone, 0.09 and 0.16; docs/scaling.md)."""
    try:
        results = _run_claimed(tasks, first, counter)[::-1]
        while results:
            payload = pickle.dumps(("result", results.pop()), protocol=pickle.HIGHEST_PROTOCOL)
            connection.send_bytes(payload)
            del payload
        connection.send_bytes(pickle.dumps(("done", None)))
    except BaseException as error:  # the parent raises it again
        try:
            payload = pickle.dumps(("error", error), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that cannot be pickled: its text
            payload = pickle.dumps(("error", RuntimeError(traceback.format_exc())))
        connection.send_bytes(payload)
    finally:
        connection.close()


def run_tasks(tasks: Sequence[Callable[[], object]], workers: int | None = None,
              after_fork: Callable[[], object] | None = None) -> list:
    """Call every task (a function of no arguments); return their results in task order.

    With ``workers`` > 1 (default: :func:`count_cores`), task 0 runs in this process and
    tasks 1 … ``workers`` − 1 in forked children, which send their results back pickled;
    whichever worker finishes first takes the next task not yet taken, so a list of tasks
    longest first shares out evenly whatever their sizes on a given dataset. Which worker
    ran a task changes nothing in its result. A task's error is raised here, after every
    child has ended. A task that calls this itself in a child (:func:`is_worker`) has its
    tasks run there one after another.

    ``after_fork``, when given, is called in this process once the children are forked and
    before task 0, never when the tasks run one after another here: it lets go of what only
    task 1, which a child always runs, reads. A child that reads an object copies each page
    of it that this process also still holds (CPython writes reference counts into the
    objects it reads), so a gigabyte read in one process and kept in the other is held twice.

    Examples
    --------
    >>> run_tasks([lambda: 1, lambda: 2, lambda: 3], workers=2)
    [1, 2, 3]
    """
    workers = min(count_cores() if workers is None else workers, len(tasks))
    if workers <= 1 or not can_fork() or is_worker():
        return [task() for task in tasks]
    release_free_memory()
    context = multiprocessing.get_context("fork")
    counter = context.Value("q", workers)  # the next task not yet taken, in shared memory
    children = []
    for first in range(1, workers):
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_run_child, args=(tasks, first, counter, sender), daemon=True)
        child.start()
        sender.close()
        children.append((child, receiver))
    results: dict[int, object] = {}
    errors: list[BaseException] = []
    try:
        if after_fork is not None:
            after_fork()
        results.update(_run_claimed(tasks, 0, counter))
    except BaseException as error:
        errors.append(error)
    for child, receiver in children:
        status = "result"
        while status == "result":
            try:
                status, payload = pickle.loads(receiver.recv_bytes())
            except EOFError:  # the child died without a word (killed, out of memory)
                child.join()
                status, payload = "error", RuntimeError(f"a worker process ended with exit code {child.exitcode}")
            if status == "result":
                index, result = payload
                results[index] = result
            elif status == "error":
                errors.append(payload)
        child.join()
    if errors:
        raise errors[0]
    return [results[i] for i in range(len(tasks))]

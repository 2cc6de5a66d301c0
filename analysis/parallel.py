"""Work divided between the machine's cores: tasks run in forked processes, results come back in order.

A run's work divides in two places (issue 19): exact betweenness, a sum over source nodes
that splits into disjoint source sets (:func:`analysis.bridges.compute_betweenness`), and
the writing of the network views, the graph exports and the reports, which read the same
results and write different files (:func:`analysis.pipeline.write_run`). Both split the
same way whatever the number of cores, and only the placement of the parts changes, so a
run on one core and a run on two write the same bytes.

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
import traceback
from collections.abc import Callable, Sequence


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


def _run_group(tasks: Sequence[Callable], indices: list[int], connection) -> None:
    """In a child: run its tasks and send back ``(index, result)`` pairs, or the error."""
    try:
        results = [(i, tasks[i]()) for i in indices]
        connection.send_bytes(pickle.dumps(("done", results), protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException as error:  # the parent raises it again
        try:
            payload = pickle.dumps(("error", error), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that cannot be pickled: its text
            payload = pickle.dumps(("error", RuntimeError(traceback.format_exc())))
        connection.send_bytes(payload)
    finally:
        connection.close()


def run_tasks(tasks: Sequence[Callable[[], object]], workers: int | None = None) -> list:
    """Call every task (a function of no arguments); return their results in task order.

    With ``workers`` > 1 (default: :func:`count_cores`), the tasks are dealt round-robin into
    ``workers`` groups: the first group runs in this process, each other group in a forked
    child that sends its results back pickled. A task's error is raised here, after every
    child has ended.

    Examples
    --------
    >>> run_tasks([lambda: 1, lambda: 2, lambda: 3], workers=2)
    [1, 2, 3]
    """
    workers = min(count_cores() if workers is None else workers, len(tasks))
    if workers <= 1 or not can_fork():
        return [task() for task in tasks]
    groups = [list(range(k, len(tasks), workers)) for k in range(workers)]
    release_free_memory()
    context = multiprocessing.get_context("fork")
    children = []
    for group in groups[1:]:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(target=_run_group, args=(tasks, group, sender), daemon=True)
        child.start()
        sender.close()
        children.append((child, receiver))
    results: dict[int, object] = {}
    errors: list[BaseException] = []
    try:
        results.update((i, tasks[i]()) for i in groups[0])
    except BaseException as error:
        errors.append(error)
    for child, receiver in children:
        try:
            status, payload = pickle.loads(receiver.recv_bytes())
        except EOFError:  # the child died without a word (killed, out of memory)
            child.join()
            status, payload = "error", RuntimeError(f"a worker process ended with exit code {child.exitcode}")
        child.join()
        if status == "error":
            errors.append(payload)
        else:
            results.update(payload)
    if errors:
        raise errors[0]
    return [results[i] for i in range(len(tasks))]

"""Progress for long steps: shown on a terminal, silent otherwise (pipes, CI, notebooks);
Python's cycle collector paused while a step runs."""

import gc
import sys
import time
from contextlib import contextmanager


def is_interactive() -> bool:
    """True when standard error is a terminal."""
    return sys.stderr.isatty()


@contextmanager
def collector_paused():
    """Python's cycle collector off for a while, then as it was (also when the work fails).

    A national run keeps millions of lists and dicts (rows, records, the graph's nodes and
    edges) and makes millions more; each full collection walks all of them again, and they
    came often enough to take half the time of reading, of building the graph and of the
    exports (py-spy, 2026Q3 national). Nearly all are freed by their reference counts, not
    by the collector; the few cycles a step leaves (networkx caches views that point back at
    their graph) are collected after it, except where the run forks, which leaves them: they
    hold next to nothing (:func:`analysis.parallel.release_free_memory`). ``make bench``
    shows the run's peak memory.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def step(label: str, timings: dict[str, float] | None = None):
    """Announce a pipeline step on a terminal and record how long it took; the step runs
    with the cycle collector paused (:func:`collector_paused`).

    Parameters
    ----------
    label : what the step does, shown as ``… label``; a :class:`MemoryError` raised inside
        carries it as ``error.step`` (:func:`analysis.cli.describe_memory_error`).
    timings : when given, ``timings[label]`` receives the seconds taken.
    """
    started = time.perf_counter()
    if is_interactive():
        print(f"… {label}", file=sys.stderr, flush=True)
    try:
        with collector_paused():
            yield
    except MemoryError as error:
        # The innermost step names where memory ran out (the command line says it).
        if not getattr(error, "step", None):
            error.step = label
        raise
    finally:
        elapsed = time.perf_counter() - started
        if timings is not None:
            timings[label] = round(elapsed, 3)
        if is_interactive():
            print(f"  {label}: {elapsed:.1f} s", file=sys.stderr, flush=True)


def track(items, label: str, total: int | None = None):
    """``items`` with a progress bar (tqdm) on a terminal; the items alone otherwise.

    For the loops inside a step that run long at national scale (one network view per
    district), where the step's own start and end lines say too little.

    Examples
    --------
    >>> list(track(range(3), "counting"))  # doctest runs without a terminal: no bar
    [0, 1, 2]
    """
    from tqdm import tqdm  # imported here: only long loops on a terminal need it

    return tqdm(items, desc=f"  {label}", total=total, disable=not is_interactive(), leave=False,
                file=sys.stderr, dynamic_ncols=True)

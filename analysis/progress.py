"""Progress for long steps: shown on a terminal, silent otherwise (pipes, CI, notebooks)."""

import sys
import time
from contextlib import contextmanager


def is_interactive() -> bool:
    """True when standard error is a terminal."""
    return sys.stderr.isatty()


@contextmanager
def step(label: str, timings: dict[str, float] | None = None):
    """Announce a pipeline step on a terminal and record how long it took.

    Parameters
    ----------
    label : what the step does, shown as ``… label``.
    timings : when given, ``timings[label]`` receives the seconds taken.
    """
    started = time.perf_counter()
    if is_interactive():
        print(f"… {label}", file=sys.stderr, flush=True)
    try:
        yield
    finally:
        elapsed = time.perf_counter() - started
        if timings is not None:
            timings[label] = round(elapsed, 3)
        if is_interactive():
            print(f"  {label}: {elapsed:.1f} s", file=sys.stderr, flush=True)

"""Tests for analysis/dataset.py."""

import gc

from analysis.dataset import gc_paused


def test_gc_paused_pauses_the_collector_and_restores_it_as_it_was():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()


def test_gc_paused_restores_the_collector_when_the_stage_fails():
    @gc_paused()
    def failing_stage():
        raise ValueError("bad data")

    try:
        failing_stage()
    except ValueError:
        pass
    assert gc.isenabled()

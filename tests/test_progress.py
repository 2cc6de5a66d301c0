"""Tests for analysis/progress.py: steps time themselves and pause the cycle collector."""

import gc

import pytest

from analysis.progress import collector_paused, step


def test_a_step_records_its_time_and_runs_with_the_collector_paused():
    timings = {}
    assert gc.isenabled()
    with step("read", timings):
        assert not gc.isenabled()
    assert gc.isenabled()
    assert set(timings) == {"read"} and timings["read"] >= 0


def test_the_collector_is_restored_as_it_was_also_when_the_step_fails():
    with pytest.raises(ValueError):
        with step("check"):
            raise ValueError("bad data")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()


def test_nested_steps_resume_the_collector_only_when_the_outer_one_ends():
    with step("write outputs"):
        with step("network views"):
            pass
        assert not gc.isenabled()
    assert gc.isenabled()

"""The collector helpers restore the interpreter's state however the body ends."""
from __future__ import annotations

import gc

import pytest

from servicelens.collector import collector_paused, survivors_settled


def test_paused_turns_the_collector_off_and_back_on() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_paused_restores_after_an_error() -> None:
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_settled_objects_leave_the_passes_and_come_back() -> None:
    before = gc.get_freeze_count()
    kept = [[index] for index in range(1000)]
    with survivors_settled():
        assert gc.get_freeze_count() >= before + len(kept)
        made_inside = [[]]
        made_inside[0].append(made_inside)  # a cycle made inside is still collectable
        del made_inside
        assert gc.collect() >= 1
    assert gc.get_freeze_count() == 0
    assert kept[-1] == [999]

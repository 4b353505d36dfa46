"""The collector helpers restore the interpreter's state however the body ends."""
from __future__ import annotations

import gc
import weakref

import pytest

from servicelens.collector import (
    collector_paused,
    settled_file_by_file,
    survivors_settled,
)


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


def test_settled_file_by_file_finds_a_files_cycle_and_unfreezes() -> None:
    class Node:
        pass

    kept = [[index] for index in range(1000)]
    with settled_file_by_file() as settle:
        with collector_paused():
            made = Node()
            made.self = made  # type: ignore[attr-defined]  # a cycle one file left behind
            ref = weakref.ref(made)
            del made
        settle()  # the young-generation pass finds it before the survivors are settled
        assert ref() is None
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0
    assert kept[-1] == [999]

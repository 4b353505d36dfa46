"""fast_frozen_init: the same dataclass behaviour with a cheaper constructor."""
from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from servicelens import ir
from servicelens.fast_init import fast_frozen_init
from servicelens.taint.values import Origin, Step, Value


@fast_frozen_init
@dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int = 7
    tags: tuple[str, ...] = ()


def test_positional_keyword_and_default_arguments_fill_the_fields() -> None:
    assert Point(1) == Point(x=1, y=7, tags=())
    assert Point(1, 2, ("a",)).tags == ("a",)
    assert Point(y=3, x=4) == Point(4, 3)


def test_missing_or_unknown_arguments_are_refused_like_the_generated_init() -> None:
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=2)  # type: ignore[call-arg]


def test_instances_stay_frozen_hashable_and_comparable() -> None:
    point = Point(1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 5  # type: ignore[misc]
    assert hash(point) == hash(Point(1, 2))
    assert repr(point) == "Point(x=1, y=2, tags=())"


def test_replace_and_pickle_go_through_the_new_constructor() -> None:
    point = Point(1, 2)
    assert dataclasses.replace(point, y=9) == Point(1, 9)
    assert pickle.loads(pickle.dumps(point)) == point


def test_classes_it_cannot_handle_are_refused_at_definition() -> None:
    @dataclass(frozen=True)
    class NoSlots:
        x: int

    @dataclass(slots=True)
    class NotFrozen:
        x: int

    @dataclass(frozen=True, slots=True)
    class Factory:
        items: list[int] = field(default_factory=list)

    for cls in (NoSlots, NotFrozen, Factory, int):
        with pytest.raises(TypeError):
            fast_frozen_init(cls)


def test_ir_nodes_and_taint_values_use_it_and_keep_their_defaults() -> None:
    call = ir.Call(3, 4, ir.Name(3, 4, "f"), (), ())
    assert call.end_line == 0 and call.func == ir.Name(3, 4, "f")
    assert Value() == Value(frozenset(), Value().const, None, None, frozenset())
    origin = Origin(("par", "x")).step("a.py", 2, "x", "code")
    assert origin.trace == (Step("a.py", 2, "x", "code"),)
    assert pickle.loads(pickle.dumps(origin)) == origin
    for cls in (ir.Call, ir.Function, Value, Origin, Step):
        assert cls.__init__.__qualname__ == f"{cls.__qualname__}.__init__"
        assert all(name.startswith(("_set_", "_default_")) for name in cls.__init__.__code__.co_freevars)

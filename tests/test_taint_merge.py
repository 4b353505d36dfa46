"""`merge`: one origin per (base, cleansed), the shortest trace kept, however the inputs come."""
from __future__ import annotations

from servicelens.taint.values import EMPTY, Origin, Step, Value, merge


def test_empty_inputs_merge_to_empty() -> None:
    assert merge() is EMPTY
    assert merge(EMPTY, frozenset(), []) is EMPTY


def test_a_lone_origin_is_its_own_union() -> None:
    single = frozenset({Origin(("par", "x"))})
    assert merge(single) is single
    assert merge(EMPTY, single, EMPTY) is single


def test_origins_that_became_equal_keep_the_shortest_trace() -> None:
    long = Origin(("par", "x"), frozenset({"sql"}), (Step("m.py", 1, "a"), Step("m.py", 2, "b")))
    short = Origin(("par", "x"), frozenset({"sql"}), (Step("m.py", 3, "c"),))
    assert merge(frozenset({long, short})) == frozenset({short})
    assert merge(frozenset({long}), [short]) == frozenset({short})


def test_equally_short_traces_are_chosen_by_their_steps_not_by_input_order() -> None:
    # which call site a flow's evidence shows must not depend on the order a set yields its
    # origins in (the hash seed)
    via_a = Origin(("par", "x"), frozenset(), (Step("m.py", 7, "passed to `a()`"), Step("m.py", 9, "returned")))
    via_b = Origin(("par", "x"), frozenset(), (Step("m.py", 4, "passed to `b()`"), Step("m.py", 9, "returned")))
    assert merge([via_a], [via_b]) == merge([via_b], [via_a]) == frozenset({via_b})
    assert merge([via_a, via_b]) == merge([via_b, via_a])


def test_origin_step_and_value_updates_keep_every_other_field() -> None:
    origin = Origin(("src", "remote-input", "query", 4), frozenset({"xss"}))
    stepped = origin.step("m.py", 5, "assigned to `q`", "q = x")
    assert (stepped.base, stepped.cleansed, stepped.trace) == (origin.base, origin.cleansed, (Step("m.py", 5, "assigned to `q`", "q = x"),))
    assert stepped.step("m.py", 5, "again") is stepped  # the same line is not traced twice
    assert origin.cleanse(frozenset({"sql"})).cleansed == frozenset({"xss", "sql"})
    value = Value(taint=frozenset({origin}), const="k", shape="s", tags=frozenset({"request"}))
    with_element = value.with_element("a", Value(const=1))
    assert (with_element.taint, with_element.shape, with_element.tags) == (value.taint, "s", value.tags)
    assert with_element.elements == (("a", Value(const=1)),) and with_element.const is not value.const
    widened = value.with_taint(frozenset({Origin(("par", "y"))}))
    assert widened.taint == frozenset({origin, Origin(("par", "y"))}) and widened.tags == value.tags

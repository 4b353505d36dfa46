"""Project-wide taint through mutually recursive functions must not depend on which function
the resolver happens to ask about first. A cycle is cut where it closes, and an answer computed
under that cut is partial: memoising it made later questions see the partial answer, so a flow
was reported or not depending on iteration order (and so on PYTHONHASHSEED)."""
from __future__ import annotations

from itertools import permutations

from servicelens.taint.in_progress import AT_DEPTH, FREE, NOT, InProgress
from servicelens.taint.resolve import resolve_flows
from servicelens.taint.summary import CallRecord, FunctionSummary, SinkEvent
from servicelens.taint.values import EMPTY, Origin, Step

_SOURCE = Origin(("src", "remote-input", "query parameter", 2), trace=(Step("views.py", 2, "read from the request"),))
_PAR = Origin(("par", "value"))


def _call(index: int, callee: str, arg: frozenset[Origin]) -> CallRecord:
    return CallRecord(index, 10 + index, callee, (arg,), (), arg, f"{callee}(value)")


def _summaries() -> dict[str, FunctionSummary]:
    """`expand` returns its argument and whatever `collect` makes of it; `collect` returns
    what `expand` makes of its own argument (mutual recursion, as a tree walk written in two
    functions). Two views feed the request into one of them each and write the result to a
    path and to a shell."""
    expand = FunctionSummary("tree.expand", "tree.py", 1, ("value",),
                             frozenset({_PAR, Origin(("ret", 0))}), (), (_call(0, "tree.collect", frozenset({_PAR})),))
    collect = FunctionSummary("tree.collect", "tree.py", 20, ("value",),
                              frozenset({Origin(("ret", 0))}), (), (_call(0, "tree.expand", frozenset({_PAR})),))
    src = frozenset({_SOURCE})

    def view(name: str, callee: str, kind: str) -> FunctionSummary:
        sink = SinkEvent(kind, 40, 4, 40, "sink", frozenset({Origin(("ret", 0))}), "sink(result)")
        return FunctionSummary(f"views.{name}", "views.py", 30, (), EMPTY, (sink,), (_call(0, callee, src),))

    return {"expand": expand, "collect": collect,
            "by_expand": view("by_expand", "tree.expand", "command-injection"),
            "by_collect": view("by_collect", "tree.collect", "path-traversal")}


def _found(order: tuple[str, ...]) -> list[tuple[str, str]]:
    summaries = _summaries()
    return sorted((flow.sink_path, flow.sink.kind) for flow in resolve_flows(summaries[name] for name in order))


def test_every_order_of_asking_finds_both_flows_through_the_cycle() -> None:
    want = [("views.py", "command-injection"), ("views.py", "path-traversal")]
    for order in permutations(("expand", "collect", "by_expand", "by_collect")):
        assert _found(order) == want, order


def test_an_answer_that_needed_a_running_computation_is_not_memoised() -> None:
    running = InProgress()
    assert running.enter("outer")
    assert running.enter("inner")
    assert not running.enter("outer")  # the cycle closes: inner's answer is partial
    assert running.leave("inner") == NOT
    assert running.leave("outer") == FREE  # the cycle's head saw all of it


def test_an_answer_cut_by_depth_holds_only_at_that_depth_all_down_the_stack() -> None:
    running = InProgress()
    assert running.enter("outer")
    assert running.enter("inner")
    running.cut_at_depth()
    assert running.leave("inner") == AT_DEPTH
    assert running.leave("outer") == AT_DEPTH


def test_a_cycle_and_a_depth_cut_together_are_not_memoised() -> None:
    running = InProgress()
    assert running.enter("outer")
    assert running.enter("inner")
    running.cut_at_depth()
    assert not running.enter("outer")
    assert running.leave("inner") == NOT
    assert running.leave("outer") == AT_DEPTH


def test_an_answer_that_needed_nothing_running_is_memoised_for_everyone() -> None:
    running = InProgress()
    assert running.enter("outer")
    assert running.enter("leaf")
    assert running.leave("leaf") == FREE
    assert running.enter("leaf-again")
    assert not running.enter("leaf-again")  # a self-cycle is its own head
    assert running.leave("leaf-again") == FREE
    assert running.leave("outer") == FREE

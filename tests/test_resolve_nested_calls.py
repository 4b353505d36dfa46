"""Project-wide resolution of calls nested in calls (`f(g(h(x)))`, chained methods): every
call's fallback names the calls inside it, which used to be expanded again from each
enclosing call (exponential in the nesting; minutes on one sympy function). The answer
must not depend on how often a call is reached."""
from __future__ import annotations

from servicelens.taint.resolve import resolve_flows
from servicelens.taint.summary import CallRecord, FunctionSummary, SinkEvent
from servicelens.taint.values import EMPTY, Origin, Step

SOURCE = Origin(("src", "remote-input", "query parameter", 2), trace=(Step("app.py", 2, "read from the request"),))


def _nested_calls(depth: int) -> tuple[CallRecord, ...]:
    """Call 0 returns the source; call i passes calls i-1 and i-2 on, both cleansed
    differently, so each call's result is reached along several paths."""
    calls = [CallRecord(0, 3, "lib.read", (), (), frozenset({SOURCE}), "x = read()")]
    for index in range(1, depth):
        inner = {Origin(("ret", index - 1))}
        if index >= 2:
            inner.add(Origin(("ret", index - 2), cleansed=frozenset({"ssrf"})))
        calls.append(CallRecord(index, 3 + index, f"lib.step{index}", (), (), frozenset(inner), f"x = step{index}(x)"))
    return tuple(calls)


def _summary(depth: int) -> FunctionSummary:
    calls = _nested_calls(depth)
    sink = SinkEvent("command-injection", 100, 4, 100, "os.system", frozenset({Origin(("ret", depth - 1))}),
                     "os.system(x)")
    return FunctionSummary("app.view", "app.py", 1, (), EMPTY, (sink,), calls)


def test_a_source_nested_in_many_calls_reaches_the_sink_once() -> None:
    flows = resolve_flows([_summary(10)])
    assert len(flows) == 1
    flow = flows[0]
    assert flow.sink.kind == "command-injection"
    assert flow.source.base == SOURCE.base
    assert "command-injection" not in flow.source.cleansed


def test_resolution_does_not_depend_on_other_summaries_resolved_first() -> None:
    alone = resolve_flows([_summary(11)])
    other = FunctionSummary("app.other", "app.py", 200, (), EMPTY, (), _nested_calls(11))
    together = resolve_flows([other, _summary(11)])
    assert [(f.sink, f.source) for f in alone] == [(f.sink, f.source) for f in together]


def test_deep_nesting_is_cut_off_not_exhausted() -> None:
    # deeper than the resolver follows: the source is not reported rather than searched for minutes
    flows = resolve_flows([_summary(40)])
    assert all(flow.source.base == SOURCE.base for flow in flows)

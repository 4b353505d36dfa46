"""Optional window ends of a list helper, and whether a call leaves them empty (rules/python/_window_params.py)."""
from __future__ import annotations

from servicelens import ir
from servicelens.analysis.python_file import lower_python
from servicelens.rules.python._window_params import Passed, optional_window, passed
from servicelens.rules.python.perf_common import PerfContext
from servicelens.rules.python.perf_orm import statement_parts
from servicelens.sources.parsing import ParserPool
from servicelens.taint.models import load_models

_SOURCE = '''
class Store:
    def page_after(self, owner, after=None):
        return after

    def filled(self, owner, since=None):
        since = since or default_cutoff()
        return since

    def required(self, owner, start, end=None):
        return start

    @staticmethod
    def plain(owner, until=None):
        return until


def caller(owner, since=None, days: int = 7, mode=Query(None)):
    picked = request.args.get("since")
    given = request.args.get("since", "2024-01-01")
    store.page_after(owner)
    store.page_after(owner, since)
    store.page_after(owner, picked)
    store.page_after(owner, given)
    store.page_after(owner, after=mode)
    store.page_after(owner, after=days)
    store.page_after(*rest)


def built(session, owner, since=None):
    stmt = select(Event).where(Event.owner_id == owner)
    if since is not None:
        stmt = stmt.where(Event.at >= since)
    return session.scalars(stmt.order_by(Event.at)).all()
'''


def _lowered():
    text = _SOURCE
    lowered = lower_python("app/store.py", text, tuple(text.splitlines()), ParserPool(), load_models("python"),
                           frozenset())
    return lowered.module, lowered.scope


def _function(module: ir.Module, qualname: str) -> ir.Function:
    return next(f for f in module.functions if f.qualname == qualname)


def test_window_ends_defaulting_to_none_are_the_helpers_optional_window() -> None:
    module, scope = _lowered()
    ctx = PerfContext.shared(module, scope)
    window = {name: optional_window(_function(module, name), ctx.view(_function(module, name)).assigns)
              for name in ("Store.page_after", "Store.filled", "Store.required", "Store.plain", "caller")}
    assert window["Store.page_after"] == ((1, "after"),)  # `self` is not an argument of the call
    assert window["Store.filled"] is None  # the helper fills the window itself
    assert window["Store.required"] is None  # the caller must give one end
    assert window["Store.plain"] == ((1, "until"),)  # a static method takes no `self`
    assert window["caller"] == ((1, "since"),)


def test_a_call_leaves_the_window_open_with_nothing_none_or_an_optional_request_value() -> None:
    module, scope = _lowered()
    caller = _function(module, "caller")
    assigns = PerfContext.shared(module, scope).view(caller).assigns
    calls = [node for stmt in caller.body if isinstance(stmt, ir.ExprStmt) for node in [stmt.value]
             if isinstance(node, ir.Call)]
    window = ((1, "after"),)
    opened = [passed(call, caller, assigns).leaves_open(window) for call in calls]
    # left out, the caller's optional parameter, a lookup with no default, a default-less Query(None)
    assert opened == [True, True, True, False, True, False, False]


def test_a_spread_call_is_never_read_as_leaving_the_window_open() -> None:
    assert not Passed(spread=True).leaves_open(((0, "since"),))
    assert Passed((False,)).leaves_open(())


def test_a_statement_built_in_steps_is_read_down_to_its_first_binding() -> None:
    module, scope = _lowered()
    built = _function(module, "built")
    view = PerfContext.shared(module, scope).view(built)
    run = next(node for node in ir.walk_expr(built.body[-1].value) if isinstance(node, ir.Call)
               and ir.last_name(node.func) == "scalars")
    parts = statement_parts(run.args[0], view, built)
    started = [n for part in parts for n in ir.walk_expr(part) if isinstance(n, ir.Call) and ir.last_name(n.func) == "select"]
    assert len(started) == 1  # `select(Event)`, two bindings before the call
    filters = [n for part in parts for n in ir.walk_expr(part) if isinstance(n, ir.Call) and ir.last_name(n.func) == "where"]
    assert len(filters) == 2  # the first binding's and the conditional refinement's

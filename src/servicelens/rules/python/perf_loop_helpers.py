"""A loop that calls, once per item, a project function that runs a query.

## What it finds
Inside a `for` loop or comprehension over data whose size the code does not fix: a call to a
project function (imported from another module, a method of a declared repository, a sibling
method) whose body runs a database statement (`conn.execute(select(...))`,
`session.scalars(...)`, `Model.objects.get(...)`, `session.get(Model, id)`). The getter looks
harmless at the call site; the round trip it hides runs once per item.

## Why it matters
Each iteration waits a network round trip (0.5-2 ms): a page of 200 rows costs 200 extra
queries and up to 0.4 s, where one `WHERE id IN (...)` or a join costs one.

## Example
```python
for payout in rows:
    items.append(serialize(payout, repo.get_beneficiary(conn, payout["beneficiary_id"])))
```
Use instead:
```python
owners = repo.get_beneficiaries(conn, {p["beneficiary_id"] for p in rows})  # one IN query
for payout in rows:
    items.append(serialize(payout, owners.get(payout["beneficiary_id"])))
```

## Fix
Fetch what the loop needs in one query before it (an `IN` list, a join, `selectinload`), then
look the items up in a dict.

## Known problems
When the loop walks rows an earlier query read (in the loop's function, or returned by a
project function that runs one) and the call is handed the row, the finding is an N+1
(`n-plus-one-query`): one query per row of that query. Only a query in the called function's own
body is seen, not one two calls further down; a statement object built into a local and run there
(`stmt = select(Line).where(...)`; `await self.session.scalars(stmt)`, the SQLAlchemy 2.0 style)
is such a query when it is a SELECT (`_sa_statements.executed_statement`). A
getter that caches its result (decorated `lru_cache`/`cache`/`cached`) is left out; a cache
inside its body is not seen. Loops whose length the code fixes are left out the same way as
for queries written in the loop (see `_loop_bounds.bounded_iterable`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python._sa_statements import executed_statement
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, calls_into, function_key
from servicelens.rules.python.perf_common import PerfContext, method_of, reviewable
from servicelens.rules.python.perf_query_in_loop import _batch_loop, _fixed_size, _one_off, _on_manager
from servicelens.rules.python.rel_shared import chain
from servicelens.taint.scope import ModuleScope

_RUNS = frozenset({"execute", "scalars", "scalar", "fetch", "fetchrow", "fetchval", "fetchone", "fetchall"})
_STATEMENTS = frozenset({"select", "text"})
_ORM_READS = frozenset({"get", "first", "last", "filter", "count", "exists", "aget", "afirst"})
_SELECT = re.compile(r"(?is)^\s*select\b")


@dataclass(frozen=True, slots=True)
class Query:
    key: str
    path: str
    line: int
    code: str


@dataclass(frozen=True, slots=True)
class LoopCall:
    path: str
    line: int
    end_line: int
    loop_line: int
    callee: str
    code: str
    loop_code: str
    caller: str
    # the loop walks rows an earlier query read (here, or in the project function named), and the
    # call is handed the row: one query per row of that query is an N+1
    rows_query: bool = False
    rows_from: str = ""


@dataclass(frozen=True, slots=True)
class _Facts:
    queries: tuple[Query, ...]
    calls: tuple[LoopCall, ...]


_NOTHING = _Facts((), ())  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> _Facts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> _Facts:
    if not reviewable(module) or _one_off(module.path):
        return _Facts((), ())
    queries = tuple(q for f in module.functions if (q := _query(module, scope, f)) is not None)
    return _Facts(queries, tuple(_loop_calls(module, scope)))


def _query(module: ir.Module, scope: ModuleScope, function: ir.Function) -> Query | None:
    """The first statement the function runs, unless it caches what it returns."""
    if any("cache" in name.lower() for d in function.decorators for name in chain(d)):
        return None
    index = file_index(module, scope)
    assigns = {stmt.targets[0].id: stmt.value for stmt in index.walk_stmts(function.body)
               if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name)
               and stmt.value is not None}
    for call in index.block_of_kind(function.body, ir.Call):
        if _runs_query(call) or _reads(executed_statement(call, assigns, scope, function)):
            return Query(function_key(scope, function), module.path, call.line, module.line_text(call.line))
    return None


def _runs_query(call: ir.Call) -> bool:
    method = method_of(call)
    if method in _RUNS and call.args:
        first = call.args[0]
        if isinstance(first, ir.Const) and isinstance(first.value, str):
            return bool(_SELECT.match(first.value))
        return isinstance(first, ir.Call) and bool(_STATEMENTS & set(chain(first)))
    if method in _ORM_READS and isinstance(call.func, ir.Attr) and _on_manager(call.func.value):
        return method != "filter"
    if method == "get" and len(call.args) == 2 and isinstance(call.args[0], ir.Name) \
            and call.args[0].id[:1].isupper() and isinstance(call.func, ir.Attr) \
            and re.search(r"(?i)(session|db)$", ir.dotted_name(call.func.value) or ""):
        return True
    return False


def _loop_calls(module: ir.Module, scope: ModuleScope) -> Iterable[LoopCall]:
    ctx = PerfContext.shared(module, scope)
    index = file_index(module, scope)
    for function, view in ctx.bodies():
        if function is None:
            continue
        fixed: dict[int, bool] = {}
        for site in view.sites:
            loop = site.loop
            if loop is None or loop.iter is None or site.deferred or _batch_loop(loop) or _runs_query(site.call):
                continue
            callee = callee_name(site.call, scope, function)
            if callee is None:
                continue
            if id(loop) not in fixed:
                fixed[id(loop)] = _fixed_size(loop, view.loops, module, function, index, True)
            if not fixed[id(loop)]:
                uses_row = any(isinstance(n, ir.Name) and n.id in loop.targets for n in ir.walk_expr(site.call))
                source = _rows_source(loop.iter, view) if uses_row else None
                rows_from = callee_name(source, scope, function) if source is not None else None
                yield LoopCall(module.path, site.call.line, site.call.end_line or site.call.line, loop.line,
                               callee[0], module.line_text(site.call.line), module.line_text(loop.line),
                               function_key(scope, function),
                               source is not None and _reads_rows(source, view.assigns, scope, function),
                               rows_from[0] if rows_from is not None else "")


def _reads(constructor: str | None) -> bool:
    """A SELECT-family statement (`sqlalchemy.select`, `union`, `exists`): a read per item, which one
    IN list or join replaces; writes per item are left to query-in-loop's own judgement."""
    return constructor is not None and constructor.rpartition(".")[2] in ("select", "union", "union_all", "exists")


def _reads_rows(call: ir.Call, assigns: Mapping[str, ir.Expr], scope: ModuleScope, function: ir.Function) -> bool:
    """The call runs a query, itself or earlier in its method chain (`session.exec(select(Hero)).all()`,
    `(await session.scalars(stmt)).all()`)."""
    node: ir.Expr = call
    while True:
        node = node.value if isinstance(node, ir.Await) else node
        if not isinstance(node, ir.Call):
            return False
        if _runs_query(node) or _reads(executed_statement(node, assigns, scope, function)):
            return True
        node = node.func.value if isinstance(node.func, ir.Attr) else node.func


def _rows_source(iterable: ir.Expr, view) -> ir.Call | None:  # type: ignore[no-untyped-def]
    """The call that produced what a loop walks: `for row in await conn.fetch(...)`, or `rows =
    await repo.page(...)` then `for row in rows`."""
    node = iterable.value if isinstance(iterable, ir.Await) else iterable
    if isinstance(node, ir.Name) and node.id in view.assigns:
        node = view.assigns[node.id]
        node = node.value if isinstance(node, ir.Await) else node
    return node if isinstance(node, ir.Call) else None


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, _Facts)]
    queries: CalleeIndex[Query] = CalleeIndex((q.key, q) for f in facts for q in f.queries)
    calls = (call for fact in facts for call in fact.calls)
    for call, query in calls_into(calls, queries, lambda call, query: query.key == call.caller):
        over_rows = call.rows_query or (bool(call.rows_from) and queries.get(call.rows_from) is not None)
        yield _finding(call, query, "n-plus-one-query" if over_rows else "query-in-loop")


def _finding(call: LoopCall, query: Query, concern: str) -> Finding:
    name = query.key.rsplit(".", 1)[-1]
    return make_finding(
        concern, Location(call.path, call.line, call.end_line),
        f"`{name}()` inside a loop: one query per item",
        f"`{name}()` runs a query ({query.code.strip()[:80]}), and the loop calls it once per item: each iteration "
        "waits a database round trip (0.5-2 ms), so 200 items cost 200 queries where one IN list or join costs one.",
        confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(call.path, call.loop_line), "loop", call.loop_code),
                  TraceStep(Location(call.path, call.line), f"calls `{name}()` per item", call.code),
                  TraceStep(Location(query.path, query.line), "which runs a query", query.code)),
        fix=Fix("Fetch what the loop needs in one query before it (an IN list or a join) and look items up in a dict.",
                "", ""),
        rule=RULE.id, key=f"helper:{query.key}",
    )


RULE = Rule("py-perf-query-in-loop-helpers", frozenset({"query-in-loop", "n-plus-one-query"}), "python", no_findings,
            collect=collect, combine=combine)

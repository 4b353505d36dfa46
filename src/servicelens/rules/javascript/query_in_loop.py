"""Query in a loop: an awaited database call inside a `for` loop over data whose size the code
does not fix: one round trip per item.

## What it finds
A `for`/`for...of` loop whose body awaits a data-access call (`pool.query`, `repo.findOne`,
`prisma.x.findUnique`, `Model.create`, ...; method names in models/node/rules.yaml) while the
loop runs over something that grows with the data or the caller: query results, request
input, parameters. When the loop runs over the rows of an earlier query and the inner call
uses the row, it is reported as an N+1 query. Loops over a literal list, a module-level
constant or a small `range` are bounded and not reported. A callback run per row of an earlier
query (`rows.map(async (row) => ...)`, `forEach`) that queries with the row is an N+1 query too.

## Why it matters
Each iteration waits a full round trip to the database: 500 rows are 500 sequential queries,
so the endpoint's latency grows with the data and the connection pool is held throughout.

## Example
```js
for (const order of orders) {
  order.customer = await Customer.findByPk(order.customerId);
}
```
Use instead:
```js
const customers = await Customer.findAll({ where: { id: orders.map((o) => o.customerId) } });
const byId = new Map(customers.map((c) => [c.id, c]));
for (const order of orders) order.customer = byId.get(order.customerId);
```

## Fix
Load what the loop needs in one query (`WHERE id = ANY($1)`, `IN (...)`, `findMany({ where:
{ id: { in: ids } } })`, a join or `relations`), or write many rows with one multi-row insert.

## Known problems
Judged by method names; a data-access helper of the project called in a loop is not seen.
`while` loops (cursors, pagination) are not reported.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.javascript._node import knowledge, location
from servicelens.rules.python._common import is_dev_path
from servicelens.rules.python._loop_bounds import bounded_iterable
from servicelens.taint.scope import ModuleScope


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    methods = knowledge().data_access_methods
    functions = {f.qualname: f for f in module.functions}
    for function, body in all_bodies(module):
        fetched = _fetched_rows(body, methods)
        if function is not None:
            yield from _per_row_callbacks(module, function, body, fetched, functions, methods)
        for loop in ir.walk_stmts(body):
            if not isinstance(loop, ir.For) or bounded_iterable(loop.iter, module, function):
                continue
            found = next(_awaited_queries(loop.body, methods), None)
            if found is None:
                continue
            awaited, call = found
            per_row = isinstance(loop.iter, ir.Name) and loop.iter.id in fetched and _uses(awaited, loop.target)
            concern = "n-plus-one-query" if per_row else "query-in-loop"
            shown = ir.dotted_name(call.func) or call.func.attr  # type: ignore[union-attr]
            yield make_finding(
                concern, location(module, call),
                f"`{shown}` runs once per {'row of an earlier query' if per_row else 'item of the loop'}",
                "Each iteration waits for its own database round trip: the time grows with the number of items "
                "and a pooled connection is held throughout.",
                severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
                fix=Fix("Load what the loop needs in one query (an IN/ANY list, a join or relations), or write "
                        "the rows with one multi-row statement.",
                        "const rows = await db.query('SELECT * FROM items WHERE id = ANY($1)', [ids]);\n"
                        "const byId = new Map(rows.rows.map((r) => [r.id, r]));", "javascript"),
                rule=RULE.id, key=f"{function.qualname if function else '<module>'}|{shown}|{concern}",
            )


def _awaited_queries(body: tuple[ir.Stmt, ...], methods: frozenset[str]) -> Iterator[tuple[ir.Expr, ir.Call]]:
    """(the awaited chain, its data-access call) for every awaited query."""
    for stmt in ir.walk_stmts(body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Await) and _query(node.value, methods) is not None:
                    yield node.value, _query(node.value, methods)  # type: ignore[misc]


def _per_row_callbacks(module: ir.Module, function: ir.Function, body: tuple[ir.Stmt, ...], fetched: frozenset[str],
                       functions: dict[str, ir.Function], methods: frozenset[str]) -> Iterator[Finding]:
    """`Promise.all(orders.map(async (o) => prisma.item.findMany({ where: { orderId: o.id } })))`:
    a callback run once per row of an earlier query that queries with the row."""
    for stmt in ir.walk_stmts(body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if not (isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _PER_ITEM
                        and isinstance(node.func.value, ir.Name) and node.func.value.id in fetched and node.args
                        and isinstance(node.args[0], ir.Name)):
                    continue
                callback = functions.get(f"{function.qualname}.<locals>.{node.args[0].id}")
                if callback is None or not callback.params:
                    continue
                row = ir.Name(callback.line, 0, callback.params[0].name)
                found = next(((a, c) for a, c in _returned_or_awaited(callback.body, methods) if _uses(a, row)), None)
                if found is None:
                    continue
                call = found[1]
                shown = ir.dotted_name(call.func) or call.func.attr  # type: ignore[union-attr]
                yield make_finding(
                    "n-plus-one-query", location(module, call), f"`{shown}` runs once per row of an earlier query",
                    "Each row costs its own database round trip (in parallel they still take N connections or "
                    "queue on the pool): the time and load grow with the number of rows.",
                    severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
                    fix=Fix("Load what the rows need in one query (an IN/ANY list, a join or the ORM's relations), "
                            "then attach it in memory.",
                            "const items = await prisma.item.findMany({ where: { orderId: { in: orders.map((o) => o.id) } } });",
                            "javascript"),
                    rule=RULE.id, key=f"{function.qualname}|{shown}|n-plus-one-query",
                )


_PER_ITEM = frozenset({"map", "forEach", "flatMap"})


def _returned_or_awaited(body: tuple[ir.Stmt, ...], methods: frozenset[str]) -> Iterator[tuple[ir.Expr, ir.Call]]:
    yield from _awaited_queries(body, methods)
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            call = _query(stmt.value, methods)
            if call is not None:
                yield stmt.value, call


def _fetched_rows(body: tuple[ir.Stmt, ...], methods: frozenset[str]) -> frozenset[str]:
    """Variables assigned the awaited result of a data-access call (`const rows = await repo.find()`)."""
    found = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Await) and (
                _query(stmt.value.value, methods) or _table_query(stmt.value.value)):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(found)


def _query(expr: ir.Expr, methods: frozenset[str]) -> ir.Call | None:
    """The data-access call of an awaited chain (`Post.find().limit(50)`: `Post.find`)."""
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
        if expr.func.attr in methods:
            return expr
        expr = expr.func.value
    return None


def _table_query(expr: ir.Expr) -> bool:
    """A query-builder chain started on a table (`knex('orders').select('*').limit(50)`)."""
    builder = knowledge().builder_methods | knowledge().builder_bounds
    names: list[str] = []
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
        names.append(expr.func.attr)
        expr = expr.func.value
    return bool(names) and all(n in builder for n in names) and isinstance(expr, ir.Call) \
        and len(expr.args) == 1 and isinstance(expr.args[0], ir.Const) and isinstance(expr.args[0].value, str)


def _uses(awaited: ir.Expr, target: ir.Expr) -> bool:
    """An argument anywhere in the awaited chain (`db('c').where({ id: row.cid }).first()`) reads
    the loop's item."""
    names = {n.id for n in ir.walk_expr(target) if isinstance(n, ir.Name)}
    expr = awaited
    while isinstance(expr, ir.Call):
        if any(isinstance(n, ir.Name) and n.id in names for arg in expr.args for n in ir.walk_expr(arg)):
            return True
        if not isinstance(expr.func, ir.Attr):
            break
        expr = expr.func.value
    return False


RULE = Rule("js-query-in-loop", frozenset({"query-in-loop", "n-plus-one-query"}), "javascript", check,
            requires=("for", ".map(", "foreach(", "flatmap("))

"""Query in a loop: an awaited database call inside a `for` loop over data whose size the code
does not fix: one round trip per item.

## What it finds
A `for`/`for...of` loop whose body awaits a data-access call (`pool.query`, `repo.findOne`,
`prisma.x.findUnique`, `Model.create`, ...; method names in models/node/rules.yaml) while the
loop runs over something that grows with the data or the caller: query results, request
input, parameters. When the loop runs over the rows of an earlier query and the inner call
uses the row, it is reported as an N+1 query. Loops over a literal list, a module-level
constant or a small `range` are bounded and not reported.

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
    for function, body in all_bodies(module):
        fetched = _fetched_rows(body, methods)
        for loop in ir.walk_stmts(body):
            if not isinstance(loop, ir.For) or bounded_iterable(loop.iter, module, function):
                continue
            call = next(_awaited_queries(loop.body, methods), None)
            if call is None:
                continue
            per_row = isinstance(loop.iter, ir.Name) and loop.iter.id in fetched and _uses(call, loop.target)
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


def _awaited_queries(body: tuple[ir.Stmt, ...], methods: frozenset[str]) -> Iterator[ir.Call]:
    for stmt in ir.walk_stmts(body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Await) and _query(node.value, methods) is not None:
                    yield _query(node.value, methods)  # type: ignore[misc]


def _fetched_rows(body: tuple[ir.Stmt, ...], methods: frozenset[str]) -> frozenset[str]:
    """Variables assigned the awaited result of a data-access call (`const rows = await repo.find()`)."""
    found = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Await) and _query(stmt.value.value, methods):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(found)


def _query(expr: ir.Expr, methods: frozenset[str]) -> ir.Call | None:
    """The data-access call of an awaited chain (`Post.find().limit(50)`: `Post.find`)."""
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
        if expr.func.attr in methods:
            return expr
        expr = expr.func.value
    return None


def _uses(call: ir.Call, target: ir.Expr) -> bool:
    names = {n.id for n in ir.walk_expr(target) if isinstance(n, ir.Name)}
    return any(isinstance(n, ir.Name) and n.id in names for arg in call.args for n in ir.walk_expr(arg))


RULE = Rule("js-query-in-loop", frozenset({"query-in-loop", "n-plus-one-query"}), "javascript", check,
            requires=("for",))

"""Unbounded query: a list query awaited without any limit, so it returns every matching row.

## What it finds
An awaited `repo.find()`, `Model.findAll({...})`, `prisma.x.findMany({...})` or Mongoose/MongoDB
`find(filter)` with no row limit: no `take`/`limit` option and no chained `.limit()` (names in
models/node/rules.yaml). A filter on the primary key (`id`, `_id`) or an `$in` list is bounded
by the keys given and not reported.

## Why it matters
The table grows; the query does not stop. One request loads every row into memory, serialises
it and holds a connection meanwhile: latency and memory grow with the data until the process
falls over, and a client can ask for it again and again.

## Example
```js
router.get('/orders', requireAuth, async (req, res) => {
  res.json(await Order.find({ userId: req.user.id }));
});
```
Use instead:
```js
router.get('/orders', requireAuth, async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 50, 100);
  res.json(await Order.find({ userId: req.user.id }).sort({ _id: -1 }).limit(limit));
});
```

## Fix
Page the results: a `take`/`limit` with a maximum, and a cursor or offset the client passes.

## Known problems
Judged by the call alone: a table known to stay small (a few settings rows) is reported; a
limit applied later in memory is not seen.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.javascript._node import knowledge, location
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

_KEYS = frozenset({"id", "_id", "pk", "uuid"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    known = knowledge()
    for function, body in all_bodies(module):
        if function is None:
            continue
        for stmt in ir.walk_stmts(body):
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if not isinstance(node, ir.Await):
                        continue
                    call = _unbounded(node.value, known.list_queries, known.limit_options, known.limit_calls)
                    if call is None:
                        continue
                    shown = ir.dotted_name(call.func) or call.func.attr  # type: ignore[union-attr]
                    yield make_finding(
                        "unbounded-query", location(module, call), f"`{shown}` returns every matching row",
                        "Nothing limits how many rows come back: memory, latency and the connection held grow "
                        "with the table.",
                        severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
                        fix=Fix("Page the query: a `take`/`limit` with a maximum and a cursor or offset.",
                                "const limit = Math.min(Number(req.query.limit) || 50, 100);\n"
                                "const rows = await repo.find({ where, order: { id: 'DESC' }, take: limit });",
                                "javascript"),
                        rule=RULE.id, key=f"{function.qualname}|{shown}",
                    )


def _unbounded(expr: ir.Expr, lists: frozenset[str], options: frozenset[str],
               limits: frozenset[str]) -> ir.Call | None:
    """The list call of an awaited chain when nothing in the chain (before or after it) bounds it:
    `Order.find(q).limit(20)`, `new Query(T).limit(1).find()`."""
    chain: list[ir.Call] = []
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
        chain.append(expr)
        expr = expr.func.value
    if any(call.func.attr in limits for call in chain):  # type: ignore[union-attr]
        return None
    listing = next((call for call in chain if call.func.attr in lists), None)  # type: ignore[union-attr]
    if listing is None or any(_bounded(arg, options) for arg in listing.args):
        return None
    return listing


def _bounded(arg: ir.Expr, options: frozenset[str]) -> bool:
    """Options with a limit, or a filter on the primary key (one row, or the keys listed)."""
    if not isinstance(arg, ir.DictExpr):
        return True  # a variable or a builder: what it holds is not visible here
    for key, value in zip(arg.keys, arg.values):
        if key is None:
            return True  # `{...options}`
        if isinstance(key, ir.Const) and (key.value in options or key.value in _KEYS):
            return True
        if isinstance(key, ir.Const) and key.value == "where" and _bounded_where(value):
            return True
    return False


def _bounded_where(where: ir.Expr) -> bool:
    return isinstance(where, ir.DictExpr) and any(
        isinstance(k, ir.Const) and k.value in _KEYS for k in where.keys) or not isinstance(where, ir.DictExpr)


RULE = Rule("js-unbounded-query", frozenset({"unbounded-query"}), "javascript", check, requires=("find",))

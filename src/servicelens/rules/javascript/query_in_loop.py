"""Query in a loop: an awaited database call inside a `for` loop over data whose size the code
does not fix: one round trip per item.

## What it finds
A `for`/`for...of` loop whose body awaits a data-access call (`pool.query`, `repo.findOne`,
`prisma.x.findUnique`, `Model.create`, ...; method names in models/node/rules.yaml) while the
loop runs over something that grows with the data or the caller: query results, request
input, parameters. When the loop runs over the rows of an earlier query and the inner call
uses the row to read, it is reported as an N+1 query (a write per row, `update({ where: { id:
row.id } })`, is a query in a loop: batched by one multi-row statement, not by a join). Loops over a literal list, a module-level
constant or a small `range` are bounded and not reported. A callback run per row of an earlier
query (`rows.map(async (row) => ...)`, `forEach`) that reads with the row is an N+1 query too, and so
is a loop over a parameter declared as a list of an ORM's model type (`shipments: Shipment[]` with
`Shipment` from `@prisma/client`): the caller loaded those rows. A query followed by `return`,
`throw` or `break` in its block, or in an enclosing block once its own ends (not from inside a
`try` body, whose failure may be caught and the loop go on), runs at most once per loop and is
not reported (rules/python/_loop_exits.py, shared with the Python rule).

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

A project function called with the item in such a loop (or per-row callback) is judged by its
body: when it (or a function it awaits, a couple of calls deep) runs a query, the loop makes one
query per item (`for (const card of cards) await userService.profile(card.assigneeId)`,
`rows.map(async (o) => this.customers.byId(o.customerId))`); reported at the call. The loop walks
rows of an earlier query when it walks what a data-access call, or a project function that
queries, returned.

## Known problems
Judged by method names; a helper that answers from a cache before querying counts as querying.
`while` loops (cursors, pagination) are not reported.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule, all_bodies, contribution
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import knowledge, location
from servicelens.rules.python._common import is_dev_path
from servicelens.rules.python._loop_bounds import bounded_iterable
from servicelens.rules.python._loop_exits import exits_after
from servicelens.taint.scope import ModuleScope


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    methods = knowledge().data_access_methods
    functions = {f.qualname: f for f in module.functions}
    for function, body in all_bodies(module):
        fetched = _fetched_rows(body, methods) | _row_parameters(function, scope)
        if function is not None:
            yield from _per_row_callbacks(module, function, body, fetched, functions, methods)
        for loop in ir.walk_stmts(body):
            if not isinstance(loop, ir.For) or bounded_iterable(loop.iter, module, function):
                continue
            # a query followed by a `return`/`throw`/`break` runs at most once per loop
            found = next((f for f in _awaited_queries(loop.body, methods) if not exits_after(loop.body, f[1].line)),
                         None)
            if found is None:
                continue
            awaited, call = found
            per_row = isinstance(loop.iter, ir.Name) and loop.iter.id in fetched and _uses(awaited, loop.target) \
                and not _writes(call)
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
                concern = "query-in-loop" if _writes(call) else "n-plus-one-query"  # a write per row: to batch
                shown = ir.dotted_name(call.func) or call.func.attr  # type: ignore[union-attr]
                yield make_finding(
                    concern, location(module, call), f"`{shown}` runs once per row of an earlier query",
                    "Each row costs its own database round trip (in parallel they still take N connections or "
                    "queue on the pool): the time and load grow with the number of rows.",
                    severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
                    fix=Fix("Write the rows with one multi-row statement (`updateMany`, a multi-row INSERT or UPDATE).",
                            "await prisma.item.updateMany({ where: { id: { in: items.map((i) => i.id) } }, "
                            "data: { synced: true } });", "javascript")
                    if concern == "query-in-loop" else
                    Fix("Load what the rows need in one query (an IN/ANY list, a join or the ORM's relations), "
                        "then attach it in memory.",
                        "const items = await prisma.item.findMany({ where: { orderId: { in: orders.map((o) => o.id) } } });",
                        "javascript"),
                    rule=RULE.id, key=f"{function.qualname}|{shown}|{concern}",
                )


_PER_ITEM = frozenset({"map", "forEach", "flatMap"})


def _returned_or_awaited(body: tuple[ir.Stmt, ...], methods: frozenset[str]) -> Iterator[tuple[ir.Expr, ir.Call]]:
    yield from _awaited_queries(body, methods)
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            call = _query(stmt.value, methods)
            if call is not None:
                yield stmt.value, call


def _writes(call: ir.Call) -> bool:
    """A write (`update`, `save`, `create` ...: models/node/rules.yaml `row_writes`): one per row of an
    earlier query is a round trip to batch (query-in-loop), not the N+1 of reading what the rows
    refer to (as Python's rule says of a `save` per row)."""
    return isinstance(call.func, ir.Attr) and call.func.attr in knowledge().row_writes


def _row_parameters(function: ir.Function | None, scope: ModuleScope) -> frozenset[str]:
    """Parameters declared as a list of an ORM's model type (`shipments: Shipment[]` with `Shipment`
    from `@prisma/client`: models/node/rules.yaml `model_type_packages`): rows an earlier query loaded."""
    if function is None:
        return frozenset()
    packages = knowledge().model_type_packages
    found = set()
    for param in function.params:
        element = _array_element(param.annotation)
        head = (ir.dotted_name(element) or "").partition(".")[0] if element is not None else ""
        target = scope.imports.get(head, "") if head else ""
        if target and any(target == p or target.startswith(p + ".") for p in packages):
            found.add(param.name)
    return frozenset(found)


def _array_element(annotation: ir.Expr | None) -> ir.Expr | None:
    """`T[]`, `readonly T[]`, `Array<T>`, `ReadonlyArray<T>`: T."""
    while isinstance(annotation, ir.Opaque) and annotation.kind == "readonly_type" and annotation.children:
        annotation = annotation.children[0]
    if isinstance(annotation, ir.Opaque) and annotation.kind == "array_type" and annotation.children:
        return annotation.children[0]
    if isinstance(annotation, ir.Subscript) and ir.dotted_name(annotation.value) in ("Array", "ReadonlyArray"):
        return annotation.index
    return None


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


# ---------------------------------------------------------------- across functions


@dataclass(frozen=True, slots=True)
class LoopCall:
    """A project function called once per item of a loop (or a per-row callback) in function
    `holder`, with the item: `callee` is a project-wide name (`member:` for an injected member's
    method). `rows` names the project call whose result the loop walks, if any."""

    path: str
    line: int
    code: str
    holder: str
    callee: str
    rows: str
    per_row: bool  # the loop walks the rows of a query made here


@dataclass(frozen=True, slots=True)
class Facts:
    querying: tuple[str, ...]  # functions that run a data-access call
    forwards: tuple[tuple[str, str], ...]  # (function, project callee it awaits or returns)
    loops: tuple[LoopCall, ...]
    members: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()


def collect(module: ir.Module, scope: ModuleScope) -> Facts | None:
    if is_dev_path(module.path):
        return None
    methods = knowledge().data_access_methods
    functions = {f.qualname: f for f in module.functions}
    querying: list[str] = []
    forwards: list[tuple[str, str]] = []
    loops: list[LoopCall] = []
    for function in module.functions:
        key = f"{module.module_name}.{function.qualname}"
        if any(not _array_callback(call) for _, call in _returned_or_awaited(function.body, methods)) or any(
                _table_query(expr) for expr in _waited(function.body)):
            querying.append(key)
        for expr in _waited(function.body):
            if isinstance(expr, ir.Call):
                callee = calls.callee(module, scope, function, expr)
                if callee:
                    forwards.append((key, callee))
        loops.extend(_loop_calls(module, scope, function, functions, methods))
    facts = Facts(tuple(querying), tuple(sorted(set(forwards))), tuple(loops), tuple(calls.members(module, scope)),
                  tuple(calls.aliases(module)))
    return contribution(facts, Facts((), (), ()))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, Facts)]
    members = {member: held for f in facts for member, held in f.members}
    aliases = {alias: key for f in facts for alias, key in f.aliases}
    forwards: dict[str, set[str]] = {}
    for f in facts:
        for key, callee in f.forwards:
            forwards.setdefault(key, set()).add(callee)
    querying = set(key for f in facts for key in f.querying)

    def target(callee: str) -> str:
        return calls.dealiased(calls.resolved(callee, members), aliases)

    def queries(key: str, depth: int = 0) -> str:
        """The function (this one or one it awaits, a couple of calls deep) that runs the query."""
        if key in querying:
            return key
        if depth >= 2:
            return ""
        return next((found for callee in sorted(forwards.get(key, ())) if (t := target(callee)) != key
                     and (found := queries(t, depth + 1))), "")

    for f in facts:
        for loop in f.loops:
            callee = target(loop.callee)
            where = queries(callee) if callee else ""
            if not where:
                continue
            per_row = loop.per_row or bool(loop.rows and queries(target(loop.rows)))
            concern = "n-plus-one-query" if per_row else "query-in-loop"
            shown = loop.callee.removeprefix("member:").rsplit(".", 2)
            name = ".".join(shown[-2:])
            yield make_finding(
                concern, Location(loop.path, loop.line, loop.line),
                f"`{name}` queries the database once per {'row of an earlier query' if per_row else 'item of the loop'}",
                "The function called in the loop runs a query each time: the time grows with the number of items "
                "and a pooled connection is held throughout.",
                severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
                evidence=(TraceStep(Location(loop.path, loop.line, loop.line), "called once per item", loop.code),),
                fix=Fix("Give the called function the whole list and load what the loop needs in one query (an "
                        "IN/ANY list, a join or relations).",
                        "const items = await repo.findByIds(orders.map((o) => o.itemId));\n"
                        "const byId = new Map(items.map((i) => [i.id, i]));", "javascript"),
                rule=RULE.id, key=f"{loop.holder}|{name}|{concern}",
            )


def _waited(body: tuple[ir.Stmt, ...]) -> Iterator[ir.Expr]:
    """What a body awaits or returns (a promise handed back is waited for by the caller)."""
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            yield stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Await):
                    yield node.value


def _loop_calls(module: ir.Module, scope: ModuleScope, function: ir.Function, functions: dict[str, ir.Function],
                methods: frozenset[str]) -> Iterator[LoopCall]:
    """Project calls awaited with the item in an unbounded `for` loop that makes no query of its own
    (those `check` reports), and in a per-row callback (`rows.map(async (r) => svc.load(r.id))`)."""
    fetched = _fetched_rows(function.body, methods)
    results = _call_results(module, scope, function)
    key = f"{module.module_name}.{function.qualname}"
    for loop in ir.walk_stmts(function.body):
        if not isinstance(loop, ir.For) or bounded_iterable(loop.iter, module, function) \
                or next(_awaited_queries(loop.body, methods), None) is not None:
            continue
        for expr in _waited(loop.body):
            callee = calls.callee(module, scope, function, expr) if isinstance(expr, ir.Call) else ""
            if callee and _uses(expr, loop.target):
                iterated = loop.iter.id if isinstance(loop.iter, ir.Name) else ""
                yield LoopCall(module.path, expr.line, module.line_text(expr.line).strip(), key, callee,
                               results.get(iterated, ""), iterated in fetched)
                break
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if not (isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _PER_ITEM
                        and isinstance(node.func.value, ir.Name) and node.args and isinstance(node.args[0], ir.Name)):
                    continue
                rows = node.func.value.id
                if rows not in fetched and rows not in results:
                    continue  # a per-item callback over a list not read from the database
                callback = functions.get(f"{function.qualname}.<locals>.{node.args[0].id}")
                if callback is None or not callback.params or \
                        next(_returned_or_awaited(callback.body, methods), None) is not None:
                    continue
                row = ir.Name(callback.line, 0, callback.params[0].name)
                for expr in _waited(callback.body):
                    # an arrow callback's `this` is its method's: named from the enclosing function
                    callee = calls.callee(module, scope, function, expr) if isinstance(expr, ir.Call) else ""
                    if callee and _uses(expr, row):
                        yield LoopCall(module.path, expr.line, module.line_text(expr.line).strip(), key, callee,
                                       results.get(rows, ""), rows in fetched)
                        break


def _array_callback(call: ir.Call) -> bool:
    """`items.find((i) => i.key === key)`: an array method handed a callback, not a query."""
    return any(isinstance(arg, ir.Lambda) or (isinstance(arg, ir.Name) and arg.id.startswith("<anon"))
               for arg in call.args)


def _call_results(module: ir.Module, scope: ModuleScope, function: ir.Function) -> dict[str, str]:
    """Variables assigned the awaited result of a project call (`const orders = await this.orders.list()`)."""
    found: dict[str, str] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Await) and isinstance(stmt.value.value, ir.Call):
            callee = calls.callee(module, scope, function, stmt.value.value)
            if callee:
                found.update((t.id, callee) for t in stmt.targets if isinstance(t, ir.Name))
    return found


# no `requires`: a repository method that only queries holds no loop, and is what makes a loop
# elsewhere that calls it a query per item
RULE = Rule("js-query-in-loop", frozenset({"query-in-loop", "n-plus-one-query"}), "javascript", check,
            collect=collect, combine=combine)

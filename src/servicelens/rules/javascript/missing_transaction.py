"""Missing transaction: one operation writes rows of two different tables (or stores) in
separate statements with no transaction around them.

## What it finds
A function that awaits writes (`save`, `update`, `insert`, `create`, `destroy`, ...: names in
models/node/rules.yaml) on two or more different repositories, models or tables, outside any
transaction (`dataSource.transaction`, `sequelize.transaction`, `prisma.$transaction`,
`session.withTransaction`, a query runner, a raw `BEGIN`). A write handed a transaction
(`{ transaction }`, Sequelize's option) runs in it; two writes in different branches of an
`if` or `switch` (or one before a `return` in its branch, the other after it) never run
together.

## Why it matters
When the second write fails (a constraint, a timeout, a deploy), the first has already been
committed: the order is cancelled but its invoice is still open, the money left one account
and never reached the other. Nothing rolls it back and nobody is told.

## Example
```js
await orders.update(id, { status: 'cancelled' });
await invoices.update({ orderId: id }, { state: 'void' });
```
Use instead:
```js
await dataSource.transaction(async (tx) => {
  await tx.getRepository(Order).update(id, { status: 'cancelled' });
  await tx.getRepository(Invoice).update({ orderId: id }, { state: 'void' });
});
```

## Fix
Run the writes in one transaction with the ORM's transaction helper, passing its manager or
client to every write.

## Known problems
Writes to a log or audit table next to the main write are reported too; writes inside helper
functions are not seen.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import knowledge, location
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    known = knowledge()
    for function in module.functions:
        if ".<locals>." in function.qualname and _in_transaction(module, function, known.transaction_calls):
            continue
        writes: list[tuple[str, ir.Call, _Path]] = []
        opened = False
        for stmt, path in _paths(function.body):
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.Call) and (ir.last_name(node.func) in known.transaction_calls
                                                      or _begins(node)):
                        opened = True
                    if isinstance(node, ir.Await) and isinstance(node.value, ir.Call) \
                            and isinstance(node.value.func, ir.Attr) and node.value.func.attr in known.row_writes \
                            and not _given_transaction(node.value):
                        target = ir.dotted_name(node.value.func.value) or ""
                        if target:
                            writes.append((target, node.value, path))
        pair = None if opened else _together(writes)
        if pair is None:
            continue
        first, second = pair
        names = " and ".join(f"`{ir.dotted_name(c.func)}`" for c in (first, second))
        yield make_finding(
            "missing-transaction", location(module, second),
            f"{names} are committed separately, with no transaction around them",
            "If the second write fails the first stays committed: the stored data is left half-changed and "
            "nothing rolls it back.",
            severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
            fix=Fix("Run the writes in one transaction (the ORM's transaction helper), passing its manager or "
                    "client to each write.",
                    "await dataSource.transaction(async (tx) => {\n  // the same writes, through tx\n});",
                    "javascript"),
            rule=RULE.id, key=f"{function.qualname}|{names}",
        )


# where a statement sits: the (if statement, branch) pairs on the way to it
_Path = tuple[tuple[int, int], ...]


def _paths(body: tuple[ir.Stmt, ...], path: _Path = ()) -> Iterator[tuple[ir.Stmt, _Path]]:
    """Every statement with its branches. An `if` whose branch always leaves the function
    (`return`, `throw`) puts what follows it in the other branch: `if (a) { await x.save();
    return; } await y.save();` never runs both writes."""
    rest_path = path
    for stmt in body:
        yield stmt, rest_path
        if isinstance(stmt, ir.If):
            for index, block in enumerate((stmt.body, stmt.orelse)):
                yield from _paths(block, rest_path + ((id(stmt), index),))
            exits = [_leaves(stmt.body), _leaves(stmt.orelse)]
            if exits[0] != exits[1]:  # only one branch carries on: what follows is that branch's
                rest_path = rest_path + ((id(stmt), exits.index(False)),)
            continue
        for block in ir.child_blocks(stmt):
            yield from _paths(block, rest_path)


def _leaves(block: tuple[ir.Stmt, ...]) -> bool:
    """The block ends by leaving the function."""
    return bool(block) and isinstance(block[-1], (ir.Return, ir.Raise))


def _together(writes: list[tuple[str, ir.Call, _Path]]) -> tuple[ir.Call, ir.Call] | None:
    """The first two writes to different targets that one run can make: not in different
    branches of the same `if` (or of a `switch`, lowered as one)."""
    for i, (target, call, path) in enumerate(writes):
        for other, later, other_path in writes[i + 1:]:
            if other != target and not _exclusive(path, other_path):
                return call, later
    return None


def _exclusive(a: _Path, b: _Path) -> bool:
    branches = dict(a)
    return any(key in branches and branches[key] != index for key, index in b)


def _given_transaction(call: ir.Call) -> bool:
    """Sequelize's contract: a write handed `{ transaction }` (or `transaction: t`) runs in it."""
    return any(isinstance(arg, ir.DictExpr) and any(isinstance(k, ir.Const) and k.value == "transaction"
                                                    for k in arg.keys)
               for arg in (*call.args, *(kw.value for kw in call.kwargs)))


def _begins(call: ir.Call) -> bool:
    """`client.query('BEGIN')`."""
    return bool(call.args) and isinstance(call.args[0], ir.Const) and isinstance(call.args[0].value, str) \
        and call.args[0].value.strip().upper().startswith(("BEGIN", "START TRANSACTION"))


def _in_transaction(module: ir.Module, function: ir.Function, transactions: frozenset[str]) -> bool:
    """A callback handed to a transaction helper (`dataSource.transaction(async (tx) => ...)`)."""
    parent_name = function.qualname.rpartition(".<locals>.")[0]
    parent = next((f for f in module.functions if f.qualname == parent_name), None)
    if parent is None:
        return False
    name = function.qualname.rpartition(".<locals>.")[2]
    return any(isinstance(node, ir.Call) and ir.last_name(node.func) in transactions
               and any(isinstance(a, ir.Name) and a.id == name for a in node.args)
               for stmt in ir.walk_stmts(parent.body) for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root))


RULE = Rule("js-missing-transaction", frozenset({"missing-transaction"}), "javascript", check)

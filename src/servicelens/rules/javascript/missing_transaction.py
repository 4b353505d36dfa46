"""Missing transaction: one operation writes rows of two different tables (or stores) in
separate statements with no transaction around them.

## What it finds
A function that awaits writes (`save`, `update`, `insert`, `create`, `destroy`, ...: names in
models/node/rules.yaml) on two or more different repositories, models or tables, outside any
transaction (`dataSource.transaction`, `sequelize.transaction`, `prisma.$transaction`,
`session.withTransaction`, a query runner, a raw `BEGIN`, or a callback handed to a project's own
helper named for one: `prismaService.$tx(async (prisma) => ...)`, `db.withTrx(...)`). A write handed a transaction
(`{ transaction }`, Sequelize's option) runs in it; two writes in different branches of an
`if` or `switch` (or one before a `return` in its branch, the other after it) never run
together, and two writes each in a `try` of its own whose `catch` logs and carries on are
independent steps the code lets fail alone (a job sending a usage meter, then syncing seats); so
is a write in such a `try` that also awaits work outside the database (an upload, an outbound
call): a best-effort side step recording what that work did (a message saved, then its attachment
uploaded and recorded in a block whose failure is logged: the message stands without it, and no
transaction covers the upload), paired with no write outside that `try`.

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

Across functions: a function that calls, one after the other, methods that each write a
different table with their own statement (a repository's `insert` and `insertItems` over a pool,
each committing on its own) is reported at the first call, unless it opens a transaction or hands
the calls a client. The called functions are found through the names an index module gives their
modules (`export * as payouts from './payoutRepository.js'`, `module.exports = { orders }`), as
the other cross-file rules find them (rules/javascript/_calls.py `aliases`).

## Known problems
Writes to a log or audit table next to the main write are reported too; across functions only
raw SQL writes of the called functions are seen, one call deep.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule, contribution, iter_calls
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import builder_table, knowledge, literal_text, location
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
        builders = _builders(function)
        undone = _compensated(module, function, known.compensating_calls)
        handled = _handled_alone(function.body)
        side = _side_steps(function.body, handled, known)
        for stmt, path in _paths(function.body):
            if id(stmt) in undone:
                continue
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.Call) and (ir.last_name(node.func) in known.transaction_calls
                                                      or _begins(node)):
                        opened = True
                    write = _awaited_write(node, known.row_writes) if isinstance(node, ir.Await) else None
                    if write is not None and not _given_transaction(write):
                        target = ir.dotted_name(write.func.value) or builder_table(write.func.value)  # type: ignore[union-attr]
                        if target and target not in builders:
                            # writes each in a `try` of its own that handles its failure and carries
                            # on: steps allowed to fail alone, as exclusive as two branches
                            alone = handled.get(id(stmt))
                            marks = ((_ALONE, alone),) + (((_SIDE, alone),) if alone in side else ()) if alone else ()
                            writes.append((target, write, path + marks))
        pair = None if opened else _together(writes)
        if pair is None:
            continue
        first, second = pair
        names = " and ".join(f"`{_shown(c)}`" for c in (first, second))
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


def _handled_alone(body: tuple[ir.Stmt, ...]) -> dict[int, int]:
    """Statements inside a `try` whose every `catch` carries on (logs, counts, does not rethrow or
    return), mapped to that `try`: `try { await meter.create(...) } catch (e) { log(e) }` and a
    second such `try` around another write are independent steps, each allowed to fail alone, not
    one change that must land whole (a job metering usage and then syncing seats, each on its own)."""
    found: dict[int, int] = {}
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Try) and stmt.handlers and not stmt.finalbody and all(
                not any(isinstance(inner, (ir.Raise, ir.Return)) for inner in ir.walk_stmts(h.body))
                for h in stmt.handlers):
            for inner in ir.walk_stmts(stmt.body):
                found[id(inner)] = id(stmt)  # the innermost such `try` wins: walked after its parent
    return found


def _side_steps(body: tuple[ir.Stmt, ...], handled: dict[int, int], known: object) -> frozenset[int]:
    """The `try`s handling their failure alone that also await work outside the database (an
    upload, an outbound call, a project helper that is no data access): a best-effort side step
    whose writes record what that work did. No transaction covers the work itself, and the writes
    before the block stand without it (a message saved, then its attachment uploaded and recorded)."""
    data = known.data_access_methods | known.row_writes  # type: ignore[attr-defined]
    found: set[int] = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Try) and any(handled.get(id(inner)) == id(stmt) for inner in stmt.body):
            awaited = [node.value for inner in ir.walk_stmts(stmt.body) for root in ir.stmt_exprs(inner)
                       for node in ir.walk_expr(root) if isinstance(node, ir.Await) and isinstance(node.value, ir.Call)]
            if any(not _data_chain(call, data) for call in awaited):
                found.add(id(stmt))
    return frozenset(found)


def _data_chain(call: ir.Call, data: frozenset[str]) -> bool:
    """Some call of the awaited chain is a data access (`repo.insert(...)`, `db('t').where(...).update(...)`)."""
    current: ir.Expr = call
    while isinstance(current, ir.Call):
        if ir.last_name(current.func) in data:
            return True
        current = current.func.value if isinstance(current.func, ir.Attr) else current.func
    return False


def _compensated(module: ir.Module, function: ir.Function, undo: frozenset[str]) -> frozenset[int]:
    """Statements of a `try` whose `catch` undoes what was written (`await grant.destroy()`,
    `repo.delete(id)`, a rollback, directly or in a callback it hands on) before failing: a write
    there that fails leaves nothing half-changed (and the undoing is no write to pair)."""
    found: set[int] = set()
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Try) or not stmt.handlers:
            continue
        first, last = stmt.handlers[0].line, max(getattr(h, "end_line", 0) or h.line for h in stmt.handlers)
        last = max([last] + [getattr(s, "end_line", 0) or s.line for h in stmt.handlers for s in ir.walk_stmts(h.body)])
        nested = [f.body for f in module.functions if f.qualname.startswith(function.qualname + ".<locals>.")
                  and first <= f.line <= last]
        bodies = [h.body for h in stmt.handlers] + nested
        if any(ir.last_name(call.func) in undo for body in bodies for call in iter_calls(body)):
            found.update(id(inner) for inner in ir.walk_stmts(stmt.body))
            found.update(id(inner) for h in stmt.handlers for inner in ir.walk_stmts(h.body))  # the undoing itself
    return frozenset(found)


def _builders(function: ir.Function) -> frozenset[str]:
    """Names the function calls as a query builder on a table (`db('orders')`): `db.destroy()` on
    one closes its pool, it deletes no row."""
    return frozenset(ir.dotted_name(call.func) or "" for call in iter_calls(function.body)
                     if isinstance(call.func, (ir.Name, ir.Attr)) and builder_table(call))


def _shown(call: ir.Call) -> str:
    dotted = ir.dotted_name(call.func)
    if dotted:
        return dotted
    table = builder_table(call.func.value) if isinstance(call.func, ir.Attr) else ""
    return f"{table}.{call.func.attr}" if table and isinstance(call.func, ir.Attr) else "write"


def _awaited_write(node: ir.Await, writes: frozenset[str]) -> ir.Call | None:
    """The write an awaited call chain makes: `repo.save(x)`, or a query builder's
    `db('orders').insert(row).returning('*')`, `db('events').where(...).decrement('seats', n)`."""
    expr = node.value
    while isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr):
        if expr.func.attr in writes:
            return expr
        if not isinstance(expr.func.value, ir.Call):
            return None
        expr = expr.func.value
    return None


# where a statement sits: the (if statement, branch) pairs on the way to it
_Path = tuple[tuple[int, int], ...]
# the pseudo-branch of a `try` that handles its writes' failure alone (`_handled_alone`): writes
# in two such `try`s are as exclusive as two branches of one `if`
_ALONE = -1
# the pseudo-branch of such a `try` that also awaits work outside the database (`_side_steps`)
_SIDE = -2


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
    """The first two writes to different targets, or to two different rows of one (a debit and
    a credit: `update({ where: { id: from } })`, `update({ where: { id: to } })`), that one run
    can make: not in different branches of the same `if` (or of a `switch`, lowered as one)."""
    for i, (target, call, path) in enumerate(writes):
        for other, later, other_path in writes[i + 1:]:
            if (other != target or _other_row(call, later)) and not _exclusive(path, other_path):
                return call, later
    return None


_ROW_UPDATES = frozenset({"update", "updateOne", "increment", "decrement"})


def _other_row(first: ir.Call, second: ir.Call) -> bool:
    """Two updates of one table keyed by different values the code holds."""
    if ir.last_name(first.func) not in _ROW_UPDATES or ir.last_name(second.func) not in _ROW_UPDATES:
        return False
    keys = _row_key(first), _row_key(second)
    return all(keys) and keys[0] != keys[1]


def _row_key(call: ir.Call) -> tuple[str, ...]:
    """The values a write's row filter names (`where: { id: from }` -> ("from",)), or its first
    argument when that is the key itself (`repo.update(id, changes)`)."""
    for arg in call.args:
        if isinstance(arg, ir.DictExpr):
            where = next((v for k, v in zip(arg.keys, arg.values) if isinstance(k, ir.Const) and k.value == "where"),
                         None)
            if isinstance(where, ir.DictExpr):
                held = tuple(ir.dotted_name(v) or "" for v in where.values)
                return held if all(held) else ()
    first = call.args[0] if call.args else None
    return (ir.dotted_name(first) or "",) if isinstance(first, (ir.Name, ir.Attr)) else ()


def _exclusive(a: _Path, b: _Path) -> bool:
    """Two writes one run never makes together, or that the code does not couple: branches of one
    `if`, or a write in a best-effort side step (`_side_steps`) and one outside that step (the
    writes inside one step still belong together)."""
    branches, others = dict(a), dict(b)
    if branches.get(_ALONE) != others.get(_ALONE) and (_SIDE in branches or _SIDE in others):
        return True
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
    """A callback handed to a transaction helper: the ORM's (`dataSource.transaction(async (tx) =>
    ...)`) or a project's own wrapper named for one (`this.prismaService.$tx(async (prisma) => ...)`,
    `db.runInTransaction(...)`, `withTx(...)`), which may be defined outside the review."""
    parent_name = function.qualname.rpartition(".<locals>.")[0]
    parent = next((f for f in module.functions if f.qualname == parent_name), None)
    if parent is None:
        return False
    name = function.qualname.rpartition(".<locals>.")[2]
    return any(isinstance(node, ir.Call) and _opens_transaction(ir.last_name(node.func), transactions)
               and any(isinstance(a, ir.Name) and a.id == name for a in node.args)
               for stmt in ir.walk_stmts(parent.body) for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root))


# words that name a transaction in a helper's name (`$tx`, `withTrx`, `runInTransaction`, `transactional`)
_TRANSACTION_WORDS = frozenset({"tx", "trx", "transaction", "transactional"})


def _opens_transaction(name: str | None, transactions: frozenset[str]) -> bool:
    if not name:
        return False
    if name in transactions:
        return True
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", name.lstrip("$_"))
    return any(word.lower() in _TRANSACTION_WORDS for word in words)


# ---------------------------------------------------------------- across functions
# (key, tables it writes itself, its awaited calls of other functions one after the other:
# (callee, line, handed a client or transaction), whether it opens a transaction)
_Writer = tuple[str, tuple[str, ...], tuple[tuple[str, int, bool], ...], bool]
_WRITE_SQL = re.compile(r"(?is)^\s*(?:insert\s+into|update|delete\s+from)\s+\"?(\w+)")
_CLIENTS = frozenset({"client", "tx", "trx", "transaction", "manager", "conn", "connection", "queryrunner", "session",
                      "t"})


def collect(module: ir.Module, scope: ModuleScope) -> tuple[tuple[_Writer, ...], tuple[tuple[str, str], ...],
                                                             tuple[tuple[str, str], ...]] | None:
    """Per function: the tables its own statements write, and the calls it makes in sequence; and
    the names other modules call this one's functions by (`export * as payouts from
    './payoutRepository'`: rules/javascript/_calls.aliases)."""
    if is_dev_path(module.path):
        return None
    known = knowledge()
    writers = []
    for function in module.functions:
        tables = tuple(dict.fromkeys(_written_tables(function)))
        sequence = tuple(_sequence(module, scope, function))
        opened = any(ir.last_name(c.func) in known.transaction_calls or _begins(c) for c in iter_calls(function.body))
        if tables or len(sequence) > 1:
            writers.append((f"{module.module_name}.{function.qualname}", tables, sequence, opened))
    return contribution((tuple(writers), tuple(calls.members(module, scope)),
                         tuple(calls.aliases(module)) + tuple(calls.exported_modules(module, scope))), ((), (), ()))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    """A function whose calls, one after the other, reach writes of two tables (in the functions
    it calls, each committing on its own): the invoice is saved and its items are not."""
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, tuple) and len(f) == 3]
    members = {member: held for _, found, _ in facts for member, held in found}
    names = {alias: key for _, _, found in facts for alias, key in found}
    writers = {w[0]: w for found, _, _ in facts for w in found}
    paths = {w[0]: path for path, fact in sorted(per_file.items()) if isinstance(fact, tuple) and len(fact) == 3
             for w in fact[0]}
    for key, _, sequence, opened in writers.values():
        if opened:
            continue
        seen: list[tuple[str, int, str]] = []
        for callee, line, handed in sequence:
            target = writers.get(calls.dealiased(calls.resolved(callee, members), names))
            if target is None or handed or target[3]:
                continue
            seen.extend((table, line, callee) for table in target[1])
        first = seen[0] if seen else None
        second = next((s for s in seen if first and s[0] != first[0] and s[1] != first[1]), None)
        if first is None or second is None:
            continue
        shown = [c.removeprefix("member:").rsplit(".", 2) for c in (first[2], second[2])]
        yield make_finding(
            "missing-transaction", Location(paths[key], first[1], first[1]),
            f"`{'.'.join(shown[0][-2:])}` and `{'.'.join(shown[1][-2:])}` write `{first[0]}` and `{second[0]}` "
            "in separate commits, with no transaction around them",
            "If the second write fails the first stays committed: the stored data is left half-changed and "
            "nothing rolls it back.",
            severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
            evidence=(TraceStep(Location(paths[key], first[1], first[1]), f"writes `{first[0]}`"),
                      TraceStep(Location(paths[key], second[1], second[1]), f"then writes `{second[0]}`")),
            fix=Fix("Open one transaction here and hand its client to both writes (pool.connect() with BEGIN/"
                    "COMMIT, or the ORM's transaction helper).",
                    "await withTransaction(async (client) => {\n  // the same writes, each handed client\n});",
                    "javascript"),
            rule=RULE.id, key=f"{key}|{first[0]}|{second[0]}",
        )


def _written_tables(function: ir.Function) -> Iterator[str]:
    """Tables written by this function's own statements, outside a transaction it was handed."""
    if any(p.name.lower() in _CLIENTS for p in function.params):
        return  # runs in the caller's transaction when the caller has one
    for call in iter_calls(function.body):
        if not isinstance(call.func, ir.Attr) or call.func.attr not in ("query", "execute") or not call.args:
            continue
        first = call.args[0]
        text = literal_text(first)
        match = _WRITE_SQL.search(text)
        if match:
            yield match.group(1)


def _sequence(module: ir.Module, scope: ModuleScope, function: ir.Function) -> Iterator[tuple[str, int, bool]]:
    """Awaited calls at the top of the function body, in order (not in branches or loops)."""
    for stmt in function.body:
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Await) and isinstance(node.value, ir.Call):
                    name = calls.callee(module, scope, function, node.value)
                    if name:
                        handed = any(isinstance(a, ir.Name) and a.id.lower() in _CLIENTS for a in node.value.args)
                        yield name, node.value.line, handed


RULE = Rule("js-missing-transaction", frozenset({"missing-transaction"}), "javascript", check,
            collect=collect, combine=combine)

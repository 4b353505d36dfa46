"""Resource leak: a connection taken from a pool and not given back on every path.

## What it finds
`const client = await pool.connect()` (node-postgres; mysql2 `getConnection()`, generic pools'
`acquire()`: names in models/node/rules.yaml) in a function that never calls
`client.release()`, or calls it only on the success path instead of in a `finally`. A client
the function returns is its caller's to release and is not reported; a caller taking one from
such a project function (`const client = await db.getClient()`, an injected `this.db.checkout()`)
is judged as if it had checked it out itself.

## Why it matters
A pool has a handful of connections. Each leaked one is gone until the process restarts: after
as many failures (or calls) as the pool size, every request waits for a connection that never
comes back, and the service hangs while the database is idle.

## Example
```js
const client = await pool.connect();
const { rows } = await client.query('SELECT * FROM jobs WHERE id = $1', [id]);
client.release();
return rows[0];
```
Use instead:
```js
const client = await pool.connect();
try {
  const { rows } = await client.query('SELECT * FROM jobs WHERE id = $1', [id]);
  return rows[0];
} finally {
  client.release();
}
```

## Fix
Release in a `finally` right after taking the connection, or use the pool's own `pool.query()`
for single statements.

## Known problems
A client handed to another function that releases it is reported unless it is returned.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, contribution
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import knowledge, location
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    return (finding for finding, via in _candidates(module, scope) if not via)


def collect(module: ir.Module, scope: ModuleScope) -> calls.ReturnedFacts | None:
    if is_dev_path(module.path):
        return None
    checkouts = knowledge().pool_checkouts
    pending = ((via, finding) for finding, via in _candidates(module, scope) if via)
    facts = calls.returned_facts(module, scope, pending, lambda f: _lends(f, checkouts))
    return contribution(facts, calls.ReturnedFacts((), ()))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    return calls.confirmed(per_file)


def _lends(function: ir.Function, checkouts: frozenset[str]) -> bool:
    """`getClient() { return pool.connect() }`, or a client checked out here and returned: the
    caller holds the connection and must give it back."""
    for stmt in ir.walk_stmts(function.body):
        client = _checkout(stmt, checkouts)
        if client and _returned(function, client):
            return True
        if isinstance(stmt, ir.Return) and stmt.value is not None:
            value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
            if isinstance(value, ir.Call) and isinstance(value.func, ir.Attr) and value.func.attr in checkouts \
                    and not value.args:
                return True
    return False


def _candidates(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[Finding, str]]:
    """(finding, '' or the project function that lent the client): a client from another project
    function (`const client = await db.getClient()`) is a checkout only if that function lends one,
    known once every file is read."""
    if is_dev_path(module.path):
        return
    known = knowledge()
    for function in module.functions:
        for stmt in ir.walk_stmts(function.body):
            client, via = _checkout(stmt, known.pool_checkouts), ""
            if not client:
                client, via = _borrowed(module, scope, function, stmt)
            if not client or _returned(function, client):
                continue
            released, in_finally = _releases(function, client, known.pool_returns)
            if in_finally:
                continue
            what = "is released only when nothing fails" if released else "is never released"
            yield make_finding(
                "resource-leak", location(module, stmt), f"Pool connection `{client}` {what}",
                "Each leaked connection is lost to the pool until the process restarts; once the pool is empty "
                "every request waits for a connection that never comes back.",
                severity=Severity.HIGH if not released else Severity.MEDIUM, confidence=Confidence.MEDIUM,
                fix=Fix("Release the connection in a `finally` right after taking it (or use `pool.query()` for a "
                        "single statement).",
                        f"const {client} = await pool.connect();\ntry {{\n  // queries\n}} finally {{\n"
                        f"  {client}.release();\n}}", "javascript"),
                rule=RULE.id, key=f"{function.qualname}|{client}",
            ), via


def _borrowed(module: ir.Module, scope: ModuleScope, function: ir.Function, stmt: ir.Stmt) -> tuple[str, str]:
    """`const client = await db.getClient()`: (variable, project callee), or ('', '')."""
    if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Await) \
            or not isinstance(stmt.value.value, ir.Call) or stmt.value.value.args:
        return "", ""
    callee = calls.callee(module, scope, function, stmt.value.value)
    target = next((t.id for t in stmt.targets if isinstance(t, ir.Name)), "")
    return (target, callee) if callee and target else ("", "")


def _checkout(stmt: ir.Stmt, checkouts: frozenset[str]) -> str:
    """`const client = await pool.connect()` (no arguments: a checkout, not a connection string)."""
    if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Await):
        return ""
    call = stmt.value.value
    if isinstance(call, ir.Call) and isinstance(call.func, ir.Attr) and call.func.attr in checkouts and not call.args:
        return next((t.id for t in stmt.targets if isinstance(t, ir.Name)), "")
    return ""


def _returned(function: ir.Function, client: str) -> bool:
    return any(isinstance(s, ir.Return) and s.value is not None and any(
        isinstance(n, ir.Name) and n.id == client for n in ir.walk_expr(s.value)) for s in ir.walk_stmts(function.body))


def _releases(function: ir.Function, client: str, returns: frozenset[str]) -> tuple[bool, bool]:
    """(released somewhere, released in a finally)."""
    def releases(body: tuple[ir.Stmt, ...]) -> bool:
        return any(isinstance(n, ir.Call) and isinstance(n.func, ir.Attr) and n.func.attr in returns
                   and ir.dotted_name(n.func.value) == client
                   for s in ir.walk_stmts(body) for root in ir.stmt_exprs(s) for n in ir.walk_expr(root))

    in_finally = any(isinstance(s, ir.Try) and releases(s.finalbody) for s in ir.walk_stmts(function.body))
    return releases(function.body), in_finally


# no `requires`: the module that borrows a client from a project helper (`db.getClient()`) names no
# checkout call; the helper's module does
RULE = Rule("js-resource-leak", frozenset({"resource-leak"}), "javascript", check, collect=collect,
            combine=combine)

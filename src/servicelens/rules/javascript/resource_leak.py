"""Resource leak: a connection taken from a pool and not given back on every path.

## What it finds
`const client = await pool.connect()` (node-postgres; mysql2 `getConnection()`, generic pools'
`acquire()`: names in models/node/rules.yaml) in a function that never calls
`client.release()`, or calls it only on the success path instead of in a `finally`. A client
the function returns is its caller's to release and is not reported.

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

from typing import Iterable

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
        for stmt in ir.walk_stmts(function.body):
            client = _checkout(stmt, known.pool_checkouts)
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
            )


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


RULE = Rule("js-resource-leak", frozenset({"resource-leak"}), "javascript", check,
            requires=("connect", "getconnection", "acquire"))

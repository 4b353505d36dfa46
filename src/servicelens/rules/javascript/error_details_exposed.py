"""Error details exposed: a stack trace or raw error object sent to the client.

## What it finds
`res.send(err.stack)`, `res.json({ error: err.stack })`, `res.status(500).send(err.toString())`
and `res.send(String(err))`, including `.stack` nested in the response object, in any
function that writes a response; also the fields a database driver's error carries for the
operator (node-postgres's `err.detail`, `err.where`, `err.hint`; mysql2's `err.sql`,
`err.sqlMessage`: the row's values, the statement), listed in models/node/rules.yaml.

## Why it matters
Stack traces name files, library versions, SQL text and sometimes secrets: a map for the next
attack. Error strings from drivers echo queries and internal hostnames.

## Example
```js
app.use((err, req, res, next) => res.status(500).json({ error: err.stack }));
```
Use instead:
```js
app.use((err, req, res, next) => {
  logger.error({ err }, 'request failed');
  res.status(500).json({ error: 'Internal server error' });
});
```

## Fix
Log the error server-side with a request id, and send the client a generic message (and the id).

## Known problems
`err.message` is not reported: many handlers send validation messages written for users.
A database driver's diagnostic fields are recognised by name on an error variable (`err`,
`error`, `e`, ...), so a project error class of its own with a `detail` field written for users
would be reported.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import knowledge, location, named_calls
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

_SENDERS = frozenset({"send", "json", "end", "write", "render", "jsonp"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    for named in named_calls(module, scope):
        call = named.call
        if not isinstance(call.func, ir.Attr) or call.func.attr not in _SENDERS or not _on_response(call.func.value):
            continue
        shown = next((what for arg in call.args for what in _error_details(arg)), None)
        if shown is None:
            continue
        yield make_finding(
            "error-details-exposed", location(module, call), f"{shown} sent to the client",
            "Stack traces and raw errors name files, library versions, queries and internal hosts: a map for the "
            "next attack.",
            severity=Severity.MEDIUM, confidence=Confidence.HIGH,
            fix=Fix("Log the error on the server and send a generic message.",
                    "console.error(err);\nres.status(500).json({ error: 'Internal server error' });", "javascript"),
            rule=RULE.id, key=f"{shown}|{module.line_text(call.line)}",
        )


def _on_response(receiver: ir.Expr) -> bool:
    """`res.send`, `res.status(500).send`, `reply.code(500).send`."""
    while isinstance(receiver, ir.Call) and isinstance(receiver.func, ir.Attr):
        receiver = receiver.func.value
    return isinstance(receiver, ir.Name) and receiver.id in ("res", "response", "reply", "ctx")


def _error_details(expr: ir.Expr) -> Iterator[str]:
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Attr) and node.attr == "stack":
            yield f"`{ir.dotted_name(node) or 'error.stack'}` (the stack trace)"
        elif isinstance(node, ir.Attr) and node.attr in knowledge().driver_error_fields and _error_name(node.value):
            yield f"`{ir.dotted_name(node)}` (the database driver's diagnostic)"
        elif isinstance(node, ir.Call) and node.args == () and isinstance(node.func, ir.Attr) \
                and node.func.attr == "toString" and _error_name(node.func.value):
            yield f"`{ir.dotted_name(node.func.value)}.toString()`"
        elif isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id == "String" \
                and len(node.args) == 1 and _error_name(node.args[0]):
            yield f"`String({ir.dotted_name(node.args[0])})`"


def _error_name(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Name) and expr.id in ("err", "error", "e", "ex", "exception")


RULE = Rule("js-error-details-exposed", frozenset({"error-details-exposed"}), "javascript", check,
            requires=("stack", "tostring", "string(", ".detail", ".where", ".hint", ".internalquery", ".sql"))

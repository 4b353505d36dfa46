"""Sensitive data logged: passwords, tokens or whole request bodies/headers written to the logs
with `console.*` or a logger (winston, pino, bunyan).

## What it finds
A logging call with an argument that is named as a password, secret, token or API key, or
that is `req.body` / `req.headers` whole (they carry passwords and Authorization headers), or
a handler parameter the framework fills with the whole body (NestJS `@Body() dto`); inside
template strings, object literals and `JSON.stringify(...)` too.

## Why it matters
Logs are kept for months, shipped to third parties and read by many more people than the
database: a logged password or bearer token is a leaked one.

## Example
```js
console.log('login attempt', req.body);
```
Use instead:
```js
logger.info({ email: req.body.email }, 'login attempt');
```

## Fix
Log the fields you need by name, never credentials; configure the logger to redact
`password`, `token` and `authorization` (pino `redact`, winston format).

## Known problems
Judged by names: a secret in a variable called `value` is not recognised.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import location, named_calls, request_field
from servicelens.rules.python._common import is_dev_path, is_secret_name
from servicelens.taint.scope import ModuleScope

_LEVELS = frozenset({"log", "info", "warn", "error", "debug", "trace", "fatal"})
_LOGGERS = ("console", "logger", "log", "winston", "pino", "bunyan")
_SERIALISERS = frozenset({"JSON.stringify", "util.inspect", "String"})
_WHOLE_BODY = "request body"  # the source label of a parameter holding the whole body (frameworks/nestjs.py)


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    for named in named_calls(module, scope):
        call = named.call
        if not isinstance(call.func, ir.Attr) or call.func.attr not in _LEVELS:
            continue
        receiver = (ir.dotted_name(call.func.value) or "").rsplit(".", 1)[-1].lower()
        if not receiver.endswith(_LOGGERS):
            continue
        bodies = _whole_body_params(named.function, scope)
        carriers = _carriers(named.function)
        shown = next((what for arg in call.args if (what := _sensitive(arg, bodies, carriers))), None)
        if shown is None:
            continue
        yield make_finding(
            "sensitive-data-logged", location(module, call), f"{shown} written to the logs",
            "Logs are kept for months and read by far more people and systems than the database: a logged "
            "credential is a leaked one.",
            severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
            fix=Fix("Log the fields you need by name and never credentials; redact password/token/authorization "
                    "in the logger's configuration.", "", ""),
            rule=RULE.id, key=f"{shown}|{module.line_text(call.line)}",
        )


def _whole_body_params(function: ir.Function | None, scope: ModuleScope) -> frozenset[str]:
    """Parameters the framework fills with the whole request body (NestJS `@Body() dto`), in the
    handler and in callbacks nested in it."""
    while function is not None:
        handler = scope.handlers.get(function.qualname)
        if handler is not None:
            return frozenset(name for name, label in handler.source_params if label == _WHOLE_BODY)
        parent = function.qualname.rpartition(".<locals>.")[0]
        function = next((f for f in scope.module.functions if f.qualname == parent), None) if parent else None
    return frozenset()


def _carriers(function: ir.Function | None) -> dict[str, str]:
    """Variables whose text is built around a credential: `const resetUrl = `${base}?token=${token}``
    carries `token` (a link that signs its holder in is the credential itself)."""
    found: dict[str, str] = {}
    if function is None:
        return found
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, (ir.FormattedString, ir.BinOp)):
            inner = next((n for n in ir.walk_expr(stmt.value) if isinstance(n, (ir.Name, ir.Attr))
                          and is_secret_name((ir.dotted_name(n) or "").rsplit(".", 1)[-1], strict=True)), None)
            if inner is not None:
                found.update({t.id: ir.dotted_name(inner) or "" for t in stmt.targets if isinstance(t, ir.Name)})
    return found


def _sensitive(expr: ir.Expr, bodies: frozenset[str] = frozenset(),
               carriers: dict[str, str] | None = None) -> str | None:
    carriers = carriers or {}
    if request_field(expr, "body") or (isinstance(expr, ir.Name) and expr.id in bodies):
        return "The whole request body"
    if isinstance(expr, ir.Name) and expr.id in carriers:
        return f"`{expr.id}` (built from `{carriers[expr.id]}`)"
    if request_field(expr, "headers"):
        return "All request headers (Authorization and cookies included)"
    dotted = ir.dotted_name(expr)
    if dotted and dotted.endswith(("headers.authorization", "headers.cookie")):
        return f"`{dotted}` (a credential)"
    if dotted and is_secret_name(dotted.rsplit(".", 1)[-1], strict=True):
        return f"`{dotted}`"
    if isinstance(expr, ir.FormattedString):
        return next((found for part in expr.parts if (found := _sensitive(part, bodies, carriers))), None)
    if isinstance(expr, ir.BinOp) and expr.op == "+":  # `'link: ' + link`
        return _sensitive(expr.left, bodies, carriers) or _sensitive(expr.right, bodies, carriers)
    if isinstance(expr, ir.DictExpr):  # pino/bunyan style: `log.info({ auth: req.headers.authorization })`
        return next((found for value in expr.values if (found := _sensitive(value, bodies, carriers))), None)
    if isinstance(expr, ir.Call) and ir.dotted_name(expr.func) in _SERIALISERS and expr.args:
        return _sensitive(expr.args[0], bodies, carriers)
    return None


RULE = Rule("js-sensitive-data-logged", frozenset({"sensitive-data-logged"}), "javascript", check,
            requires=("console.", "logger", "log."))

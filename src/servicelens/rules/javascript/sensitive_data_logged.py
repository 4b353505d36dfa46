"""Sensitive data logged: passwords, tokens or whole request bodies/headers written to the logs
with `console.*` or a logger (winston, pino, bunyan).

## What it finds
A logging call with an argument that is named as a password, secret, token or API key, or
that is `req.body` / `req.headers` whole (they carry passwords and Authorization headers), or
a handler parameter the framework fills with the whole body (NestJS `@Body() dto`); inside
template strings, object literals and `JSON.stringify(...)` too, and through a variable built from
one (a template, a concatenation, a `cond ? '' : JSON.stringify(req.body)` choice, an object
literal holding a credential: an error report carrying the admin key) in the logging
function or a function it is nested in (an interceptor's `tap` callback logging what `intercept`
serialised). A body handed to another function first (`redact(req.body)`) is that function's result.

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

from typing import Iterable, Iterator

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
# values that build text (or a record a logger writes out) from their parts: a template, a
# concatenation, a choice, a serialiser's call, an object literal
_BUILT = (ir.FormattedString, ir.BinOp, ir.IfExp, ir.Call, ir.DictExpr)
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
        carriers = _carriers(named.function, module)
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


def _carriers(function: ir.Function | None, module: ir.Module) -> dict[str, str]:
    """Variables whose text is built around a credential or the whole body, in the function and the
    functions it is nested in (a callback logs what its method built): `const resetUrl =
    `${base}?token=${token}`` carries `token` (a link that signs its holder in is the credential
    itself), `const body = req.method === 'GET' ? '' : JSON.stringify(req.body)` the request body."""
    found: dict[str, str] = {}
    by_name = {f.qualname: f for f in module.functions}
    while function is not None:
        for stmt in ir.walk_stmts(function.body):
            if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, _BUILT):
                continue
            if isinstance(stmt.value, ir.Call) and ir.dotted_name(stmt.value.func) not in _SERIALISERS:
                continue
            carried = _carried(stmt.value)
            if carried:
                found.update({t.id: carried for t in stmt.targets if isinstance(t, ir.Name) and t.id not in found})
        function = by_name.get(function.parent) if function.parent else None
    return found


def _carried(value: ir.Expr) -> str:
    """What text built this way carries: a credential's name, or the whole request body (not when
    handed to a function other than a serialiser, `redact(req.body)`: that is the function's result)."""
    inner = next((n for n in ir.walk_expr(value) if isinstance(n, (ir.Name, ir.Attr))
                  and is_secret_name((ir.dotted_name(n) or "").rsplit(".", 1)[-1], strict=True)), None)
    if inner is not None:
        return f"`{ir.dotted_name(inner) or ''}`"
    if any(request_field(n, "body") for n in _built_parts(value)):
        return "the request body"
    return ""


def _built_parts(value: ir.Expr) -> Iterator[ir.Expr]:
    yield value
    if isinstance(value, ir.FormattedString):
        children: tuple[ir.Expr, ...] = tuple(value.parts)
    elif isinstance(value, ir.BinOp):
        children = (value.left, value.right)
    elif isinstance(value, ir.IfExp):
        children = (value.body, value.orelse)
    elif isinstance(value, ir.Call) and ir.dotted_name(value.func) in _SERIALISERS:
        children = tuple(value.args[:1])
    elif isinstance(value, ir.DictExpr):
        children = tuple(value.values)
    else:
        children = ()
    for child in children:
        yield from _built_parts(child)


def _sensitive(expr: ir.Expr, bodies: frozenset[str] = frozenset(),
               carriers: dict[str, str] | None = None) -> str | None:
    carriers = carriers or {}
    if request_field(expr, "body") or (isinstance(expr, ir.Name) and expr.id in bodies):
        return "The whole request body"
    if isinstance(expr, ir.Name) and expr.id in carriers:
        return f"`{expr.id}` (built from {carriers[expr.id]})"
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

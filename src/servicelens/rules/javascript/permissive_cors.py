"""Permissive CORS: the `cors` middleware letting any origin make credentialed requests.

## What it finds
`cors({ origin: true, credentials: true })` (the request's own Origin reflected),
`origin: '*'` with `credentials: true`, and an `origin` callback that accepts every origin
(`(origin, cb) => cb(null, true)`) with credentials; the same options given to Fastify's plugin
(`fastify.register(cors, {...})`) or NestJS's `app.enableCors({...})` (models/node/rules.yaml).

## Why it matters
With credentials allowed, any web page a signed-in user visits can call this API with the
user's cookies and read the answers: their data, their CSRF tokens, their account.

## Example
```js
app.use(cors({ origin: true, credentials: true }));
```
Use instead:
```js
app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
```

## Fix
List the front-end origins that may call the API (from configuration), and allow credentials
only for them.

## Known problems
An origin list built at run time is trusted; `cors()` without credentials (a public API) is
not reported.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import NamedCall, const_str, is_true, knowledge, location, named_calls, option
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    for named, config in _configurations(module, scope):
        if not is_true(option(config, "credentials")):
            continue
        origin = option(config, "origin")
        described = _any_origin(origin, module)
        if described is None:
            continue
        yield make_finding(
            "permissive-cors", location(module, named.call), f"CORS allows credentialed requests from {described}",
            "Any web page a signed-in user opens can call this API with the user's cookies and read the answers.",
            severity=Severity.HIGH, confidence=Confidence.HIGH,
            fix=Fix("Allow credentials only for the front-end origins you list (from configuration).",
                    "app.use(cors({ origin: (process.env.ALLOWED_ORIGINS ?? '').split(','), credentials: true }));",
                    "javascript"),
            rule=RULE.id, key=described,
        )


def _configurations(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[NamedCall, ir.Expr]]:
    """Every CORS configuration: `cors(config)`, `fastify.register(cors, config)`, `app.enableCors(config)`."""
    known = knowledge()
    for named in named_calls(module, scope):
        args = named.call.args
        if named.name in known.cors_middlewares and args:
            yield named, args[0]
        elif isinstance(named.call.func, ir.Attr) and named.call.func.attr in known.cors_methods and args:
            yield named, args[0]
        elif len(args) > 1 and scope.qualify(ir.dotted_name(args[0]) or "", named.function, set()) \
                in known.cors_plugins:
            yield named, args[1]


def _any_origin(origin: ir.Expr | None, module: ir.Module) -> str | None:
    if is_true(origin):
        return "any origin (the request's Origin is reflected)"
    if const_str(origin) == "*":
        return "any origin (`*`)"
    if isinstance(origin, ir.Name):  # a named function, or an inline one lowered as `<anon@LINE>`
        function = next((f for f in module.functions if f.qualname == origin.id), None)
        return _accepts_all(function)
    return None


def _accepts_all(function: ir.Function | None) -> str | None:
    """An origin callback whose only answers are `cb(null, true)`."""
    if function is None or len(function.params) < 2:
        return None
    callback = function.params[1].name
    answers = [call for stmt in ir.walk_stmts(function.body) for expr in ir.stmt_exprs(stmt)
               for call in ir.walk_expr(expr) if isinstance(call, ir.Call)
               and isinstance(call.func, ir.Name) and call.func.id == callback]
    if answers and all(len(c.args) > 1 and is_true(c.args[1]) for c in answers):
        return "any origin (the origin callback accepts every one)"
    return None


RULE = Rule("js-permissive-cors", frozenset({"permissive-cors"}), "javascript", check, requires=("cors",))

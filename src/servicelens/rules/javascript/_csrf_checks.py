"""Which functions of a module check a CSRF token, by what their bodies do, and which names it
binds to a CSRF library's middleware.

A hand-written check compares a token the request carries (a header, a body or query field:
`req.get('X-CSRF-Token')`, `req.body._csrf`) with one the server keeps for the caller (the
session, a cookie: the synchroniser token and the double-submit cookie), with `===`/`!==` or a
constant-time comparison, and refuses the request otherwise. Its name does not matter: a
`verifyCsrf` that only calls `next()` checks nothing, and `guardForm` comparing the two does.
A library's middleware is a module-level name bound to a call of a CSRF package
(`const csrfProtection = csurf({ cookie: true })`).
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir

# request members carrying what the client sends with this request
_SENT = frozenset({"headers", "body", "query"})
_SENT_CALLS = frozenset({"get", "header"})
# request members holding what the server keeps for the caller
_KEPT = frozenset({"session", "cookies", "signedCookies"})
_CONSTANT_TIME = frozenset({"timingSafeEqual", "safeCompare", "timingSafeCompare"})
_EQUALITY = frozenset({"==", "!=", "===", "!=="})
# a kept value naming who the caller is (`req.session.userId`, `req.session.passport`): comparing
# the body with it checks whose record this is, not a token
_CALLER = re.compile(r"(?i)(^id$|_id$|[a-z]Id$|user|passport|account|role)")


def token_checks(module: ir.Module) -> tuple[str, ...]:
    """Project-wide keys of the module's functions that compare a sent token with a kept one."""
    return tuple(f"{module.module_name}.{f.qualname}" for f in module.functions
                 if _middleware_shaped(f) and _compares_sent_with_kept(f))


def _middleware_shaped(function: ir.Function) -> bool:
    """`(req, res, next)`, or Koa's `(ctx, next)`: what runs before a route. A handler comparing
    an OAuth `state` with the cookie it set is a sign-in step, not a check of other routes."""
    params = function.params
    return len(params) >= 3 or (len(params) == 2 and params[1].name == "next")


def library_checks(module: ir.Module, imports: dict[str, str], packages: frozenset[str]) -> tuple[str, ...]:
    """Module-level names bound to a call of a CSRF package (`csrf({ cookie: true })`), and the
    package's middleware imported by name (`import { doubleCsrfProtection } from ...` is rare:
    the call is what is mounted), project-wide."""
    found: list[str] = []
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call):
            continue
        callee = ir.dotted_name(stmt.value.func) or ""
        head = callee.split(".", 1)[0]
        target = imports.get(head, "")
        if target.split(".", 1)[0] not in packages and not target.startswith("@"):
            continue
        if target.startswith("@") and "/".join(target.split("/")[:2]).split(".")[0] not in packages:
            continue
        found.extend(f"{module.module_name}.{name}" for t in stmt.targets for name in _names(t))
    return tuple(found)


def _names(target: ir.Expr) -> Iterator[str]:
    if isinstance(target, ir.Name):
        yield target.id
    elif isinstance(target, ir.Seq):  # `const { doubleCsrfProtection } = doubleCsrf({...})`
        for item in target.items:
            yield from _names(item)


def _compares_sent_with_kept(function: ir.Function) -> bool:
    request = function.params[0].name
    origins = _origins(function, request)
    for expr in _exprs(function.body):
        if isinstance(expr, ir.Compare) and set(expr.ops) & _EQUALITY:
            sides = {_origin(e, request, origins) for e in (expr.left, *expr.comparators)}
        elif isinstance(expr, ir.Call) and ir.last_name(expr.func) in _CONSTANT_TIME:
            sides = {_origin(e, request, origins) for e in _inner(expr.args)}
        else:
            continue
        if {"sent", "kept"} <= sides:
            return True
    return False


def _origins(function: ir.Function, request: str) -> dict[str, str]:
    """Local names bound to a sent or a kept value (`const expected = req.session.csrfToken`)."""
    bound: dict[str, str] = {}
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            origin = _origin(stmt.value, request, bound)
            for target in stmt.targets:
                if isinstance(target, ir.Name) and origin:
                    bound[target.id] = origin
    return bound


def _origin(expr: ir.Expr, request: str, bound: dict[str, str]) -> str:
    """"sent", "kept" or "" for an expression: what it reads of the request, through calls
    wrapping it (`Buffer.from(given)`, `String(req.body._csrf)`) and `??`/`||` defaults."""
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Name) and node.id in bound:
            return bound[node.id]
        dotted = ir.dotted_name(node) or ""
        if isinstance(node, ir.Subscript) and isinstance(node.index, ir.Const) and isinstance(node.index.value, str):
            dotted = f"{ir.dotted_name(node.value) or ''}.{node.index.value}"  # `req.cookies['XSRF-TOKEN']`
        parts = dotted.split(".")
        if len(parts) >= 2 and parts[0] == request:
            if parts[1] in _KEPT:
                return "kept" if len(parts) > 2 and not _CALLER.search(parts[-1]) else ""
            if parts[1] in _SENT or (isinstance(node, ir.Call) and parts[1] in _SENT_CALLS and len(parts) == 2):
                return "sent"
        if isinstance(node, ir.Call):
            callee = (ir.dotted_name(node.func) or "").split(".")
            if len(callee) == 2 and callee[0] == request and callee[1] in _SENT_CALLS:
                return "sent"
    return ""


def _inner(args: Iterable[ir.Expr]) -> Iterator[ir.Expr]:
    yield from args


def _exprs(body: tuple[ir.Stmt, ...]) -> Iterator[ir.Expr]:
    for stmt in ir.walk_stmts(body):
        for expr in ir.stmt_exprs(stmt):
            yield from ir.walk_expr(expr)

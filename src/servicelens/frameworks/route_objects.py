"""Routes declared as objects handed to a `route` call: Hapi's `server.route({ method, path,
handler })` (one object or an array of them) and a project's own registration helper built on
Express or Koa (`this.route({ method: 'get', path: '/features', handler: this.list })` in a
controller whose base class registers it on its router).

    server.route({ method: 'GET', path: '/users/{id}', handler: getUser });
    server.route([{ method: 'POST', path: '/login', options: { auth: false }, handler: login }]);
    this.route({ method: 'post', path: `${prefix}/:id/archive`, handler: this.archive, permission: ADMIN });

An object counts when it names an HTTP method as a literal, a path and a handler; what guards it
is decided by code this module does not see (the helper's middleware, Hapi's auth strategy), so
the route's authentication is left unknown. Calls on a Fastify instance are Fastify's own reader's
(frameworks/fastify.py); this one skips them by line.
"""
from __future__ import annotations

from typing import Iterator

from servicelens import ir
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express import ForeignHandler, foreign_qualname

_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ALL", "*"})
_ROUTE_CALLS = frozenset({"route"})
_PATH_KEYS = ("path", "url")
UNDECIDED = "registered through a route object; its guards are decided where the object is registered"


def route_object_facts(module: ir.Module, framework: str) -> tuple[tuple[RouteFact, ...], tuple[ForeignHandler, ...]]:
    """Every route object of the module, its handler named as the Express reader names one: a
    function of this module by its qualname, a method of the class by `Class.method`, anything
    else (an imported handler) as a foreign handler the call graph resolves."""
    functions = {f.qualname: f for f in module.functions}
    found: list[tuple[RouteFact, ForeignHandler | None]] = []
    bodies = [(module.body, None)] + [(f.body, f) for f in module.functions]
    for body, function in bodies:
        for stmt in ir.walk_stmts(body):
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) \
                            and node.func.attr in _ROUTE_CALLS and len(node.args) == 1:
                        found.extend(_routes(node, function, functions, framework))
    return tuple(r for r, _ in found), tuple(f for _, f in found if f is not None)


def _routes(call: ir.Call, function: ir.Function | None, functions: dict[str, ir.Function],
            framework: str) -> Iterator[tuple[RouteFact, ForeignHandler | None]]:
    arg = call.args[0]
    for item in (arg.elts if isinstance(arg, ir.Seq) else (arg,)):
        if not isinstance(item, ir.DictExpr):
            continue
        method = ir.option(item, "method")
        path = next((p for p in (ir.option(item, k) for k in _PATH_KEYS) if p is not None), None)
        handler = ir.option(item, "handler")
        methods = _methods(method)
        if not methods or path is None or handler is None:
            continue
        qualname = _handler_name(handler, function, functions)
        if not qualname:
            continue
        line = getattr(handler, "line", 0) or call.line
        foreign = None
        if qualname not in functions and not qualname.rpartition(".")[0] in {f.class_name for f in functions.values()}:
            qualname = foreign_qualname(qualname)  # `users.show` -> `users#show`, as the Express reader files it
            foreign = ForeignHandler(qualname, handler, function.qualname if function is not None else "", line)
        yield RouteFact(qualname, framework, methods, _path_text(path), line, "unknown", UNDECIDED), foreign


def _methods(expr: ir.Expr | None) -> tuple[str, ...]:
    """`'get'`, `'GET'`, `['GET', 'POST']`: the literal methods; () when any is not a literal."""
    items = expr.elts if isinstance(expr, ir.Seq) else (expr,) if expr is not None else ()
    methods = []
    for item in items:
        if not (isinstance(item, ir.Const) and isinstance(item.value, str) and item.value.upper() in _METHODS):
            return ()
        methods.append("ALL" if item.value == "*" else item.value.upper())
    return tuple(methods)


def _handler_name(handler: ir.Expr, function: ir.Function | None, functions: dict[str, ir.Function]) -> str:
    """`this.list` in a method of `FeatureController` -> `FeatureController.list` (its own method or
    an inherited one); a local function by its qualname; an imported or nested name as written."""
    if isinstance(handler, ir.Call) and isinstance(handler.func, ir.Attr) and handler.func.attr == "bind":
        handler = handler.func.value  # `this.list.bind(this)`
    if isinstance(handler, ir.Attr) and isinstance(handler.value, ir.Name) and handler.value.id == "self" \
            and function is not None and function.class_name:
        return f"{function.class_name}.{handler.attr}"
    if isinstance(handler, ir.Name):
        if function is not None and f"{function.qualname}.<locals>.{handler.id}" in functions:
            return f"{function.qualname}.<locals>.{handler.id}"
        return handler.id
    return ir.dotted_name(handler) or ""


def _path_text(expr: ir.Expr) -> str:
    if isinstance(expr, ir.Const) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, ir.FormattedString):
        return "".join(str(p.value) if isinstance(p, ir.Const) else "{" + (ir.dotted_name(p) or "?") + "}"
                       for p in expr.parts)
    return "{" + (ir.dotted_name(expr) or "?") + "}"

"""Starlette and FastAPI routes declared by a call rather than a decorator.

    Route("/users/{id}", user_detail, methods=["GET"])        starlette.routing
    Mount("/api", routes=[Route("/items", items), ...])        a prefix for every route inside
    Route("/accounts", Accounts)                               an HTTPEndpoint: its methods decide
    app.add_api_route("/reports", report, methods=["GET"])     FastAPI / APIRouter (its prefix)

Starlette's Route answers GET (and HEAD) when `methods=` is left out and the endpoint is a
function; an `HTTPEndpoint` class answers the methods it defines.
"""
from __future__ import annotations

from typing import Callable, Iterator, Mapping

from servicelens import ir

ASGI_PACKAGES = frozenset({"starlette", "fastapi"})
_ROUTE_CLASSES = frozenset({"Route", "APIRoute"})
_MOUNT_CLASSES = frozenset({"Mount", "Router"})


def asgi_registrations(calls: Iterator[ir.Call], imports: Mapping[str, str], target: Callable[[ir.Expr], str],
                       receiver_prefix: Callable[[ir.Expr], tuple[str, str]]
                       ) -> Iterator[tuple[str, str, tuple[str, ...], str, int, str]]:
    """(handler, path, methods, framework, line, router) of each call-declared route; `target`
    names a handler project-wide, `receiver_prefix` gives a router's (prefix, project-wide name)."""
    pending = list(calls)
    inside: set[int] = set()
    for call in pending:
        if _imported_class(call, imports) in _MOUNT_CLASSES:
            prefix = _text(call.arg(0, "path")) or ""
            for child in _children(call):
                inside.add(id(child))
                yield from _route(child, prefix.rstrip("/"), imports, target, inside)
    for call in pending:
        if id(call) in inside:
            continue
        if _imported_class(call, imports) in _ROUTE_CLASSES:
            yield from _route(call, "", imports, target, inside)
        elif isinstance(call.func, ir.Attr) and call.func.attr == "add_api_route":
            path, handler = _text(call.arg(0, "path")), call.arg(1, "endpoint")
            name = target(handler) if handler is not None else ""
            if path is not None and name:
                prefix, router = receiver_prefix(call.func.value)
                yield name, prefix + path, _methods(call) or ("GET",), "fastapi", call.line, router


def route_dependencies(call: ir.Call) -> tuple[ir.Expr, ...]:
    """What `add_api_route(..., dependencies=[Security(auth, scopes=[...])])` runs before the
    handler: the first argument of each `Depends`/`Security` in the list, in either branch of a
    conditional list (`[...] if auth_enabled else None`: switched on by configuration)."""
    listed = call.kwarg("dependencies")
    if listed is None:
        return ()
    return tuple(node.args[0] for node in ir.walk_expr(listed) if isinstance(node, ir.Call) and node.args
                 and (ir.dotted_name(node.func) or "").rpartition(".")[2] in _DEPENDENCY_MARKERS)


_DEPENDENCY_MARKERS = frozenset({"Depends", "Security"})


def _route(call: ir.Call, prefix: str, imports: Mapping[str, str], target: Callable[[ir.Expr], str],
           inside: set[int]) -> Iterator[tuple[str, str, tuple[str, ...], str, int, str]]:
    kind = _imported_class(call, imports)
    if kind in _MOUNT_CLASSES:  # a Mount inside a Mount
        for child in _children(call):
            inside.add(id(child))
            yield from _route(child, prefix + (_text(call.arg(0, "path")) or "").rstrip("/"), imports, target, inside)
        return
    if kind not in _ROUTE_CLASSES:
        return
    path, handler = _text(call.arg(0, "path")), call.arg(1, "endpoint")
    name = target(handler) if handler is not None else ""
    if path is None or not name:
        return
    # a class endpoint (HTTPEndpoint) answers the methods it defines: () lets them decide
    methods = _methods(call) or (() if _is_class_name(handler) else ("GET",))
    yield name, prefix + path, methods, "starlette", call.line, ""


def _children(call: ir.Call) -> tuple[ir.Call, ...]:
    routes = call.kwarg("routes") if call.kwarg("routes") is not None else call.arg(1)
    if not isinstance(routes, ir.Seq):
        return ()
    return tuple(item for item in routes.elts if isinstance(item, ir.Call))


def _imported_class(call: ir.Call, imports: Mapping[str, str]) -> str:
    dotted = ir.dotted_name(call.func) or ""
    head = dotted.partition(".")[0]
    qualified = imports.get(head, "") + dotted[len(head):] if head in imports else ""
    return dotted.rpartition(".")[2] if qualified.partition(".")[0] in ASGI_PACKAGES else ""


def _methods(call: ir.Call) -> tuple[str, ...]:
    listed = call.kwarg("methods")
    if not isinstance(listed, ir.Seq):
        return ()
    return tuple(m.upper() for m in (_text(e) for e in listed.elts) if m)


def _is_class_name(expr: ir.Expr) -> bool:
    return (ir.dotted_name(expr) or "").rpartition(".")[2][:1].isupper()


def _text(expr: ir.Expr | None) -> str | None:
    return expr.value if isinstance(expr, ir.Const) and isinstance(expr.value, str) else None

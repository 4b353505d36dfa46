"""Which aiohttp application a route is added to, and the prefixes sub-applications are mounted at.

    def build():                                  admin = web.Application()
        sub = web.Application()                   app.add_subapp("/admin/", admin)
        sub.router.add_get("/stats", stats)        app.add_subapp("/admin/", admin_app.build())
        return sub

An application is named project-wide: a module-level variable by its dotted name, the one a
function builds and returns by the call (`shop.admin.build()`), any other local by the
function it lives in. endpoints.inventory puts a sub-application's prefix in front of the paths
of the routes added to it.
"""
from __future__ import annotations

from typing import Iterator, Mapping

from servicelens import ir

_ADDERS = frozenset({"add_get", "add_post", "add_put", "add_patch", "add_delete", "add_head", "add_options",
                     "add_route", "add_view", "add_routes"})


def route_apps(module: ir.Module, imports: Mapping[str, str]) -> dict[int, str]:
    """Line of each route-adding call -> the project-wide name of the application it adds to."""
    found: dict[int, str] = {}
    for function, body in _bodies(module):
        for call in _calls(body):
            if isinstance(call.func, ir.Attr) and call.func.attr in _ADDERS:
                receiver = call.func.value
                if isinstance(receiver, ir.Attr) and receiver.attr == "router":
                    receiver = receiver.value
                if name := app_name(receiver, module, imports, function, body):
                    found[call.line] = name
    return found


def subapps(module: ir.Module, imports: Mapping[str, str]) -> list[tuple[str, str, str, int]]:
    """(parent application, sub-application, prefix, line) of each `add_subapp(prefix, sub)`."""
    found = []
    for function, body in _bodies(module):
        for call in _calls(body):
            if not isinstance(call.func, ir.Attr) or call.func.attr != "add_subapp" or len(call.args) < 2:
                continue
            prefix = call.args[0]
            if not (isinstance(prefix, ir.Const) and isinstance(prefix.value, str)):
                continue
            parent = app_name(call.func.value, module, imports, function, body)
            child = app_name(call.args[1], module, imports, function, body)
            if parent and child:
                found.append((parent, child, prefix.value.rstrip("/"), call.line))
    return found


def app_name(expr: ir.Expr, module: ir.Module, imports: Mapping[str, str], function: ir.Function | None,
             body: tuple[ir.Stmt, ...]) -> str:
    """The project-wide name of the application `expr` stands for (Falcon's apps are named the same way)."""
    if isinstance(expr, ir.Call):  # `admin.build()`: the application that function returns
        callee = ir.dotted_name(expr.func) or ""
        head, _, rest = callee.partition(".")
        if head in imports:
            return imports[head] + (f".{rest}" if rest else "") + "()"
        return f"{module.module_name}.{callee}()" if callee and not rest else ""
    dotted = ir.dotted_name(expr) or ""
    if not dotted or "." in dotted:
        return ""
    if function is not None:
        if dotted in _returned(body):
            return f"{module.module_name}.{function.qualname}()"
        if any(p.name == dotted for p in function.params) or _assigned(body, dotted):
            return f"{module.module_name}.{function.qualname}.<locals>.{dotted}"
    if dotted in imports:
        return imports[dotted]
    return f"{module.module_name}.{dotted}"


def _returned(body: tuple[ir.Stmt, ...]) -> set[str]:
    return {stmt.value.id for stmt in ir.walk_stmts(body)
            if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name)}


def _assigned(body: tuple[ir.Stmt, ...], name: str) -> bool:
    return any(isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == name for t in stmt.targets)
               for stmt in ir.walk_stmts(body))


def _bodies(module: ir.Module) -> Iterator[tuple[ir.Function | None, tuple[ir.Stmt, ...]]]:
    yield None, module.body
    for function in module.functions:
        yield function, function.body


_calls = ir.calls_in_body

"""Permission classes that judge the object a request names, before the view runs.

REST framework asks every class in a view's `permission_classes` (`@permission_classes(...)` on a
function view) whether the request may go on. A class whose `has_permission(self, request, view)`
reads a key of the request (`request.data.get("environment")`, `view.kwargs["challenge_pk"]`,
`request.parser_context["kwargs"]["challenge_pk"]`), relates what it read to the caller
(`request.user.has_environment_permission(..., environment)`, `if request.user.id ==
challenge.creator.id: return True`) and can answer no (`return False`, a raise) has decided, for
that key, whether this caller may act on the object it names. A lookup in the view keyed by the
same request key is then checked, whatever the class is called or where it is defined.

A class that reads the key but never relates it to the caller (`view.kwargs.get("pk")` only to
pick a permission name, then `request.user.is_authenticated`) judges nothing about the object.
"""
from __future__ import annotations

from typing import Iterator

from servicelens import ir
from servicelens.rules.python import _access as access
from servicelens.rules.python._refusals import refuses
from servicelens.taint.scope import ModuleScope


def judging_permission_classes(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[str, tuple[str, ...]]]:
    """(class key, the request keys its `has_permission` judges against the caller) for this module's classes."""
    methods = {function.qualname: function for function in module.functions}
    for cls in module.classes:
        method = methods.get(f"{cls.qualname}.has_permission")
        keys = judged_keys(method) if method is not None else ()
        if keys:
            yield scope.names(f"{scope.name}.{cls.qualname}"), keys


def judged_keys(method: ir.Function) -> tuple[str, ...]:
    """The request keys whose values (or rows fetched by them) meet the caller in one statement of
    the method, when the method can refuse."""
    roots = {p.name for p in method.params[1:3]}
    if len(roots) < 2 or not refuses(method.body):
        return ()
    sources = {id(node): key for stmt in ir.walk_stmts(method.body) for expr in ir.stmt_exprs(stmt)
               for node in ir.walk_expr(expr) if (key := _request_key(node, roots))}
    if not sources:
        return ()
    origins = access.flow_origins(method.body, sources=sources)
    judged: set[str] = set()
    for stmt in ir.walk_stmts(method.body):
        for expr in ir.stmt_exprs(stmt):
            if not access.is_principal(expr, frozenset()):
                continue
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Name) and node.id in origins:
                    judged.update(str(o) for o in origins[node.id])
                elif id(node) in sources:
                    judged.add(sources[id(node)])
    return tuple(sorted(judged))


def request_keys(key: str, assigned: dict[str, ir.Expr]) -> tuple[str, ...]:
    """The request keys a handler's lookup key came from: the URL parameter itself (`challenge_pk`)
    or the key a local was read under (`environment_id = request.data.get("environment")`)."""
    keys = {key}
    value = assigned.get(key)
    for node in ir.walk_expr(value) if value is not None else ():
        found = _keyed_read(node)
        if found is not None and access.is_request_data(_receiver(node)):
            keys.add(found)
    return tuple(sorted(keys))


def view_permission_classes(function: ir.Function, cls: ir.ClassDef | None, scope: ModuleScope) -> tuple[str, ...]:
    """The dotted names of the permission classes a view declares: `@permission_classes((A, B))` on a
    function view, `permission_classes = [A, B]` on its class."""
    exprs: list[ir.Expr] = [d for d in function.decorators if isinstance(d, ir.Call)
                            and ir.last_name(d.func) == "permission_classes"]
    for stmt in cls.body if cls is not None else ():
        if isinstance(stmt, ir.Assign) and stmt.value is not None \
                and any(ir.dotted_name(t) == "permission_classes" for t in stmt.targets):
            exprs.append(stmt.value)
    names = []
    for expr in exprs:
        for node in ir.walk_expr(expr):
            dotted = ir.dotted_name(node) if isinstance(node, (ir.Name, ir.Attr)) else None
            qualified = scope.qualify(dotted, None, set()) if dotted else None
            if qualified:
                names.append(qualified)
    return tuple(names)


def _request_key(node: ir.Expr, roots: set[str]) -> str | None:
    key = _keyed_read(node)
    if key is None:
        return None
    receiver = _receiver(node)
    dotted = ir.dotted_name(receiver) or ""
    root = dotted.split(".", 1)[0] if dotted else _root_name(receiver)
    if root not in roots or dotted.endswith(".user") or ".user." in dotted:
        return None
    return key


def _receiver(node: ir.Expr) -> ir.Expr:
    return node.value if isinstance(node, ir.Subscript) else node.func.value  # type: ignore[attr-defined]


def _root_name(expr: ir.Expr) -> str:
    while isinstance(expr, (ir.Subscript, ir.Attr, ir.Call)):
        expr = expr.value if isinstance(expr, (ir.Subscript, ir.Attr)) else expr.func
    return expr.id if isinstance(expr, ir.Name) else ""


def _keyed_read(node: ir.Expr) -> str | None:
    """`x["key"]` or `x.get("key")`: the key read."""
    if isinstance(node, ir.Subscript) and isinstance(node.index, ir.Const) and isinstance(node.index.value, str):
        return node.index.value
    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "get" and node.args \
            and isinstance(node.args[0], ir.Const) and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None

"""Flask request hooks: functions a blueprint or the app runs before every route it serves.

    @api_blueprint.before_request          # every route of api_blueprint
    @admin_required                        # ...passes this decorator first
    def before_api_request(): ...

    @bp.before_app_request                 # every route of the app, whatever its blueprint
    app.before_request(load_user)          # the same, registered by a call

A hook is often declared in another module than its blueprint's routes (one module wires
every blueprint's hooks). Each hook is recorded with what may refuse the request in it:
the hook itself and the decorators wrapped around it, as project-wide names; the inventory
decides them by their bodies (endpoints.principals), never by their names.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping

from servicelens import ir
from servicelens.endpoints.per_request import APP, HOOK_SCOPES, ROUTER
from servicelens.endpoints.principals import qualified_receiver, qualify



@dataclass(frozen=True, slots=True)
class RequestHook:
    """One `before_request` registration: on what, how widely, and what runs in it."""

    router: str  # project-wide name of the blueprint/app the hook is registered on
    scope: str  # ROUTER | APP
    name: str  # the hook function's own name, for evidence
    refs: tuple[str, ...]  # the hook function and its decorators, as project-wide names
    line: int
    # URL parameters the hook reads from the values it is handed (`values.pop("project_id")`):
    # it can only decide about routes whose path carries one of them
    path_params: tuple[str, ...] = ()
    # endpoints it lets through by name (`if request.endpoint not in _open_views and not
    # logged_in(): ...` with `_open_views = ["main.login", "static"]`): their view functions' names
    exempt_views: tuple[str, ...] = ()
    # it tests `request.endpoint` against something the review cannot read: which routes it
    # lets through is unknown, so it decides none
    unread_exemptions: bool = False


def request_hooks(module: ir.Module, imports: Mapping[str, str]) -> tuple[RequestHook, ...]:
    """Every `@x.before_request` / `x.before_request(fn)` of the module (module level and
    inside set-up functions), with an `app` receiver's hooks applying to every route when the
    app itself is the receiver (`app.before_request`) of a Flask app object."""
    functions = {f.qualname: f for f in module.functions}
    found: list[RequestHook] = []
    for function in module.functions:
        decorated = [d for d in function.decorators if _hook_kind(d) is not None]
        if not decorated:
            continue
        guards = tuple(name for d in function.decorators if _hook_kind(d) is None
                       for name in [_decorator_name(d, module, imports)] if name)
        refs = (f"{module.module_name}.{function.qualname}",) + guards
        for decorator in decorated:
            receiver, kind = _hook_kind(decorator)  # type: ignore[misc]
            router = qualified_receiver(receiver, module, imports)
            if router:
                exempt = endpoint_exemptions(function, module)
                found.append(RequestHook(router, _scope(kind, receiver), function.name, refs, function.line,
                                         url_values_read(function), exempt or (), exempt is None))
    seen = {(hook.router, hook.refs[0]) for hook in found}
    for call in _module_calls(module):
        kind = _call_kind(call)
        if kind is None or not call.args:
            continue
        target = ir.dotted_name(call.args[0]) or ""
        hook = qualify(target, module, imports)
        router = qualified_receiver(call.func.value, module, imports)  # type: ignore[union-attr]
        if not hook or not router or (router, hook) in seen:
            continue
        seen.add((router, hook))
        local = functions.get(target)
        guards = tuple(name for d in (local.decorators if local is not None else ())
                       for name in [_decorator_name(d, module, imports)] if name)
        exempt = endpoint_exemptions(local, module) if local is not None else ()
        found.append(RequestHook(router, _scope(kind, call.func.value), target.rsplit(".", 1)[-1],  # type: ignore[union-attr]
                                 (hook,) + guards, call.line, url_values_read(local) if local is not None else (),
                                 exempt or (), exempt is None))
    return tuple(found)


def endpoint_exemptions(function: ir.Function, module: ir.Module) -> tuple[str, ...] | None:
    """The view functions' names a hook lets through by endpoint name: `request.endpoint in X` /
    `not in X` with X a literal collection of strings or a module-level one ("main.login" names
    the view `login`); None when X is something else (unreadable: the hook decides no route)."""
    collections = {target.id: stmt.value for stmt in module.body if isinstance(stmt, ir.Assign)
                   for target in stmt.targets if isinstance(target, ir.Name)}
    names: list[str] = []
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if not (isinstance(node, ir.Compare) and node.ops[:1] in (("in",), ("not in",))
                        and ir.dotted_name(node.left) == "request.endpoint"):
                    continue
                listed = node.comparators[0]
                if isinstance(listed, ir.Name):
                    listed = collections.get(listed.id, listed)
                if not isinstance(listed, ir.Seq) or not all(
                        isinstance(item, ir.Const) and isinstance(item.value, str) for item in listed.elts):
                    return None
                names.extend(str(item.value).rsplit(".", 1)[-1] for item in listed.elts)  # type: ignore[union-attr]
    return tuple(dict.fromkeys(names))


def url_values_read(function: ir.Function) -> tuple[str, ...]:
    """The URL parameters a `url_value_preprocessor(endpoint, values)` hook reads from `values`
    (`values.pop("project_id")`, `values.get(...)`, `values[...]`, `"..." in values`): what it
    checks exists only for routes whose path has one of them."""
    params = [p.name for p in function.params if p.name not in ("self", "cls")]
    if len(params) != 2:
        return ()
    values = params[1]
    found: list[str] = []
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                found.extend(_key_read(node, values))
    return tuple(dict.fromkeys(found))


def _key_read(node: ir.Expr, values: str) -> list[str]:
    def is_values(expr: ir.Expr) -> bool:  # `values`, or `(values or {})`
        if isinstance(expr, ir.BoolOp) and expr.values:
            return is_values(expr.values[0])
        return isinstance(expr, ir.Name) and expr.id == values

    def literal(expr: ir.Expr) -> list[str]:
        return [expr.value] if isinstance(expr, ir.Const) and isinstance(expr.value, str) else []

    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and is_values(node.func.value) \
            and node.func.attr in ("pop", "get") and node.args:
        return literal(node.args[0])
    if isinstance(node, ir.Subscript) and is_values(node.value):
        return literal(node.index)
    if isinstance(node, ir.Compare) and node.ops[:1] in (("in",), ("not in",)) and is_values(node.comparators[0]):
        return literal(node.left)
    return []


def _hook_kind(decorator: ir.Expr) -> tuple[ir.Expr, str] | None:
    target = decorator.func if isinstance(decorator, ir.Call) else decorator
    if isinstance(target, ir.Attr) and target.attr in HOOK_SCOPES:
        return target.value, HOOK_SCOPES[target.attr]
    return None


def _call_kind(call: ir.Call) -> str | None:
    return HOOK_SCOPES.get(call.func.attr) if isinstance(call.func, ir.Attr) else None


def _scope(kind: str, receiver: ir.Expr) -> str:
    """`app.before_request` runs for every route; so does a blueprint's `before_app_request`."""
    if kind == APP:
        return APP
    name = (ir.dotted_name(receiver) or "").rsplit(".", 1)[-1]
    return APP if name in ("app", "application", "flask_app") else ROUTER


def _decorator_name(decorator: ir.Expr, module: ir.Module, imports: Mapping[str, str]) -> str:
    target = decorator.func if isinstance(decorator, ir.Call) else decorator
    return qualify(ir.dotted_name(target) or "", module, imports)



def _module_calls(module: ir.Module) -> Iterator[ir.Call]:
    """Calls made as statements at module level or in any function (`def create_app(): ...
    app.before_request(load_user)`)."""
    for _, statements in ir.body_statements(module):
        for stmt in statements:
            if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call):
                yield stmt.value

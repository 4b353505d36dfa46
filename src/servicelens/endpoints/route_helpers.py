"""Module functions that register the view and URL they are given, read at each call.

    def register_api(view, endpoint, url, pk="id"):
        view_func = view.as_view(endpoint)
        app.add_url_rule(url, view_func=view_func, methods=["GET", "POST"])
        app.add_url_rule(f"{url}<int:{pk}>", view_func=view_func, methods=["GET", "PUT", "DELETE"])

    register_api(InvoiceAPI, "invoices", "/invoices/")

Each call registers what the helper's `add_url_rule`s say with the call's arguments put in
for the helper's parameters: the rule (a parameter, or text built from parameters and
literals), the view (a parameter, or `param.as_view(...)` directly or through a local name)
and the methods. A rule that needs a value the call does not give literally is not guessed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from servicelens import ir

_FORWARDED = ("add_url_rule",)


@dataclass(frozen=True, slots=True)
class HelperRule:
    rule: ir.Expr  # as written in the helper
    view_param: str  # the helper parameter holding the view (class or function)
    methods: tuple[str, ...]  # () when `methods=` is absent or not literal
    class_view: bool  # registered as `param.as_view(...)`: the class's own methods answer


@dataclass(frozen=True, slots=True)
class RouteHelper:
    params: tuple[ir.Param, ...]
    rules: tuple[HelperRule, ...]


@dataclass(frozen=True, slots=True)
class HelperRoute:
    path: str
    view: ir.Expr  # the call's argument
    methods: tuple[str, ...]  # () the class view's own methods; a plain function answers GET
    line: int


def route_helpers(module: ir.Module) -> dict[str, RouteHelper]:
    """Module-level functions whose `add_url_rule`s take their view from a parameter."""
    found: dict[str, RouteHelper] = {}
    for function in module.functions:
        if function.parent is not None or function.class_name is not None:
            continue
        names = {p.name for p in function.params if p.kind in ("positional", "keyword")}
        views = _local_views(function.body, names)
        class_views = {name for name, (_, via_as_view) in views.items() if via_as_view}
        rules = []
        for call in _calls(function.body):
            if not isinstance(call.func, ir.Attr) or call.func.attr not in _FORWARDED:
                continue
            rule, view = call.arg(0, "rule"), call.kwarg("view_func") or call.arg(2)
            param, via_as_view = _view_param(view, names, views)
            via_as_view = via_as_view or (isinstance(view, ir.Name) and view.id in class_views)
            if rule is not None and param:
                rules.append(HelperRule(rule, param, _methods(call.kwarg("methods")), via_as_view))
        if rules:
            found[function.name] = RouteHelper(function.params, tuple(rules))
    return found


def helper_routes(call: ir.Call, helper: RouteHelper) -> list[HelperRoute]:
    """What one call of the helper registers."""
    env = _arguments(call, helper.params)
    out = []
    for rule in helper.rules:
        path = _text(rule.rule, env)
        view = env.get(rule.view_param)
        if path is not None and path.startswith("/") and view is not None:
            methods = rule.methods or ((), ("GET",))[not rule.class_view]
            out.append(HelperRoute(path, view, methods, call.line))
    return out


_calls = ir.calls_in_body


def _local_views(body: tuple[ir.Stmt, ...], params: set[str]) -> dict[str, tuple[str, bool]]:
    """`view_func = view.as_view(endpoint)`: local name -> (the parameter it is the view of,
    whether through `as_view`)."""
    found: dict[str, tuple[str, bool]] = {}
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and stmt.op is None:
            param, via_as_view = _view_param(stmt.value, params, {})
            for target in stmt.targets:
                if param and isinstance(target, ir.Name):
                    found[target.id] = (param, via_as_view)
    return found


def _view_param(expr: ir.Expr | None, params: set[str],
                views: Mapping[str, tuple[str, bool]]) -> tuple[str, bool]:
    """The parameter a view expression comes from, and whether through `as_view`."""
    via_as_view = isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "as_view"
    if via_as_view:
        expr = expr.func.value  # type: ignore[union-attr]
    if isinstance(expr, ir.Name):
        if expr.id in params:
            return expr.id, via_as_view
        if expr.id in views:
            return views[expr.id]
    return "", False


def _methods(expr: ir.Expr | None) -> tuple[str, ...]:
    if not isinstance(expr, ir.Seq):
        return ()
    found = [e.value.upper() for e in expr.elts if isinstance(e, ir.Const) and isinstance(e.value, str)]
    return tuple(found) if len(found) == len(expr.elts) else ()


def _arguments(call: ir.Call, params: tuple[ir.Param, ...]) -> dict[str, ir.Expr]:
    env: dict[str, ir.Expr] = {p.name: p.default for p in params if p.default is not None}
    positional = [p for p in params if p.kind == "positional"]
    for param, arg in zip(positional, call.args):
        if isinstance(arg, ir.Starred):
            break
        env[param.name] = arg
    for keyword in call.kwargs:
        if keyword.name:
            env[keyword.name] = keyword.value
    return env


def _text(expr: ir.Expr, env: Mapping[str, ir.Expr], depth: int = 0) -> str | None:
    """The string a rule evaluates to with the call's literal arguments, None if unknown."""
    if depth > 4:
        return None
    if isinstance(expr, ir.Const):
        return str(expr.value) if isinstance(expr.value, (str, int)) and not isinstance(expr.value, bool) else None
    if isinstance(expr, ir.Name):
        bound = env.get(expr.id)
        return _text(bound, {}, depth + 1) if bound is not None else None
    if isinstance(expr, ir.FormattedString):
        parts = [_text(part, env, depth + 1) for part in expr.parts]
        return "".join(p for p in parts if p is not None) if all(p is not None for p in parts) else None
    if isinstance(expr, ir.BinOp) and expr.op == "+":
        left, right = _text(expr.left, env, depth + 1), _text(expr.right, env, depth + 1)
        return f"{left}{right}" if left is not None and right is not None else None
    return None

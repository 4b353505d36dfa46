"""Project decorators that run the view only for a caller holding the permission they are handed.

`@permission_required(perm="recruitment.view_candidate")`, where the project's own
`permission_required(function, perm)` wraps the view in `if request.user.has_perm(perm): return
function(request, *args, **kwargs)` and refuses otherwise, is Django's model permission under the
project's name: an administrator granted that codename to a role, and Django's model backend
grants it on every row of the model. A view behind it is a back-office tool by design (as behind
django.contrib.auth's own decorator, rules/python/_model_permissions.py), so fetching a row by the
id the caller sent is the feature, not an object-level hole.

A decorator counts when one of its nested wrappers calls the wrapped view only where a
`has_perm`/`has_perms` test of the decorator's own argument said yes: inside `if <test>:` (a test
with no `or`: `has_perm(perm) or is_manager(user)` lets others in), or after `if not <test>:` that
leaves. The decorator is judged where it is applied, by the codename it is handed there
(`"app.codename"`); the same decorator's body is read wherever it is defined in the project.
"""
from __future__ import annotations

import re
from typing import Iterator

from servicelens import ir
from servicelens.rules.python._project_calls import function_key
from servicelens.taint.scope import ModuleScope

_PERMISSION_TESTS = frozenset({"has_perm", "has_perms"})
# Django's `"<app_label>.<codename>"`
_CODENAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")


def permission_gates(module: ir.Module, scope: ModuleScope) -> Iterator[str]:
    """Function keys of this module's decorators whose wrapper runs the view only under `has_perm`
    of the permission the decorator was handed."""
    nested: dict[str, list[ir.Function]] = {}
    for function in module.functions:
        if function.parent:
            nested.setdefault(function.parent, []).append(function)
    for function in module.functions:
        if function.parent or function.class_name or not function.params:
            continue
        if any(_gated(wrapper, handed) for wrapper, handed in _wrappers(function, nested)):
            yield function_key(scope, function)


def _wrappers(decorator: ir.Function, nested: dict[str, list[ir.Function]]
              ) -> Iterator[tuple[ir.Function, frozenset[str]]]:
    """Each function nested in the decorator, with the names its enclosing functions were handed
    (the view and the permission: `permission_required(function, perm)`, or `(perm)` then `(view)`)."""
    stack = [(decorator, frozenset(p.name for p in decorator.params))]
    while stack:
        outer, handed = stack.pop()
        for inner in nested.get(outer.qualname, ()):
            yield inner, handed
            stack.append((inner, handed | {p.name for p in inner.params}))


def _gated(wrapper: ir.Function, handed: frozenset[str]) -> bool:
    """Every call of a handed name (the view) runs only where a permission test of a handed name
    (the codename) said yes, and there is at least one."""
    own = {p.name for p in wrapper.params}
    views = handed - own
    called = guarded = False
    for stmt in wrapper.body:
        if isinstance(stmt, ir.If) and _is_test(_negated(stmt.test), handed) and _leaves(stmt.body):
            guarded = True  # `if not request.user.has_perm(perm): raise PermissionDenied`
            continue
        calls = _view_calls((stmt,), views)
        if not calls:
            continue
        called = True
        if guarded:
            continue
        if not (isinstance(stmt, ir.If) and _is_test(stmt.test, handed)
                and not _view_calls(stmt.orelse, views) and _view_calls(stmt.body, views)):
            return False
    return called


def _negated(test: ir.Expr) -> ir.Expr | None:
    return test.operand if isinstance(test, ir.Unary) and test.op == "not" else None


def _is_test(test: ir.Expr | None, handed: frozenset[str]) -> bool:
    """`request.user.has_perm(perm)`, `any(user.has_perm(p) for p in perms)`, or one of them `and`
    something else; never `or` something else."""
    if test is None:
        return False
    if isinstance(test, ir.BoolOp):
        return test.op == "and" and any(_is_test(value, handed) for value in test.values)
    if not isinstance(test, ir.Call):
        return False
    checks = [n for n in ir.walk_expr(test) if isinstance(n, ir.Call) and ir.last_name(n.func) in _PERMISSION_TESTS]
    if not checks or any(isinstance(n, ir.BoolOp) and n.op == "or" for n in ir.walk_expr(test)):
        return False
    return any(isinstance(n, ir.Name) and n.id in handed for n in ir.walk_expr(test))


def _view_calls(body: tuple[ir.Stmt, ...], views: frozenset[str]) -> list[ir.Call]:
    return [n for s in ir.walk_stmts(body) for e in ir.stmt_exprs(s) for n in ir.walk_expr(e)
            if isinstance(n, ir.Call) and isinstance(n.func, ir.Name) and n.func.id in views]


def _leaves(body: tuple[ir.Stmt, ...]) -> bool:
    """The branch ends the request: it returns (a refusal) or raises."""
    return any(isinstance(s, (ir.Return, ir.Raise)) for s in body)


def applied_with_codename(decorators: tuple[ir.Expr, ...], scope: ModuleScope) -> Iterator[str]:
    """The dotted names (through the imports) of the decorators applied here with a permission
    codename (`@permission_required(perm="recruitment.view_candidate")`, also inside
    `method_decorator(...)`)."""
    for decorator in decorators:
        for node in ir.walk_expr(decorator):
            if not isinstance(node, ir.Call) or not any(_names_codename(v) for v in (
                    *node.args, *(kw.value for kw in node.kwargs))):
                continue
            dotted = ir.dotted_name(node.func) or ""
            qualified = scope.qualify(dotted, None, set()) if dotted else None
            if qualified:
                yield qualified


def _names_codename(value: ir.Expr) -> bool:
    texts = value.elts if isinstance(value, ir.Seq) else (value,)
    return bool(texts) and all(isinstance(t, ir.Const) and isinstance(t.value, str) and _CODENAME.match(t.value)
                               for t in texts)

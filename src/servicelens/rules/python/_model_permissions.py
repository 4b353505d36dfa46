"""Django's model permissions: a grant on every row of a model, decided by role.

`@permission_required("exercises.change_exercise")` (django.contrib.auth) or
`PermissionRequiredMixin` with `permission_required = "core.change_timer"` admits only users an
administrator gave that permission, and Django's model backend grants it for every row of the
model: the view is a back-office tool by design, so fetching a row by the id the caller sent is
the feature, not an object-level hole. A project's own decorator of the same name may mean
anything (horilla's lets any manager in) and is not read as one; a project's
`PermissionRequiredMixin` (a thin subclass, declaring the same `"app.codename"`) is, wherever the
project defines it (`permission_mixins` here, `codename_view_bases` where a view declares one).
"""
from __future__ import annotations

from typing import Iterator

from servicelens import ir
from servicelens.taint.scope import ModuleScope

_DECORATOR = "django.contrib.auth.decorators.permission_required"
_MIXIN = "django.contrib.auth.mixins.PermissionRequiredMixin"


def requires_model_permission(module: ir.Module, function: ir.Function, cls: ir.ClassDef | None) -> bool:
    """The handler (or its class, through `method_decorator` or the mixin with a declared
    permission) is guarded by Django's own model-permission check."""
    imports = {i.local: i.target for i in module.imports}
    exprs = [*function.decorators, *(cls.decorators if cls is not None else ())]
    if any(_is_permission_decorator(node, imports) for e in exprs for node in ir.walk_expr(e)):
        return True
    return cls is not None and _mixin_with_permission(cls, imports)


def _is_permission_decorator(node: ir.Expr, imports: dict[str, str]) -> bool:
    """`permission_required("app.codename", ...)` imported from django.contrib.auth (also inside
    `method_decorator(...)`); a call, since the bare name is not a guard."""
    return isinstance(node, ir.Call) and bool(node.args or node.kwargs) and _qualified(node.func, imports) == _DECORATOR


def _mixin_with_permission(cls: ir.ClassDef, imports: dict[str, str]) -> bool:
    if not any(_qualified(base, imports) == _MIXIN or ir.last_name(base) == _MIXIN.rsplit(".", 1)[-1]
               for base in cls.bases):
        return False
    return any(isinstance(stmt, ir.Assign) and stmt.value is not None and _names_permission(stmt.value)
               and any(isinstance(t, ir.Name) and t.id == "permission_required" for t in stmt.targets)
               for stmt in cls.body)


def _names_permission(value: ir.Expr) -> bool:
    """`"core.change_timer"` or a tuple/list of such codenames (an empty one grants everyone)."""
    texts = [value] if isinstance(value, ir.Const) else list(value.elts) if isinstance(value, ir.Seq) else []
    return bool(texts) and all(isinstance(t, ir.Const) and isinstance(t.value, str) and "." in t.value for t in texts)


def _qualified(expr: ir.Expr, imports: dict[str, str]) -> str:
    dotted = ir.dotted_name(expr) or ""
    head, _, rest = dotted.partition(".")
    target = imports.get(head)
    return f"{target}.{rest}" if target and rest else target or dotted


def permission_mixins(module: ir.Module, scope: ModuleScope) -> Iterator[str]:
    """Keys (`module.Class`) of this module's classes built directly on Django's `PermissionRequiredMixin`
    (`class OrganizationPermissionMixin(PermissionRequiredMixin)`): a view based on one that declares a
    codename is guarded by it, whatever file the view is in."""
    imports = {i.local: i.target for i in module.imports}
    for cls in module.classes:
        if any(_qualified(base, imports) == _MIXIN for base in cls.bases):
            yield f"{scope.name}.{cls.qualname}"


def codename_view_bases(cls: ir.ClassDef | None, scope: ModuleScope) -> tuple[str, ...]:
    """The bases (dotted, through the imports) of a view class that declares `permission_required =
    "app.codename"`; none when it declares no codename."""
    if cls is None or not any(isinstance(stmt, ir.Assign) and stmt.value is not None and _names_permission(stmt.value)
                              and any(isinstance(t, ir.Name) and t.id == "permission_required" for t in stmt.targets)
                              for stmt in cls.body):
        return ()
    found = []
    for base in cls.bases:
        dotted = ir.dotted_name(base) or ""
        qualified = scope.qualify(dotted, None, set()) if dotted else None
        if qualified:
            found.append(qualified)
    return tuple(found)

"""Decorators a Django URLconf applies to views: around the view, or through a project helper.

    path("me/profile", login_required(views.user_profile))             # urls.py: wraps the view
    i18n_urls += decorated_patterns([can_edit_map, never_cache], *map_urls)

    def decorated_patterns(func, *urls):                               # utils.py: the helper
        def decorate(urls, func):
            for url in urls:
                url.__class__ = DecoratedURLPattern
                url._decorate_with.append(func)                        # resolve() applies it
        for f in (func if isinstance(func, (list, tuple)) else [func]):
            decorate(urls, f)
        return urls

Either way each decorator runs before the view on every request of those patterns, so it decides
auth like a decorator written on the view (endpoints.inventory `decide_principals`: a project one
by its body, a library one by what the models know of it). A helper counts by its body, never by
its name: some parameter of it, followed through loops over it, reassignments and calls of its
nested functions, is called on something (`p._callback = func(p._callback)`) or stored into an
attribute of something (`url._decorate_with.append(func)`), while it loops over what another
parameter holds (the patterns). The URLconf reader (frameworks.django_urls) records which
arguments were handed with the patterns; this module keeps those the helper applies.

A helper that decorates pattern objects in place applies to them wherever they are listed, so the
decorators of one `path(...)` are every helper's that was handed it; a view bound by several
`path(...)` calls is guarded only by what all of them apply.
"""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

from servicelens import ir
from servicelens.frameworks.django_urls import UrlPattern

_STORING = frozenset({"append", "extend", "insert", "add"})


def pattern_decorating_helpers(module: ir.Module) -> tuple[tuple[str, int], ...]:
    """(function key, positional index) of each module-level function of the module that applies
    its parameter at that index to the patterns another parameter holds."""
    nested: dict[str, list[ir.Function]] = {}
    for function in module.functions:
        if function.parent is not None:
            nested.setdefault(function.parent, []).append(function)
    found: list[tuple[str, int]] = []
    for function in module.functions:
        if function.parent is not None or function.class_name is not None or len(function.params) < 2:
            continue
        family = _family(function, nested)
        if not any(isinstance(stmt, ir.For) for f in family for stmt in ir.walk_stmts(f.body)):
            continue  # nothing loops over patterns (most functions: asked before any flow is followed)
        for index, param in enumerate(function.params):
            if param.kind != "positional":
                continue
            applied = _derived({param.name}, family)
            others = _derived({p.name for p in function.params if p.name != param.name}, family)
            if _applies(applied, family) and _loops_over(others - applied, family):
                found.append((f"{module.module_name}.{function.qualname}", index))
    return tuple(found)


def _family(function: ir.Function, nested: Mapping[str, list[ir.Function]]) -> list[ir.Function]:
    family, pending = [], [function]
    while pending:
        current = pending.pop()
        family.append(current)
        pending.extend(nested.get(current.qualname, ()))
    return family


def _derived(names: set[str], family: list[ir.Function]) -> set[str]:
    """`names` and what holds them in the family's bodies: loop variables over them, names assigned
    from them (`func = [func]`), and the parameters of a nested function called with them."""
    by_name = {f.name: f for f in family}
    held = set(names)
    for _ in range(4):
        before = len(held)
        for function in family:
            for stmt in ir.walk_stmts(function.body):
                if isinstance(stmt, ir.For) and _mentions(stmt.iter, held) and isinstance(stmt.target, ir.Name):
                    held.add(stmt.target.id)
                elif isinstance(stmt, ir.Assign) and stmt.value is not None and _mentions(stmt.value, held):
                    held.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
                for call in _calls(stmt):
                    callee = by_name.get(call.func.id) if isinstance(call.func, ir.Name) else None
                    if callee is None:
                        continue
                    held.update(p.name for p, arg in zip(callee.params, call.args) if _mentions(arg, held))
        if len(held) == before:
            break
    return held


def _applies(held: set[str], family: list[ir.Function]) -> bool:
    """A name of `held` is called on something, or stored into an attribute (`x.attr = f`,
    `x._decorators.append(f)`)."""
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            for call in _calls(stmt):
                if isinstance(call.func, ir.Name) and call.func.id in held and call.args:
                    return True
                if isinstance(call.func, ir.Attr) and call.func.attr in _STORING and isinstance(call.func.value, ir.Attr) \
                        and any(isinstance(arg, ir.Name) and arg.id in held for arg in call.args):
                    return True
            # the decorator itself stored (`p.decorator = func`); a value only computed from a parameter
            # (`p.name = prefix + p.name`) applies nothing
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.id in held \
                    and any(isinstance(t, ir.Attr) for t in stmt.targets):
                return True
    return False


def _loops_over(held: set[str], family: list[ir.Function]) -> bool:
    return any(isinstance(stmt, ir.For) and _mentions(stmt.iter, held)
               for function in family for stmt in ir.walk_stmts(function.body))


def _mentions(expr: ir.Expr, names: set[str]) -> bool:
    return any(isinstance(node, ir.Name) and node.id in names for node in ir.walk_expr(expr))


def _calls(stmt: ir.Stmt) -> list[ir.Call]:
    return [node for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr) if isinstance(node, ir.Call)]


def view_decorators(patterns_by_module: Mapping[str, Sequence[UrlPattern]], helpers: Sequence[tuple[str, int]],
                    same: Callable[[str, str], bool]) -> dict[str, tuple[str, ...]]:
    """Dotted view -> the decorators every URLconf pattern binding it applies (its own wrappers and
    what the helpers it was handed to apply), outermost first."""
    applying = {(key.rsplit(".", 1)[-1], index): key for key, index in helpers}
    per_call: dict[tuple[str, int, str], list[str]] = {}
    for module, patterns in patterns_by_module.items():
        for pattern in patterns:
            if pattern.kind != "view":
                continue
            names = list(pattern.wrappers)
            for helper, index, decorator in pattern.helper_wrappers:
                key = applying.get((helper.rsplit(".", 1)[-1], index))
                if key is not None and same(key, helper):
                    names.append(decorator)
            # one `path(...)` call decorated in place by several helpers gathers all of them
            gathered = per_call.setdefault((module, pattern.line, pattern.target), [])
            gathered.extend(name for name in names if name not in gathered)
    by_view: dict[str, list[list[str]]] = {}
    for (_, _, target), names in per_call.items():
        by_view.setdefault(target, []).append(names)
    # a view some pattern binds undecorated (or decorated otherwise) is guarded only by what all share
    return {view: tuple(n for n in found[0] if all(n in other for other in found[1:]))
            for view, found in by_view.items() if found[0]}

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

from typing import Callable, Mapping, NamedTuple, Sequence

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
        laid_out = _layout(family)  # every question below reads these, once per family
        for index, param in enumerate(function.params):
            if param.kind != "positional":
                continue
            applied = _derived({param.name}, laid_out)
            others = _derived({p.name for p in function.params if p.name != param.name}, laid_out)
            if _applies(applied, laid_out) and _loops_over(others - applied, laid_out):
                found.append((f"{module.module_name}.{function.qualname}", index))
    return tuple(found)


def _family(function: ir.Function, nested: Mapping[str, list[ir.Function]]) -> list[ir.Function]:
    family, pending = [], [function]
    while pending:
        current = pending.pop()
        family.append(current)
        pending.extend(nested.get(current.qualname, ()))
    return family


class _Call(NamedTuple):
    """One call of a statement, as the questions below read it: `f(...)` names `f`; `x.y.append(...)`
    stores into an attribute; each argument by the names it mentions."""

    name: str | None  # the callee when it is a plain name
    stores: bool  # `<attribute>.append/extend/insert/add(...)`
    args: tuple[frozenset[str], ...]  # positional arguments' names
    named_args: frozenset[str]  # arguments that are a name themselves (`append(func)`)


class _Stmt(NamedTuple):
    """One statement of the family with the names of what it evaluates, laid out once: the flow
    below follows names through up to four passes over every statement."""

    loop: tuple[frozenset[str], str | None] | None  # a `for`: the iterable's names, the target's name
    assign: tuple[frozenset[str], tuple[str, ...]] | None  # an assignment: the value's names, named targets
    stores_name: str | None  # `x.attr = name`: the name stored into an attribute
    calls: tuple[_Call, ...]


class _Layout(NamedTuple):
    stmts: tuple[_Stmt, ...]
    by_name: Mapping[str, ir.Function]


def _names(expr: ir.Expr) -> frozenset[str]:
    return frozenset(node.id for node in ir.walk_expr(expr) if isinstance(node, ir.Name))


def _layout(family: list[ir.Function]) -> _Layout:
    stmts: list[_Stmt] = []
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            loop = (_names(stmt.iter), stmt.target.id if isinstance(stmt.target, ir.Name) else None) \
                if isinstance(stmt, ir.For) else None
            assign = (_names(stmt.value), tuple(t.id for t in stmt.targets if isinstance(t, ir.Name))) \
                if isinstance(stmt, ir.Assign) and stmt.value is not None else None
            stores_name = stmt.value.id if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) \
                and any(isinstance(t, ir.Attr) for t in stmt.targets) else None
            calls = tuple(_Call(call.func.id if isinstance(call.func, ir.Name) else None,
                                isinstance(call.func, ir.Attr) and call.func.attr in _STORING
                                and isinstance(call.func.value, ir.Attr),
                                tuple(_names(arg) for arg in call.args),
                                frozenset(arg.id for arg in call.args if isinstance(arg, ir.Name)))
                          for call in _calls(stmt))
            stmts.append(_Stmt(loop, assign, stores_name, calls))
    return _Layout(tuple(stmts), {f.name: f for f in family})


def _derived(names: set[str], family: _Layout) -> set[str]:
    """`names` and what holds them in the family's bodies: loop variables over them, names assigned
    from them (`func = [func]`), and the parameters of a nested function called with them."""
    by_name = family.by_name
    held = set(names)
    for _ in range(4):
        before = len(held)
        for stmt in family.stmts:
            if stmt.loop is not None:
                if stmt.loop[1] is not None and not held.isdisjoint(stmt.loop[0]):
                    held.add(stmt.loop[1])
            elif stmt.assign is not None and not held.isdisjoint(stmt.assign[0]):
                held.update(stmt.assign[1])
            for call in stmt.calls:
                callee = by_name.get(call.name) if call.name is not None else None
                if callee is None:
                    continue
                for param, arg in zip(callee.params, call.args):  # one by one: a later argument sees an earlier one's
                    if not held.isdisjoint(arg):
                        held.add(param.name)
        if len(held) == before:
            break
    return held


def _applies(held: set[str], family: _Layout) -> bool:
    """A name of `held` is called on something, or stored into an attribute (`x.attr = f`,
    `x._decorators.append(f)`)."""
    for stmt in family.stmts:
        for call in stmt.calls:
            if call.name is not None and call.name in held and call.args:
                return True
            if call.stores and not held.isdisjoint(call.named_args):
                return True
        # the decorator itself stored (`p.decorator = func`); a value only computed from a parameter
        # (`p.name = prefix + p.name`) applies nothing
        if stmt.stores_name is not None and stmt.stores_name in held:
            return True
    return False


def _loops_over(held: set[str], family: _Layout) -> bool:
    return any(stmt.loop is not None and not held.isdisjoint(stmt.loop[0]) for stmt in family.stmts)


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

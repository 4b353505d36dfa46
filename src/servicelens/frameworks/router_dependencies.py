"""FastAPI routers and apps built with `dependencies=`: what every route on them passes first.

A router's dependencies are often not written inline. An app factory builds the list step by
step and hands it over by name, and builds its routers inside the function that returns them:

    def create_v1_router(auth_enabled: bool) -> APIRouter:
        dependencies = [Depends(refuse_in_read_only_mode)]
        if auth_enabled:
            dependencies.append(Depends(is_authenticated))
        router = APIRouter(prefix="/v1", dependencies=dependencies)
        router.include_router(datasets.router)

Each scope (the module body, each function) is read on its own: a name means what it was bound
to in the scope that uses it or an enclosing one, so two factories' local `router`s stay apart.
"""
from __future__ import annotations

from typing import Mapping

from servicelens import ir

_BUILDERS = frozenset({"APIRouter", "FastAPI"})
MODULE_SCOPE = ""  # the scope key of the module body


def scoped_router_dependencies(module: ir.Module) -> Mapping[str, Mapping[str, tuple[ir.Expr, ...]]]:
    """scope ("" for the module body, else a function's qualname) -> router/app name bound there
    -> the expressions of its `dependencies=` (a literal list, or a list variable of the same
    scope with what `.append`/`.extend`/`+=` added to it). Computed once per module."""
    key = ("router-dependencies",)
    found = module.derived.get(key)
    if found is None:
        found = module.derived[key] = _scan(module)
    return found  # type: ignore[return-value]


def visible_router_dependencies(module: ir.Module, function: ir.Function | None) -> dict[str, tuple[ir.Expr, ...]]:
    """The routers a statement of `function` (None: the module body) can name: its own scope's,
    then its enclosing functions', then the module's (an inner binding hides an outer one)."""
    scopes = scoped_router_dependencies(module)
    chain: list[str] = []
    by_qualname = {f.qualname: f for f in module.functions}
    current = function
    while current is not None:
        chain.append(current.qualname)
        current = by_qualname.get(current.parent) if current.parent else None
    merged: dict[str, tuple[ir.Expr, ...]] = dict(scopes.get(MODULE_SCOPE, {}))
    for scope in reversed(chain):
        merged.update(scopes.get(scope, {}))
    return merged


def _scan(module: ir.Module) -> dict[str, dict[str, tuple[ir.Expr, ...]]]:
    found: dict[str, dict[str, tuple[ir.Expr, ...]]] = {}
    for function, walked in ir.body_statements(module):
        scope = MODULE_SCOPE if function is None else function.qualname
        statements = list(walked)
        lists = _list_variables(statements)
        for stmt in statements:
            if not isinstance(stmt, ir.Assign) or stmt.op or not isinstance(stmt.value, ir.Call):
                continue
            if (ir.dotted_name(stmt.value.func) or "").rsplit(".", 1)[-1] not in _BUILDERS:
                continue
            deps = stmt.value.kwarg("dependencies")
            exprs = lists.get(deps.id, ()) if isinstance(deps, ir.Name) else (deps,) if deps is not None else ()
            if exprs:
                for target in stmt.targets:
                    if isinstance(target, ir.Name):
                        found.setdefault(scope, {})[target.id] = exprs
    return found


def _list_variables(statements: list[ir.Stmt]) -> dict[str, tuple[ir.Expr, ...]]:
    """`deps = [a]`, `deps.append(b)`, `deps.extend([c])`, `deps += [d]` in one scope: name -> every
    element it may hold (a branch that adds one counts: the routes pass it whenever it runs)."""
    held: dict[str, list[ir.Expr]] = {}
    for stmt in statements:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Seq) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], ir.Name):
            name = stmt.targets[0].id
            held[name] = (held.get(name, []) if stmt.op == "+" else []) + list(stmt.value.elts)
        elif isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) \
                and isinstance(stmt.value.func, ir.Attr) and isinstance(stmt.value.func.value, ir.Name) \
                and stmt.value.func.value.id in held and stmt.value.args:
            added = stmt.value.args[0]
            if stmt.value.func.attr == "append":
                held[stmt.value.func.value.id].append(added)
            elif stmt.value.func.attr == "extend" and isinstance(added, ir.Seq):
                held[stmt.value.func.value.id].extend(added.elts)
    return {name: tuple(exprs) for name, exprs in held.items() if exprs}

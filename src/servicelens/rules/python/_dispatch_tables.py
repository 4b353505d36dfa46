"""Functions a call runs through a table of them: the event dispatch a webhook or a job runner keeps.

Not a rule (it defines no RULE). A module-level dict whose values name the project's functions
(`HANDLERS = {"charge.succeeded": _on_succeeded, "charge.failed": _on_failed}`) and a call that picks
one of them by key (`HANDLERS[kind](...)`, `HANDLERS.get(kind)(...)`, or `handler = HANDLERS.get(kind)`
then `handler(...)`) may run any of its values: each is reached from the caller, so what the handler
runs per request, its values run per request. Only a table every value of which names a function
counts (a dict of settings or of strings is no dispatch).
"""
from __future__ import annotations

from typing import Mapping

from servicelens import ir
from servicelens.taint.scope import ModuleScope

_NONE: tuple[str, ...] = ()


def dispatched(call: ir.Call, scope: ModuleScope, function: ir.Function | None,
               assigns: Mapping[str, ir.Expr]) -> tuple[str, ...]:
    """The project functions `call` may run through a module-level table of them; () for none."""
    picked: ir.Expr = call.func
    if isinstance(picked, ir.Name) and picked.id in assigns:
        picked = assigns[picked.id]  # `handler = HANDLERS.get(kind)` ... `handler(session, data)`
    table = _table_name(picked)
    if not table or table in assigns or function is not None and any(p.name == table for p in function.params):
        return _NONE  # a local of the same name is not the module's table
    return scope.memo("dispatch-tables", lambda: _tables(scope)).get(table, _NONE)


def _table_name(expr: ir.Expr) -> str:
    """`HANDLERS` for `HANDLERS[kind]` and `HANDLERS.get(kind[, default])`."""
    if isinstance(expr, ir.Subscript) and isinstance(expr.value, ir.Name):
        return expr.value.id
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "get" \
            and isinstance(expr.func.value, ir.Name) and expr.args:
        return expr.func.value.id
    return ""


def _tables(scope: ModuleScope) -> dict[str, tuple[str, ...]]:
    """Module-level `NAME = {key: function, ...}` whose every value names a project function."""
    found: dict[str, tuple[str, ...]] = {}
    for stmt in scope.module.body:
        if not isinstance(stmt, ir.Assign) or stmt.op is not None or not isinstance(stmt.value, ir.DictExpr) \
                or len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ir.Name) or not stmt.value.values:
            continue
        names = [_function_name(value, scope) for value in stmt.value.values]
        if all(names) and None not in stmt.value.keys:
            found[stmt.targets[0].id] = tuple(dict.fromkeys(scope.names(n) for n in names if n))
    return found


def _function_name(value: ir.Expr, scope: ModuleScope) -> str:
    """The project-wide name of a function the value names: one of this module's (not a class:
    a table of classes builds objects) or one it imports from the project."""
    dotted = ir.dotted_name(value) if isinstance(value, (ir.Name, ir.Attr)) else None
    if not dotted:
        return ""
    if dotted in scope.functions:
        return f"{scope.name}.{dotted}"
    head = dotted.split(".", 1)[0]
    if head not in scope.imports:
        return ""
    qualified = scope.qualify(dotted, None, set())
    last = (qualified or "").rsplit(".", 1)[-1]
    if not qualified or not scope.is_project_candidate(qualified) or last[:1].isupper():
        return ""
    return qualified

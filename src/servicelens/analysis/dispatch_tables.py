"""Functions a call runs through a table of them: the event dispatch a webhook or a job runner keeps.

A module-level dict whose values name the project's functions
(`HANDLERS = {"charge.succeeded": _on_succeeded, "charge.failed": _on_failed}`) and a call that picks
one of them by key (`HANDLERS[kind](...)`, `HANDLERS.get(kind)(...)`, or `handler = HANDLERS.get(kind)`
then `handler(...)`) may run any of its values: each is reached from the caller, so what the handler
runs per request, its values run per request. Only a table every value of which names a function
counts (a dict of settings or of strings is no dispatch), and only when a function of the project
calls through it: a table nothing calls through reaches nothing.

The shared call graph (analysis/project.py, for reach) draws these edges from `table_calls`, so every
concern sees a handler run through a table as run where its caller runs; missing-index's own edges
(rules/python/perf_index_facts.py) ask `dispatched` alike.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex
from servicelens.taint.scope import ModuleScope

TableCalls = tuple[tuple[str, tuple[str, ...]], ...]  # (function qualname, project functions it runs through tables)

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


def table_calls(module: ir.Module, scope: ModuleScope, index: FileIndex) -> TableCalls:
    """Per function of the module: the project functions its calls run through a dispatch table."""
    out = []
    for function in module.functions:
        found = dict.fromkeys(target for _, target in calls_through_tables(function, scope, index))
        if found:
            out.append((function.qualname, tuple(found)))
    return tuple(out)


def calls_through_tables(function: ir.Function, scope: ModuleScope, index: FileIndex) -> list[tuple[ir.Call, str]]:
    """Each call of `function` that runs a table's function, with that function's project-wide name."""
    if not scope.memo("dispatch-tables", lambda: _tables(scope)):
        return []
    assigns = _local_values(s for s in index.walk_stmts(function.body) if isinstance(s, ir.Assign))
    return [(call, target) for call in index.block_of_kind(function.body, ir.Call)
            for target in dispatched(call, scope, function, assigns)]


def _local_values(assigns: Iterable[ir.Assign]) -> dict[str, ir.Expr]:
    """`name -> value` for each plain `name = value` of a function (the last one wins)."""
    out: dict[str, ir.Expr] = {}
    for stmt in assigns:
        if stmt.op is None and stmt.value is not None:
            for target in stmt.targets:
                if isinstance(target, ir.Name):
                    out[target.id] = stmt.value
    return out


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

"""Decorators applied by a call instead of `@`: `handler = router.post("/register")(handler)`.

A module may register a route conditionally (`if REGISTRATION_ENABLED: register =
router.post("/register")(register)`); the function is as much a route as one decorated with
`@router.post("/register")`, so it is given that decorator before routes are found.
"""
from __future__ import annotations

from dataclasses import replace

from servicelens import ir


def with_applied_decorators(module: ir.Module) -> tuple[ir.Function, ...]:
    """The module's functions, each with the decorators applied to it by a module-level call."""
    applied = _applied(module)
    if not applied:
        return module.functions
    return tuple(replace(f, decorators=f.decorators + applied[f.qualname]) if f.qualname in applied else f
                 for f in module.functions)


def _applied(module: ir.Module) -> dict[str, tuple[ir.Expr, ...]]:
    top_level = {f.qualname for f in module.functions if f.parent is None and f.class_name is None}
    found: dict[str, list[ir.Expr]] = {}
    for stmt in ir.walk_stmts(module.body):
        if not isinstance(stmt, (ir.Assign, ir.ExprStmt)) or not isinstance(stmt.value, ir.Call):
            continue
        call = stmt.value
        if isinstance(call.func, ir.Call) and len(call.args) == 1 and isinstance(call.args[0], ir.Name) \
                and call.args[0].id in top_level:
            found.setdefault(call.args[0].id, []).append(call.func)
    return {name: tuple(decorators) for name, decorators in found.items()}

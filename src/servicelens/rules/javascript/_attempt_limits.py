"""Attempt limiting a route's check goes through: project code that counts failures or locks out.

A sign-in step is limited when its handler hands the check to a helper that refuses after too
many failures (`await withLockout(ctx, verify(code))`), however many project calls away: the
helper is judged by what its body does (calls a limiter or lockout, refuses with a "too many
attempts" / "locked out" error), not by its name. Functions are named project-wide (`src.auth.
lockout.guarded`), through the file's imports, so a helper in another file counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from servicelens import ir
from servicelens.endpoints.route import RouteFact
from servicelens.rules.base import iter_calls
from servicelens.taint.scope import ModuleScope

# what a limiter or lockout is called, or constructs (`new LockedOutError(...)`, `limiter.consume`)
_LIMIT_CALLS = re.compile(r"(?i)(rate_?limit|ratelimit|throttl|limiter|lockout|locked_?out|too_?many|brute|"
                          r"slow_?down|token_?bucket|leaky_?bucket)")
# what it refuses with: the error text or code of a refusal after repeated failures
_LIMIT_TEXT = re.compile(r"(?i)too[ _.-]?many|locked?[ _.-]?out|rate[ _.-]?limit|throttl")


@dataclass(frozen=True, slots=True)
class CallFacts:
    limiting: tuple[str, ...] = ()  # project-wide names of functions here whose body limits attempts
    calls: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (function, project functions it calls)
    routes: tuple[tuple[str, int, str], ...] = ()  # (file, route line, its handler's project-wide name)


def call_facts(module: ir.Module, scope: ModuleScope, routes: Sequence[RouteFact]) -> CallFacts:
    own = {function.qualname for function in module.functions}
    limiting: list[str] = []
    calls: list[tuple[str, tuple[str, ...]]] = []
    for function in module.functions:
        name = f"{module.module_name}.{function.qualname}"
        if _limits(function):
            limiting.append(name)
        callees = tuple(dict.fromkeys(c for c in (_callee(call, scope, module, own) for call in iter_calls(function.body))
                                      if c))
        # a callback defined inside the function (`.then((ok) => ...)`) runs as part of it
        nested = tuple(f"{module.module_name}.{inner.qualname}" for inner in module.functions
                       if inner.qualname.startswith(function.qualname + ".<locals>."))
        if callees or nested:
            calls.append((name, callees + nested))
    handled = tuple((module.path, route.line, f"{module.module_name}.{route.qualname}") for route in routes
                    if route.qualname in own)
    return CallFacts(tuple(limiting), tuple(calls), handled)


def limited_routes(facts: Iterable[CallFacts]) -> frozenset[tuple[str, int]]:
    """(file, line) of the routes whose handler reaches a function that limits attempts."""
    every = list(facts)
    graph = {name: callees for fact in every for name, callees in fact.calls}
    limited = {name for fact in every for name in fact.limiting}
    changed = True
    while changed:  # whatever calls a limiting function limits too
        grown = {name for name, callees in graph.items() if name not in limited and limited.intersection(callees)}
        limited |= grown
        changed = bool(grown)
    return frozenset((path, line) for fact in every for path, line, handler in fact.routes if handler in limited)


def _limits(function: ir.Function) -> bool:
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and _LIMIT_CALLS.search(ir.dotted_name(node.func) or ""):
                    return True
                if isinstance(node, ir.Const) and isinstance(node.value, str) and len(node.value) < 120 \
                        and _LIMIT_TEXT.search(node.value):
                    return True
    return False


def _callee(call: ir.Call, scope: ModuleScope, module: ir.Module, own: set[str]) -> str:
    """The project-wide name of a called function: imported (`guarded` -> `src.auth.lockout.guarded`)
    or defined in this file; "" for anything else (methods of objects, globals)."""
    dotted = ir.dotted_name(call.func) or ""
    head, _, rest = dotted.partition(".")
    if not head:
        return ""
    if dotted in own:
        return f"{module.module_name}.{dotted}"
    target = scope.imports.get(head, "")
    if not target or target == head:
        return ""
    return target + (f".{rest}" if rest else "")

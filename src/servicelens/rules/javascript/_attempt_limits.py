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
from servicelens.frameworks.js_knowledge import controller_frameworks, controller_knowledges
from servicelens.frameworks.nestjs import middleware_links
from servicelens.rules.base import iter_calls
from servicelens.rules.javascript import _calls as calls_
from servicelens.taint.scope import ModuleScope

# what a limiter or lockout is called, or constructs (`new LockedOutError(...)`, `limiter.consume`)
_LIMIT_CALLS = re.compile(r"(?i)(rate_?limit|ratelimit|limit_?rate|throttl|limiter|lockout|locked_?out|too_?many|brute|"
                          r"slow_?down|token_?bucket|leaky_?bucket)")
# what it refuses with: the error text or code of a refusal after repeated failures
_LIMIT_TEXT = re.compile(r"(?i)too[ _.-]?many|locked?[ _.-]?out|rate[ _.-]?limit|throttl")


@dataclass(frozen=True, slots=True)
class CallFacts:
    limiting: tuple[str, ...] = ()  # project-wide names of functions here whose body limits attempts
    calls: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (function, project functions it calls)
    routes: tuple[tuple[str, int, str], ...] = ()  # (file, route line, its handler's project-wide name)
    # (`module.Class.member`, class it holds): `this.authService.verify()` is AuthService.verify
    members: tuple[tuple[str, str], ...] = ()


def call_facts(module: ir.Module, scope: ModuleScope, routes: Sequence[RouteFact]) -> CallFacts:
    own = {function.qualname for function in module.functions}
    limiting: list[str] = []
    calls: list[tuple[str, tuple[str, ...]]] = []
    for function in module.functions:
        name = f"{module.module_name}.{function.qualname}"
        if limits_attempts(function):
            limiting.append(name)
        callees = tuple(dict.fromkeys(c for c in (project_callee(module, scope, function, call, own)
                                                  for call in iter_calls(function.body)) if c))
        # a callback defined inside the function (`.then((ok) => ...)`) runs as part of it
        nested = tuple(f"{module.module_name}.{inner.qualname}" for inner in module.functions
                       if inner.qualname.startswith(function.qualname + ".<locals>."))
        if callees or nested:
            calls.append((name, callees + nested))
    controllers = controller_frameworks()
    handled = tuple((module.path, route.line, f"{module.module_name}.{route.qualname}") for route in routes
                    if route.qualname in own and (route.framework in controllers or not route.principal_refs))
    # a route registered with middleware (`router.post('/password/set', validateEmailToken, auth.password.set)`)
    # runs it first: the route, under a name of its own, calls the middleware and then its handler
    chained = [(route, f"{module.module_name}.<route {route.line}>") for route in routes
               if route.framework not in controllers and route.principal_refs]
    handled += tuple((module.path, route.line, key) for route, key in chained)
    calls.extend((key, route.principal_refs + tuple(filter(None, (_handler(module, scope, route, own),))))
                 for route, key in chained)
    # a controller route runs the middleware and guards it names first (`@httpPost('/login',
    # TYPES.LockMiddleware)`): a lockout there limits the route, through the container's binding
    calls.extend((f"{module.module_name}.{route.qualname}", route.principal_refs) for route in routes
                 if route.framework in controllers and route.qualname in own and route.principal_refs)
    calls.extend(middleware_links(module, dict(scope.imports), controller_knowledges()))
    return CallFacts(tuple(limiting), tuple(calls), handled, tuple(calls_.members(module, scope)))


def _handler(module: ir.Module, scope: ModuleScope, route: RouteFact, own: set[str]) -> str:
    """The project-wide name of a route's handler: defined here, or imported (`auth.password#set` with
    `import * as auth from "../controllers/auth"`)."""
    if route.qualname in own:
        return f"{module.module_name}.{route.qualname}"
    head, _, rest = route.qualname.replace("#", ".").partition(".")
    target = scope.imports.get(head, "")
    return target + (f".{rest}" if rest else "") if target else ""


def call_graph(facts: Iterable[CallFacts]) -> dict[str, frozenset[str]]:
    """Project function -> the project functions it calls, injected members resolved to their class."""
    every = list(facts)
    members = {holder: held for fact in every for holder, held in fact.members}
    return {name: frozenset(r for r in (calls_.resolved(c, members) for c in callees) if r)
            for fact in every for name, callees in fact.calls}


def reachable(start: str, graph: dict[str, frozenset[str]], depth: int = 8) -> set[str]:
    """`start` and what it calls, however deep (up to `depth` calls)."""
    seen = {start}
    frontier = [start]
    for _ in range(depth):
        frontier = [c for key in frontier for c in graph.get(key, ()) if c not in seen]
        seen.update(frontier)
    return seen


def limited_routes(facts: Iterable[CallFacts]) -> frozenset[tuple[str, int]]:
    """(file, line) of the routes whose handler reaches a function that limits attempts."""
    every = list(facts)
    graph = call_graph(every)
    limited = {name for fact in every for name in fact.limiting}
    changed = True
    while changed:  # whatever calls a limiting function limits too
        grown = {name for name, callees in graph.items() if name not in limited and limited.intersection(callees)}
        limited |= grown
        changed = bool(grown)
    return frozenset((path, line) for fact in every for path, line, handler in fact.routes if handler in limited)


def limits_attempts(function: ir.Function) -> bool:
    """The function calls a limiter or lockout, or answers \"too many attempts\"."""
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and _LIMIT_CALLS.search(ir.dotted_name(node.func) or ""):
                    return True
                if isinstance(node, ir.Const) and isinstance(node.value, str) and len(node.value) < 120 \
                        and _LIMIT_TEXT.search(node.value):
                    return True
    return False


def project_callee(module: ir.Module, scope: ModuleScope, function: ir.Function, call: ir.Call,
                   own: set[str]) -> str:
    """The project-wide name of a called function: imported (`guarded` -> `src.auth.lockout.guarded`),
    defined in this file, a method of `this` or of an injected member (`member:...`, resolved project-wide)
    or of an object built from a project class; "" for anything else."""
    found = calls_.callee(module, scope, function, call)
    if found:
        return found
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

"""Login, one-time-code and password-reset routes with no attempt limiting (auth-brute-force),
and sign-up routes with no rate limit (missing-rate-limit), in Node services.

## What it finds
POST routes whose path names a credential check (`/login`, `/signin`, `/otp`, `/verify`,
`/token`), a password reset (`/forgot`, `/reset`, `/password`) or a sign-up (`/signup`,
`/register`), when no reviewed JavaScript/TypeScript file imports a rate limiter
(express-rate-limit, express-slow-down, express-brute, rate-limiter-flexible,
@nestjs/throttler, @fastify/rate-limit, ...: models/node/rules.yaml `rate_limit_packages`).
A NestJS route names its guards, so it is judged on its own: reported unless a limiter guard
(`ThrottlerGuard`) is on the route or its controller, or applied to every route (`APP_GUARD`).

## Why it matters
Without attempt limits an attacker replays leaked password lists against every account or
walks all 10^6 six-digit codes in hours; an open sign-up lets one client fill the database
and burn the e-mail budget.

## Example
```js
router.post('/login', async (req, res) => { ... });
```
Use instead:
```js
const rateLimit = require('express-rate-limit');
const loginLimiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 });
router.post('/login', loginLimiter, async (req, res) => { ... });
```

## Fix
Put a limiter (per IP and per account) on credential routes, and lock or slow down after
repeated failures.

## Known problems
Medium confidence: a limit enforced by a gateway, nginx `limit_req` or a WAF is not seen, and
outside NestJS a limiter imported anywhere in the project is taken to cover every route, except
on a router whose routes carry limiters one by one (`router.post('/login', loginLimiter, ...)`):
there a credential route without one is reported.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location
from servicelens.rules.base import Rule, all_bodies, iter_calls, no_findings
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.frameworks.js_knowledge import nest_knowledge
from servicelens.frameworks.nestjs import FRAMEWORK as NEST, GLOBAL, nest_facts
from servicelens.rules.javascript._node import express_routes, knowledge
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

# limiter packages imported, candidate findings, candidates on routes whose own guards were
# read (NestJS: no limiter guard on the route), whether a limiter guard is applied to every route,
# the limiters this file builds (`export const loginLimiter = rateLimit({...})`, project-wide
# names), and the middleware of every route (router, middleware names, candidate index or -1)
Collected = tuple[tuple[str, ...], tuple[Finding, ...], tuple[Finding, ...], bool, tuple[str, ...],
                  tuple[tuple[str, tuple[str, ...], int], ...]]
_SIGNUP = re.compile(r"(?i)sign-?up|register")
_RESET = re.compile(r"(?i)forgot|reset|password")


def collect(module: ir.Module, scope: ModuleScope) -> Collected:
    packages = knowledge().rate_limit_packages
    limiters = nest_knowledge().rate_limit_guards
    imported = tuple(sorted({imp.target for imp in module.imports
                             if imp.target in packages or imp.target.rsplit(".", 1)[0] in packages}))
    global_guard = _global_limiter(module, scope, limiters)
    if is_dev_path(module.path):
        return imported, (), (), global_guard
    routes = express_routes(scope)
    others = [r for r in routes if r.framework != NEST]
    undecided = tuple(_candidates(module, others))
    # a NestJS route names its guards: limited when one of them is a limiter (or one applies globally)
    decided = tuple(_candidates(module, [r for r in routes if r.framework == NEST
                                         and not limiters & set(r.principal_refs)]))
    candidates = [f.location.start_line for f in undecided]
    built = tuple(_built_limiters(module, scope, packages))
    local = frozenset(name.rsplit(".", 1)[-1] for name in built)
    middleware = _route_middleware(module, scope, packages, local)
    chains = tuple((r.router, r.principal_refs + middleware.get(r.line, ()),
                    candidates.index(r.line) if r.line in candidates else -1) for r in others)
    return imported, undecided, decided, global_guard, built + ((_LIMITER,) if local else ()), chains


_LIMITER = "<a limiter built in the route's file>"


def _route_middleware(module: ir.Module, scope: ModuleScope, packages: frozenset[str],
                      local: frozenset[str]) -> dict[int, tuple[str, ...]]:
    """Per registration line, the middleware a route is registered with, by project-wide name
    (`loginLimiter` imported from `./limits`), or `_LIMITER` for a limiter built in this file."""
    found: dict[int, tuple[str, ...]] = {}
    for _, body in all_bodies(module):
        for call in iter_calls(body):
            if not isinstance(call.func, ir.Attr) or call.func.attr not in _METHODS or len(call.args) < 3:
                continue
            names: list[str] = []
            for arg in call.args[1:-1]:
                head = (ir.dotted_name(arg.func if isinstance(arg, ir.Call) else arg) or "").partition(".")[0]
                target = scope.imports.get(head, "")
                if head in local or target in packages or target.rsplit(".", 1)[0] in packages:
                    names.append(_LIMITER)
                elif target:
                    names.append(target)
            for line in range(call.line, max(call.line, call.end_line) + 1):  # a route's line is its handler's
                found.setdefault(line, tuple(names))
    return found


_METHODS = frozenset({"get", "post", "put", "patch", "delete", "all"})


def _built_limiters(module: ir.Module, scope: ModuleScope, packages: frozenset[str]) -> Iterable[str]:
    """Module-level limiters: `const loginLimiter = rateLimit({ ... })` with a limiter package's call."""
    for stmt in module.body:
        if not isinstance(stmt, ir.Assign) or not isinstance(stmt.value, ir.Call):
            continue
        callee = ir.dotted_name(stmt.value.func) or ""
        target = scope.imports.get(callee.partition(".")[0], "")
        if target in packages or target.rsplit(".", 1)[0] in packages:
            yield from (f"{module.module_name}.{t.id}" for t in stmt.targets if isinstance(t, ir.Name))


def _global_limiter(module: ir.Module, scope: ModuleScope, limiters: frozenset[str]) -> bool:
    """`{ provide: APP_GUARD, useClass: ThrottlerGuard }` / `app.useGlobalGuards(new ThrottlerGuard())`."""
    if not any(imp.target.startswith("@nestjs/") for imp in module.imports):
        return False
    imports = {imp.local: imp.target for imp in module.imports}
    facts = nest_facts(module, imports, nest_knowledge(), middleware_knowledge())
    return any(edge.parent == GLOBAL and edge.child in limiters for edge in facts.edges)


def _candidates(module: ir.Module, routes: Sequence[RouteFact]) -> Iterable[Finding]:
    words = knowledge().credential_paths
    for route in routes:
        if "POST" not in route.methods:
            continue
        segments = [s.lower() for s in route.path.split("/") if s and not s.startswith(":")]
        tail = "/".join(segments[-2:])
        if not any(tail.endswith(word) or word in segments[-1:] for word in words):
            continue
        signup = bool(_SIGNUP.search(tail))
        concern = "missing-rate-limit" if signup else "auth-brute-force"
        what = "sign-up" if signup else "password reset" if _RESET.search(tail) else "credential check"
        yield make_finding(
            concern, Location(module.path, route.line), f"POST {route.path} ({what}) has no rate limit",
            "Without attempt limits an attacker replays leaked password lists or walks every one-time code; an "
            "open sign-up lets one client fill the database and burn the e-mail budget.",
            confidence=Confidence.MEDIUM,
            fix=Fix("Put a limiter (per IP and per account) in front of this route.",
                    "const rateLimit = require('express-rate-limit');\n"
                    "const limiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 });\n"
                    f"{route.router.rsplit('.', 1)[-1] or 'router'}.post('{route.path}', limiter, "
                    f"{_handler(route)});", "javascript"),
            rule=RULE.id, key=f"{route.path}|{concern}",
        )


def _handler(route: RouteFact) -> str:
    return "/* the existing handler */" if route.qualname.startswith("<") else route.qualname


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, tuple) and len(f) == 6]
    if any(global_guard for _, _, _, global_guard, _, _ in facts):
        return
    limited_somewhere = any(imported for imported, *_ in facts)
    built = frozenset(name for *_, limiters, _ in facts for name in limiters)
    # routers whose routes carry limiters one by one: a credential route there without one is open
    limited_routers = {router for *_, chains in facts for router, refs, _ in chains if built & set(refs)}
    for _, undecided, decided, _, _, chains in facts:
        unlimited = {index for router, refs, index in chains
                     if index >= 0 and router in limited_routers and not built & set(refs)}
        shown = undecided if not limited_somewhere else tuple(f for i, f in enumerate(undecided) if i in unlimited)
        for finding in decided + shown:
            if settings.enabled(finding.concern):
                yield finding


RULE = Rule("js-rate-limit", frozenset({"auth-brute-force", "missing-rate-limit"}), "javascript", no_findings,
            collect=collect, combine=combine)

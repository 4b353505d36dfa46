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
outside NestJS a limiter imported anywhere in the project is taken to cover every route.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping, Sequence

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location
from servicelens.rules.base import Rule, no_findings
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.frameworks.js_knowledge import nest_knowledge
from servicelens.frameworks.nestjs import FRAMEWORK as NEST, GLOBAL, nest_facts
from servicelens.rules.javascript._node import express_routes, knowledge
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

# limiter packages imported, candidate findings, candidates on routes whose own guards were
# read (NestJS: no limiter guard on the route), whether a limiter guard is applied to every route
Collected = tuple[tuple[str, ...], tuple[Finding, ...], tuple[Finding, ...], bool]
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
    undecided = tuple(_candidates(module, [r for r in routes if r.framework != NEST]))
    # a NestJS route names its guards: limited when one of them is a limiter (or one applies globally)
    decided = tuple(_candidates(module, [r for r in routes if r.framework == NEST
                                         and not limiters & set(r.principal_refs)]))
    return imported, undecided, decided, global_guard


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
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, tuple) and len(f) == 4]
    if any(global_guard for *_, global_guard in facts):
        return
    limited_somewhere = any(imported for imported, *_ in facts)
    for _, undecided, decided, _ in facts:
        for finding in decided + (() if limited_somewhere else undecided):
            if settings.enabled(finding.concern):
                yield finding


RULE = Rule("js-rate-limit", frozenset({"auth-brute-force", "missing-rate-limit"}), "javascript", no_findings,
            collect=collect, combine=combine)

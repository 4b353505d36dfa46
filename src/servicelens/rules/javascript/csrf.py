"""CSRF: an Express service that authenticates with a session cookie and accepts
state-changing requests, with no CSRF protection anywhere in the reviewed code.

## What it finds
Session middleware (express-session, cookie-session) whose cookie is not `sameSite: 'strict'`
or `'lax'`, in a project with POST/PUT/PATCH/DELETE routes, when no reviewed file imports a
CSRF library (csurf, csrf-csrf, csrf-sync, lusca, tiny-csrf, ...). One finding, at the session
middleware.

## Why it matters
The browser sends the session cookie with any request to the site, including a form another
site posts: a visited page transfers money, changes the e-mail address or deletes data as the
signed-in user.

## Example
```js
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true } }));
```
Use instead:
```js
app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: true, sameSite: 'lax' } }));
app.use(doubleCsrfProtection); // csrf-csrf
```

## Fix
Set `sameSite: 'lax'` (or `'strict'`) on the session cookie and add a CSRF token check to
state-changing routes (csrf-csrf or csrf-sync; csurf is deprecated).

## Known problems
Token checks written by hand (comparing a header with the session) are not recognised;
APIs authenticated only by bearer tokens do not use session middleware and are not reported.
"""
from __future__ import annotations

from typing import Iterable, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, no_findings
from servicelens.rules.javascript._node import const_str, express_routes, knowledge, location, named_calls, option
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

_CSRF_PACKAGES = frozenset({"csurf", "csrf-csrf", "csrf-sync", "lusca", "tiny-csrf", "@dr.pogodin/csurf",
                            "@fastify/csrf-protection", "koa-csrf", "csrf"})
_STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE", "ALL"})
# imported CSRF libraries, state-changing route count, candidate findings at session middleware
Collected = tuple[tuple[str, ...], int, tuple[Finding, ...]]


def collect(module: ir.Module, scope: ModuleScope) -> Collected:
    imported = tuple(sorted({imp.target.split(".")[0] for imp in module.imports
                             if imp.target.split(".")[0] in _CSRF_PACKAGES}))
    writes = sum(1 for route in express_routes(scope) if _STATE_CHANGING & set(route.methods))
    if is_dev_path(module.path):
        return imported, writes, ()
    return imported, writes, tuple(_candidates(module, scope))


def _candidates(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    sessions = knowledge().session_middlewares
    for named in named_calls(module, scope):
        if named.name not in sessions:
            continue
        config = named.call.args[0] if named.call.args else None
        cookie = option(config, "cookie")
        same_site = (const_str(option(cookie, "sameSite")) or "").lower()
        if same_site in ("strict", "lax") or (config is not None and not isinstance(config, ir.DictExpr)):
            continue
        yield make_finding(
            "csrf", location(module, named.call), "Session-cookie authentication with no CSRF protection",
            "The browser sends the session cookie with requests other sites make: a page the user visits can "
            "change data as them.",
            severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
            fix=Fix("Set sameSite on the session cookie and check a CSRF token on state-changing routes.",
                    "cookie: { secure: true, httpOnly: true, sameSite: 'lax' },\n"
                    "// and: const { doubleCsrfProtection } = doubleCsrf({ ... }); app.use(doubleCsrfProtection);",
                    "javascript"),
            rule=RULE.id, key=named.name,
        )


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, tuple) and len(f) == 3]
    if any(imported for imported, _, _ in facts) or not sum(writes for _, writes, _ in facts):
        return
    for _, _, candidates in facts:
        yield from candidates


RULE = Rule("js-csrf", frozenset({"csrf"}), "javascript", no_findings, collect=collect, combine=combine)

"""CSRF: an Express service that authenticates with a session cookie and accepts
state-changing requests, with no CSRF protection anywhere in the reviewed code, or with a CSRF
check applied route by route that one state-changing route lacks.

## What it finds
- Session middleware (express-session, cookie-session) whose cookie is not `sameSite: 'strict'`
  or `'lax'`, in a project with POST/PUT/PATCH/DELETE routes, when no reviewed file imports a
  CSRF library (csurf, csrf-csrf, csrf-sync, lusca, tiny-csrf, ...) or defines a CSRF check (below).
  One finding, at the session middleware.
- A state-changing route of a router whose other state-changing routes name a CSRF check (as
  their own middleware, or the router's `use` before them) when it names none, at the route:
  the check is applied one route at a time, so nothing mounted above the router runs it for
  this one (or its siblings would not need it). A check is recognised by what its body does,
  not its name: it compares a token the request sends (a header, a body or query field) with
  one the server keeps for the caller (the session, a cookie), with `===`/`!==` or a
  constant-time comparison (rules/javascript/_csrf_checks.py); or it is the middleware a CSRF
  library's call returns (`const csrfProtection = csurf({ cookie: true })`). Sign-in, sign-out,
  sign-up, password-reset and webhook routes are public by design and left out, and nothing is
  reported when every session cookie the review sees is `sameSite: 'strict'` or `'lax'`.

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
A route left out of a per-route check:
```js
router.patch('/me', verifyCsrf, updateProfile);
router.post('/me/email', changeEmail);            // no verifyCsrf
```
Use instead:
```js
router.post('/me/email', verifyCsrf, changeEmail); // or router.use(verifyCsrf) above both
```

## Fix
Set `sameSite: 'lax'` (or `'strict'`) on the session cookie and add a CSRF token check to
state-changing routes (csrf-csrf or csrf-sync; csurf is deprecated).

## Known problems
A hand-written check that only requires a custom header or compares the Origin is not
recognised (neither as the project's protection nor per route); APIs authenticated only by
bearer tokens do not use session middleware and are not reported. A route of a checked router
that authenticates by a header alone (an API key beside cookie routes) is reported although a
cross-site form cannot send the header.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.endpoints.public import public_by_design
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, no_findings
from servicelens.rules.javascript._csrf_checks import library_checks, token_checks
from servicelens.rules.javascript._node import const_str, express_routes, knowledge, location, named_calls, option
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

_CSRF_PACKAGES = frozenset({"csurf", "csrf-csrf", "csrf-sync", "lusca", "tiny-csrf", "@dr.pogodin/csurf",
                            "@fastify/csrf-protection", "koa-csrf", "csrf"})
_STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE", "ALL"})
@dataclass(frozen=True, slots=True)
class CsrfFacts:
    """What one file tells the project-wide judgement."""

    imported: tuple[str, ...]  # CSRF libraries imported here
    writes: int  # state-changing routes declared here
    candidates: tuple[Finding, ...]  # session middleware here whose cookie any site's request carries
    strict_sessions: int  # session middleware here whose cookie is `sameSite: 'strict' | 'lax'`
    checks: tuple[str, ...]  # CSRF checks defined here (project-wide keys: rules/javascript/_csrf_checks.py)
    # each state-changing route declared here: the middleware it names, and the finding it gets when
    # its siblings' check is missing from it
    routes: tuple[tuple[tuple[str, ...], Finding], ...]


def collect(module: ir.Module, scope: ModuleScope) -> CsrfFacts:
    imported = tuple(sorted({imp.target.split(".")[0] for imp in module.imports
                             if imp.target.split(".")[0] in _CSRF_PACKAGES}))
    writes = sum(1 for route in express_routes(scope) if _STATE_CHANGING & set(route.methods))
    if is_dev_path(module.path):
        return CsrfFacts(imported, writes, (), 0, (), ())
    imports = {imp.local: imp.target for imp in module.imports}
    return CsrfFacts(imported, writes, tuple(_candidates(module, scope)), _strict_sessions(module, scope),
                     token_checks(module) + library_checks(module, imports, _CSRF_PACKAGES),
                     tuple(_routes(module, scope)))


def _routes(module: ir.Module, scope: ModuleScope) -> Iterable[tuple[tuple[str, ...], Finding]]:
    """Each state-changing route a browser form may send with the cookie, with the middleware it
    names (its own and the router's `use` before it): sign-in, sign-out and webhooks are public
    by design and left out."""
    for route in express_routes(scope):
        if not _STATE_CHANGING & set(route.methods) or route.signs_in or public_by_design(route):
            continue
        finding = make_finding(
            "csrf", Location(module.path, route.line, route.line),
            f"{route.methods[0]} {route.path or route.qualname} skips the CSRF check its sibling routes run",
            "The other state-changing routes of this router check a CSRF token before they run; this one "
            "does not, so a page on another site can send it with the signed-in user's session cookie.",
            severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
            fix=Fix("Add the CSRF check the sibling routes use to this route (or mount it on the router).",
                    "router.post('/me/email', verifyCsrf, handler);", "javascript"),
            rule=RULE_ID, key=f"{route.methods[0]} {route.path or route.qualname}")
        yield route.principal_refs + route.declared_refs + route.middleware, finding


def _same_site(config: ir.Expr | None) -> str:
    return (const_str(option(option(config, "cookie"), "sameSite")) or "").lower()


def _strict_sessions(module: ir.Module, scope: ModuleScope) -> int:
    sessions = knowledge().session_middlewares
    return sum(1 for named in named_calls(module, scope) if named.name in sessions
               and _same_site(named.call.args[0] if named.call.args else None) in ("strict", "lax"))


def _candidates(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    sessions = knowledge().session_middlewares
    for named in named_calls(module, scope):
        if named.name not in sessions:
            continue
        config = named.call.args[0] if named.call.args else None
        if _same_site(config) in ("strict", "lax") or (config is not None and not isinstance(config, ir.DictExpr)):
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
            rule=RULE_ID, key=named.name,
        )


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, CsrfFacts)]
    # every session cookie seen is SameSite: another site's form does not carry it
    strict = any(f.strict_sessions for f in facts) and not any(f.candidates for f in facts)
    if not strict:
        yield from _unchecked_siblings([f.routes for f in facts], frozenset(c for f in facts for c in f.checks))
    if any(f.imported or f.checks for f in facts) or not sum(f.writes for f in facts):
        return
    for fact in facts:
        yield from fact.candidates


def _unchecked_siblings(per_file: Iterable[tuple[tuple[tuple[str, ...], Finding], ...]],
                        checks: frozenset[str]) -> Iterator[Finding]:
    """A router whose state-changing routes name a CSRF check one by one, where some route does
    not: the check is applied per route, so nothing mounted above the router runs it for that one
    (or its siblings would not need it)."""
    for routes in per_file:
        checked = [any(ref in checks or ref.split(".", 1)[0] in _CSRF_PACKAGES for ref in refs) for refs, _ in routes]
        if any(checked):
            yield from (finding for (_, finding), has in zip(routes, checked) if not has)


RULE_ID = "js-csrf"
RULE = Rule(RULE_ID, frozenset({"csrf"}), "javascript", no_findings, collect=collect, combine=combine)

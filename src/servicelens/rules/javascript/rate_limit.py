"""Login, one-time-code and password-reset routes with no attempt limiting (auth-brute-force),
and sign-up routes with no rate limit (missing-rate-limit), in Node services.

## What it finds
POST routes whose path names a credential check (`/login`, `/signin`, `/otp`, `/verify`,
`/token`), a password reset (`/forgot`, `/reset`, `/password`) or a sign-up (`/signup`,
`/register`), when no reviewed JavaScript/TypeScript file imports a rate limiter
(express-rate-limit, express-slow-down, express-brute, rate-limiter-flexible,
@nestjs/throttler, @fastify/rate-limit, ...: models/node/rules.yaml `rate_limit_packages`).
A NestJS route names its guards, so it is judged on its own: reported unless a limiter guard
(`ThrottlerGuard`, or a project guard class that extends it, as the @nestjs/throttler docs do for
a proxy-aware tracker) is on the route or its controller, or applied to every route (`APP_GUARD`) and
the route does not opt out of it (`@SkipThrottle()` on the method or its controller).

A credential or sign-up route is limited, too, when its handler hands the check to project code that limits attempts,
however many project calls away (`await withLockout(ctx, verify(code))`, `verifyCode(...)` calling it):
a function whose body calls a limiter or lockout or refuses with a "too many attempts" / "locked out"
error (rules/javascript/_attempt_limits.py), and when a middleware or guard the route names does
(`@httpPost('/login', TYPES.LockMiddleware)`: the class the container binds the token to, its
inherited `handler` included). A NestJS route whose guards authenticate the caller
(`@UseGuards(AuthGuard('jwt'))`, decided project-wide) is reached only by someone already signed in
with a stronger credential, and is not reported (analysis/route_auth.without_signed_in_guesses), unless
the guard is the check itself (`@UseGuards(LocalGuard)` with `LocalGuard extends AuthGuard('local')`:
passport-local verifies the password the request carries) or the route is a second sign-in step
(`POST /2fa/verify` behind the JWT the password step issued: the code is what a stolen password lacks;
models/node/rules.yaml `second_factor_paths`). A route
whose path ends in a parameter (`POST /user/reset/:token`) takes the token of a link the server sent,
not a password or code a person types, nor does a route whose path names a federated or public-key
sign-in (`/oauth/token`, `/sso/:connector/verify`, `/passkey/authentication/verify`: the client presents
an identity provider's one-time code or a signature). Nor is a route whose check, through everything its handler
calls, compares only secrets the project generates (`bcrypt.compare(secret, plugin.secret)` where
`secret` is stored from `bcrypt.hash(getRandomString(40))`; a field also stored from the hash of
anything else, such as people's passwords, is not one: rules/javascript/_generated_secrets.py), nor
one whose check only verifies a signature (a JWT the server signed, `jwt.verify(token, secret)` in the
handler, a helper it calls or the middleware it is registered with; a WebAuthn assertion; a provider's
signed ID token), or whose presented value only finds the row holding a value the project generated
(`prisma.secrets.update({ where: { resetToken } })`, `resetToken` stored only from `randomBytes(32)`), while
nothing it reaches compares a stored secret or checks a typed password or code
(`bcrypt.compare`, `authenticator.verify`, `verify2FACode(...)`): a signed value cannot be guessed, and a
route behind a session JWT that checks nothing typed guesses nothing. The middleware an Express route is
registered with runs as part of it (`router.post('/password/set', validateEmailToken, handler)`), for
this and for a lockout it applies.
A route whose handler reads nothing the client sent (no body, query, URL parameter, header or cookie;
a tRPC resolver no `input`) and whose registration names no middleware that checks a credential itself
(passport, basic auth: generated_secrets.yaml `credential_middleware`) is presented nothing to check:
`POST /gen-api-token` issuing the signed-in user a token, `POST /remove-api-token`. This holds for guessing
only: an open sign-up is abused by calling it, so a sign-up route is reported whatever its handler reads.
A route whose every typed check compares against a record of the signed-in caller (`const user = await
User.findOne({ id: req.user.id })` then `totp.verify(code, user.totpKey)`; `req.user` itself) is reported at
low confidence: re-entering one's own password or code behind a session is at most a nit, as the attacker
needs the session first.
Nor is a route that signs in only through passport strategies of an identity provider
(`passport.authenticate("apple")` in the handler or its registration; any strategy but the password and
code ones of generated_secrets.yaml `password_strategies`): the provider's signed answer is verified.

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
from typing import Iterable, Iterator, Mapping, Sequence

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location
from servicelens.rules.base import Rule, all_bodies, iter_calls, no_findings
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express_fixes import procedure_key
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.frameworks.js_knowledge import fastify_knowledge, nest_knowledge
from servicelens.frameworks.nestjs import FRAMEWORK as NEST, GLOBAL, nest_facts
from servicelens.rules.javascript import _attempt_limits as limits
from servicelens.rules.javascript import _generated_secrets as secrets
from servicelens.rules.javascript._node import express_routes, knowledge
from servicelens.rules.python._common import is_dev_path
from servicelens.taint.scope import ModuleScope

# limiter packages imported, candidate findings, NestJS candidates with the guards on their route
# (limited when one is a limiter guard, decided once every file's limiter subclasses are known), the
# guards applied to every route (`APP_GUARD`), the limiters this file builds (`export const
# loginLimiter = rateLimit({...})`, project-wide names), the middleware of every route (router,
# middleware names, candidate index or -1), and the guard classes this file defines that extend a
# limiter guard (`class ThrottlerBehindProxyGuard extends ThrottlerGuard`)
Collected = tuple[tuple[str, ...], tuple[Finding, ...], tuple[tuple[Finding, tuple[str, ...]], ...], tuple[str, ...],
                  tuple[str, ...], tuple[tuple[str, tuple[str, ...], int], ...], tuple[str, ...], limits.CallFacts,
                  secrets.SecretFacts]
_SIGNUP = re.compile(r"(?i)sign-?up|register")
_RESET = re.compile(r"(?i)forgot|reset|password")


def collect(module: ir.Module, scope: ModuleScope) -> Collected:
    packages = knowledge().rate_limit_packages
    limiters = nest_knowledge().rate_limit_guards
    imported = tuple(sorted({imp.target for imp in module.imports
                             if imp.target in packages or imp.target.rsplit(".", 1)[0] in packages})) \
        + tuple(_limiting_hooks(module))
    global_guards = _global_guards(module, scope)
    subclasses = tuple(_limiter_subclasses(module, scope, limiters))
    calls = limits.call_facts(module, scope, express_routes(scope))
    stored = secrets.secret_facts(module, scope)
    if is_dev_path(module.path):
        return imported, (), (), global_guards, (), (), subclasses, calls, stored
    routes = express_routes(scope)
    others = [r for r in routes if r.framework != NEST]
    built = tuple(_built_limiters(module, scope, packages))
    local = frozenset(name.rsplit(".", 1)[-1] for name in built)
    middleware = _route_middleware(module, scope, packages, local)
    undecided = tuple(_candidates(module, others, middleware))
    # a NestJS route names its guards: limited when one of them is a limiter (or one applies globally)
    nest_routes = [r for r in routes if r.framework == NEST]
    decided = tuple(zip(_candidates(module, nest_routes), (r.principal_refs + ((_SKIPS,) if _skips_limits(module, scope, r)
                                                                                 else ()) for r in nest_routes if _credential(r))))
    candidates = [f.location.start_line for f in undecided]
    chains = tuple((r.router, r.principal_refs + middleware.get(r.line, ()),
                    candidates.index(r.line) if r.line in candidates else -1) for r in others)
    return (imported, undecided, decided, global_guards, built + ((_LIMITER,) if local else ()), chains, subclasses,
            calls, stored)


def _limiting_hooks(module: ir.Module) -> Iterator[str]:
    """A Fastify request hook of the project that limits (`addHook('onRequest', ...)` answering 429
    "too many attempts"): like a limiter package, it covers routes that are not decided file by file
    (the scopes registering its plugin), so the project counts as limiting."""
    fastify = fastify_knowledge()
    functions = {f.name: f for f in module.functions}
    for call in (n for stmt in ir.walk_stmts(module.body + tuple(s for f in module.functions for s in f.body))
                 for root in ir.stmt_exprs(stmt) for n in ir.walk_expr(root) if isinstance(n, ir.Call)):
        if isinstance(call.func, ir.Attr) and call.func.attr == fastify.add_hook and len(call.args) >= 2 \
                and isinstance(call.args[0], ir.Const) and call.args[0].value in fastify.hook_options \
                and isinstance(call.args[1], ir.Name) and (hook := functions.get(call.args[1].id)) is not None \
                and limits.limits_attempts(hook):
            yield f"{module.module_name}.{hook.qualname}"


def _limiter_subclasses(module: ir.Module, scope: ModuleScope, limiters: frozenset[str]) -> Iterator[str]:
    """Guard classes of the project that extend a limiter guard: limiters themselves, by class name
    (the name other files import them by; their module path is spelled differently per import)."""
    for cls in module.classes:
        for base in cls.bases:
            dotted = ir.dotted_name(base) or ""
            head, _, rest = dotted.partition(".")
            target = scope.imports.get(head, "")
            if target and (target + (f".{rest}" if rest else "")) in limiters:
                yield cls.name


_SKIPS = "<exempt from the application's limiter guards>"


def _skips_limits(module: ir.Module, scope: ModuleScope, route: RouteFact) -> bool:
    """`@SkipThrottle()` on the route method or its controller class (not `@SkipThrottle({ default: false })`,
    which puts the limit back): the application-wide limiter guard does not count its requests."""
    skips = nest_knowledge().rate_limit_skips
    function = next((f for f in module.functions if f.qualname == route.qualname), None)
    if function is None or not skips:
        return False
    cls = next((c for c in module.classes if c.qualname == function.class_name), None)
    for decorators in (function.decorators, cls.decorators if cls is not None else ()):  # the method's decides first
        for decorator in decorators:
            target = ir.dotted_name(decorator.func if isinstance(decorator, ir.Call) else decorator) or ""
            head, _, rest = target.partition(".")
            if scope.imports.get(head, "") + (f".{rest}" if rest else "") not in skips:
                continue
            options = decorator.args[0] if isinstance(decorator, ir.Call) and decorator.args else None
            return not (isinstance(options, ir.DictExpr) and bool(options.values) and all(
                isinstance(v, ir.Const) and v.value is False for v in options.values))
    return False


def _is_limiter(guard: str, limiters: frozenset[str], subclasses: frozenset[str]) -> bool:
    return guard in limiters or guard.rsplit(".", 1)[-1] in subclasses


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


def _global_guards(module: ir.Module, scope: ModuleScope) -> tuple[str, ...]:
    """Guards on every route: `{ provide: APP_GUARD, useClass: ThrottlerGuard }`, `app.useGlobalGuards(...)`."""
    if not any(imp.target.startswith("@nestjs/") for imp in module.imports):
        return ()
    imports = {imp.local: imp.target for imp in module.imports}
    facts = nest_facts(module, imports, nest_knowledge(), middleware_knowledge())
    return tuple(sorted({edge.child for edge in facts.edges if edge.parent == GLOBAL}))


def _credential(route: RouteFact) -> bool:
    """A POST route whose path names a credential check, a password reset or a sign-up."""
    if "POST" not in route.methods:
        return False
    segments = [s.lower() for s in route.path.split("/") if s and not s.startswith(":")]
    tail = "/".join(segments[-2:])
    if route.path.rstrip("/").rsplit("/", 1)[-1].startswith(":") and not _SIGNUP.search(tail):
        # `POST /user/reset/:token`: the secret is the last segment of a link the server sent (a token it
        # generated), not a password or code a person types into a form
        return False
    if _presents_no_guess(segments) and not _SIGNUP.search(tail):
        return False  # a sign-up there (`/oauth/register`) still creates what nobody limits
    return any(tail.endswith(word) or word in segments[-1:] for word in knowledge().credential_paths)


# what a handler reads the client's request through: Express/Koa parts, a header getter, tRPC's `input`
_REQUEST_PARTS = frozenset({"body", "query", "params", "headers", "cookies", "signedCookies", "files", "file", "input",
                            "rawBody", "payload"})
# `req.get('authorization')`, `await request.json()` (fetch-style Request), Hono's `c.req.json()`, `c.req.param('id')`
_REQUEST_GETTERS = frozenset({"get", "header", "json", "formData", "text", "arrayBuffer", "blob", "parseBody", "valid",
                              "param", "query", "cookie"})


def _presents_nothing(handler: ir.Function | None, route: RouteFact, registered: tuple[str, ...] = ()) -> bool:
    """The handler reads nothing the client sent (no body, query, URL parameter, header or cookie; a tRPC
    resolver no `input`; it hands the request itself to no call), and no middleware that checks a credential itself (passport, basic auth) is on
    the route: `POST /gen-api-token` issuing the signed-in user a new token, `POST /remove-api-token`.
    Nothing is presented, so nothing is guessed."""
    if handler is None or route.framework == NEST:
        return False  # a NestJS handler's guards may check the body it never reads (`@UseGuards(LocalGuard)`)
    strategies = secrets.vocabulary().credential_middleware
    if any(ref.split(":")[-1].split(".")[0] in strategies for ref in (*route.principal_refs, *registered)):
        return False
    requests = {p.name for p in handler.params[:1]} | {"req", "request", "ctx", "c"}
    for stmt in ir.walk_stmts(handler.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Attr) and node.attr in _REQUEST_PARTS:
                    return False  # `req.body`, `ctx.request.body`, a destructured `<param0>.input`
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _REQUEST_GETTERS \
                        and (ir.dotted_name(node.func.value) in requests or ir.last_name(node.func.value) in requests):
                    return False  # `req.get('authorization')`, `await request.json()`, `c.req.json()`
                if isinstance(node, ir.Name) and node.id in ("input", "arguments"):
                    return False
                if isinstance(node, ir.Call) and (ir.dotted_name(node.func) or "").split(".")[0] in strategies:
                    return False  # `passport.authenticate('local', ...)(req, res, next)`: passport reads the body
                if isinstance(node, ir.Call) and any(isinstance(arg, ir.Name) and arg.id in requests
                                                     for arg in (*node.args, *(kw.value for kw in node.kwargs))):
                    return False  # the request handed on whole (`super.createToken(request)`): the callee reads it
    return not any(p.name == "input" for p in handler.params)


# the signed-in caller as the session middleware leaves it: `req.user`, `ctx.state.user`, `res.locals.user`,
# a tRPC resolver's `ctx.user`
_CALLER_HOLDERS = frozenset({"user", "currentUser", "account", "session"})


def _caller_read(expr: ir.Expr, rows: set[str]) -> bool:
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Name) and node.id in rows:
            return True
        if isinstance(node, ir.Attr) and node.attr in _CALLER_HOLDERS and \
                (ir.last_name(node.value) or "") in ("req", "request", "ctx", "state", "locals", "<param0>"):
            return True
    return False


def _checks_callers_own(handler: ir.Function | None) -> bool:
    """Every check of a typed secret in the handler (`totp.verify(code, user.totpKey)`, `bcrypt.compare(pw,
    user.passwordHash)`) compares against a record of the signed-in caller: one read through `req.user`
    (`const user = await User.findOne({ id: req.user.id })`) or `req.user` itself. An attacker without that
    session reaches no such check; re-entering one's own password or code is at most a nit."""
    if handler is None:
        return False
    vocab = secrets.vocabulary()
    rows: set[str] = set()
    for _ in range(2):
        for stmt in ir.walk_stmts(handler.body):
            if isinstance(stmt, ir.Assign) and stmt.value is not None and _caller_read(stmt.value, rows):
                rows.update(t.id for target in stmt.targets for t in ir.walk_expr(target) if isinstance(t, ir.Name))
    checks = [call for call in iter_calls(handler.body) if secrets.checks_typed(call, vocab)]
    return bool(checks) and all(any(_caller_read(arg, rows) for arg in (*call.args, *(k.value for k in call.kwargs)))
                                for call in checks)


def _federated(module: ir.Module, handler: ir.Function | None, route: RouteFact) -> bool:
    """The route signs in through a passport strategy of an identity provider (`passport.authenticate("apple")`
    in the handler or its registration): the provider's signed answer is verified, nothing a person types.
    Only when every strategy named there is such a one (`local`, `basic` check a password)."""
    vocab = secrets.vocabulary()
    scopes = [handler.body] if handler is not None else []
    calls = [c for body in scopes for c in iter_calls(body)]
    calls += [c for stmt in module.body for c in iter_calls((stmt,)) if c.line == route.line]
    named = [c.args[0].value for c in calls if isinstance(c.func, ir.Attr) and c.func.attr == "authenticate"
             and (ir.dotted_name(c.func.value) or "").split(".")[0] in vocab.credential_middleware
             and c.args and isinstance(c.args[0], ir.Const) and isinstance(c.args[0].value, str)]
    return bool(named) and not any(str(name).lower() in vocab.password_strategies for name in named)


def _presents_no_guess(segments: Sequence[str]) -> bool:
    """`/oauth/token`, `/sign-in-passkey/authentication/verify`, `/sso/:connector/verify`: the client
    presents a signature or an identity provider's one-time code, not a password or code a person
    types (models/node/rules.yaml `unguessed_sign_in_paths`)."""
    unguessed = knowledge().unguessed_sign_in_paths
    return any(segment in unguessed or unguessed.intersection(re.split(r"[-_.]", segment)) for segment in segments)


def _candidates(module: ir.Module, routes: Sequence[RouteFact],
                middleware: Mapping[int, tuple[str, ...]] | None = None) -> Iterable[Finding]:
    handlers = {function.qualname: function for function in module.functions}
    for route in routes:
        handler = handlers.get(route.qualname)
        if not _credential(route) or _federated(module, handler, route):
            continue
        segments = [s.lower() for s in route.path.split("/") if s and not s.startswith(":")]
        tail = "/".join(segments[-2:])
        signup = bool(_SIGNUP.search(tail))
        # nothing presented is nothing guessed; an open sign-up is abused by calling it, whatever it reads
        if not signup and _presents_nothing(handler, route, (middleware or {}).get(route.line, ())):
            continue
        concern = "missing-rate-limit" if signup else "auth-brute-force"
        what = "sign-up" if signup else "password reset" if _RESET.search(tail) else "credential check"
        own = not signup and _checks_callers_own(handler)
        yield make_finding(
            concern, Location(module.path, route.line), f"POST {route.path} ({what}) has no rate limit",
            ("The secret checked is the signed-in caller's own (a password or code re-entered to confirm a change): "
             "guessing it needs the caller's session first, so an attempt limit matters little here."
             if own else
             "Without attempt limits an attacker replays leaked password lists or walks every one-time code; an "
             "open sign-up lets one client fill the database and burn the e-mail budget."),
            confidence=Confidence.LOW if own else Confidence.MEDIUM,
            fix=_limiter_fix(route),
            rule=RULE.id, key=f"{route.path}|{concern}",
        )


def _limiter_fix(route: RouteFact) -> Fix:
    """A limiter in the route's own idiom: Express middleware in front of the handler, or for a tRPC
    procedure a builder whose middleware counts attempts (an HTTP limiter on the adapter's URL is
    bypassed by batched calls)."""
    if route.framework == "trpc":
        key = procedure_key(route)
        return Fix("Build this procedure from a builder whose middleware limits attempts per IP and per account.",
                   "const limitedProcedure = publicProcedure.use(limitAttempts);\n"
                   "// limitAttempts: counts calls per IP and per account (Redis or the database) and throws\n"
                   "// new TRPCError({ code: 'TOO_MANY_REQUESTS' }) past 10 in 15 minutes\n"
                   f"{key}: limitedProcedure.mutation(/* the existing resolver, its .input(...) unchanged */),",
                   "typescript")
    return Fix("Put a limiter (per IP and per account) in front of this route.",
               "const rateLimit = require('express-rate-limit');\n"
               "const limiter = rateLimit({ windowMs: 15 * 60 * 1000, limit: 10 });\n"
               f"{route.router.rsplit('.', 1)[-1] or 'router'}.post('{route.path}', limiter, "
               f"{_handler(route)});", "javascript")


def _handler(route: RouteFact) -> str:
    return "/* the existing handler */" if route.qualname.startswith("<") else route.qualname


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, tuple) and len(f) == 9]
    limiters = nest_knowledge().rate_limit_guards
    subclasses = frozenset(name for *_, classes, _, _ in facts for name in classes)
    # a limiter guard on every route: only the NestJS routes a decorator exempts from it are open
    everywhere = any(_is_limiter(g, limiters, subclasses) for _, _, _, guards, *_ in facts for g in guards)
    limited_somewhere = any(imported for imported, *_ in facts)
    built = frozenset(name for *_, built_here, _, _, _, _ in facts for name in built_here)
    # routers whose routes carry limiters one by one: a credential route there without one is open
    limited_routers = {router for *_, chains, _, _, _ in facts for router, refs, _ in chains if built & set(refs)}
    # routes whose handler runs its check through project code that counts failures or locks out, or
    # whose check compares only secrets the project generated
    call_facts = [calls for *_, calls, _ in facts]
    members = {holder: held for fact in call_facts for holder, held in fact.members}
    limited = limits.limited_routes(call_facts)
    not_targets = limited | secrets.generated_routes(
        [stored for *_, stored in facts], [route for fact in call_facts for route in fact.routes],
        limits.call_graph(call_facts), members, limits.reachable)
    for _, undecided, nest, _, _, chains, *_ in facts:
        unlimited = {index for router, refs, index in chains
                     if index >= 0 and router in limited_routers and not built & set(refs)}
        shown = () if everywhere else undecided if not limited_somewhere else \
            tuple(f for i, f in enumerate(undecided) if i in unlimited)
        decided = tuple(f for f, refs in nest if not any(_is_limiter(g, limiters, subclasses) for g in refs)
                        and (not everywhere or _SKIPS in refs))
        for finding in decided + shown:
            where = (finding.location.path, finding.location.start_line)
            # a sign-up whose handler limits through project code is limited like a credential check
            if settings.enabled(finding.concern) and \
                    not (finding.concern == "auth-brute-force" and where in not_targets) and \
                    not (finding.concern == "missing-rate-limit" and where in limited):
                yield finding


RULE = Rule("js-rate-limit", frozenset({"auth-brute-force", "missing-rate-limit"}), "javascript", no_findings,
            collect=collect, combine=combine)

"""Login, OTP and password-reset endpoints without attempt limiting (auth-brute-force), and
public expensive endpoints without rate limiting (missing-rate-limit).

## What it finds
- **auth-brute-force**: a handler that checks credentials or one-time codes (by its route,
  its name, or what it does: `authenticate()`, `check_password`, `verify_password`,
  `check_password_hash`, `pwd_context.verify`, `totp.verify`), or a password-reset handler;
- **missing-rate-limit**: a public handler that signs users up, searches, exports, invites or
  sends e-mail/SMS (`send_mail`, `EmailMessage(...).send()`, `send_sms` ...);

when nothing limits its rate: no flask-limiter / slowapi `@limiter.limit`, no
django-ratelimit `@ratelimit`, no DRF `throttle_classes`, no fastapi-limiter
`Depends(RateLimiter(...))`, no attempt counter or lockout in the body or in a function it
calls (a method of the service it is handed, `accounts: FromDishka[AccountService]` whose
`finish_reset` calls `self.check_rate_limit(...)`, or of an object it builds; a counter of failures
kept on the record and compared with a threshold, `user.failed_login_count += 1` beside
`if user.failed_login_count >= lock_count:`, or a backoff deadline computed from it, in the handler or
in the account code it reaches a few calls down, through a front object only into the backend classes
its member is built from: `Authenticator(StoreBackend())`, never any method sharing the name), no handler of the exception a limit raises (`except UserLockedOut:`, `except
LoginThrottledException:`, `except TooManyFailedLogins:`: whatever raises it counts attempts, however deep, and
a form class whose base's validation handles it limits the handler that builds the form, even through a
parameter defaulting to that class: `def login(request, _form_class=LoginForm)`); and no project-wide
limit in any reviewed file (DRF `DEFAULT_THROTTLE_CLASSES`, django-axes or django-defender in
`INSTALLED_APPS`/`AUTHENTICATION_BACKENDS`, a `Limiter(default_limits=...)`, a rate-limit
middleware).

An endpoint whose route requires a signed-in caller and whose every credential check verifies a
secret of that caller (`check_password_hash(current_user.password_hash, ...)`,
`request.user.check_password(...)`, the TOTP of a `Depends(current_user)` user, the password of
`subscriber: Subscriber = Depends(get_subscriber)` where the dependency returns the caller its bearer
token names, whatever it is called) is not a brute-force target: the caller already holds the session, and what it
re-enters (the current password to confirm a change, the code of the TOTP secret it is enrolling)
is its own.
Online guessing needs a caller with no session, at a sign-in, second-step or reset endpoint.
A password checked in a function of the module the handler hands the client's secret field to
(`verify_member(form["email"], form["password"])` over `check_password_hash`) is the route's own
check, even where that helper's refusal makes the endpoint model call the route guarded; unless the
handler reads who the signed-in caller is (then it is the caller re-confirming its own password).
So is one that, before any credential check, refuses a caller who is not authenticated (`if type(request.auth)
is not AuthorizedApplication: raise PermissionDenied()`, in the handler or a method of its class it calls
first, or whose answer it tests: `ok, content = self.validate_request_user(pk, request)` returning a 403 unless
the account `pk` names is `request.user`): only someone signed in reaches the check, and with the caller's
own account that is the caller re-confirming its own password. A signed-in caller storing
its own new secret (`session.get_user().set_hotp_secret(otp_secret)`) checks no one's credential.

What is guessed must be guessable. A handler whose every credential check is handed client text only
from the URL path (`check_token/<username>/<token>/`; a parameter parsed as an integer may be a short
code and still counts) checks the token of a link the server sent. A handler that checks nothing itself
and relays the client's code in a call to another host's URL (a payment provider's `validateOtp`) leaves
the check, and its limit, to that service. A handler named for a sign-in step that recognisably checks
nothing counts only when it reads a secret field from the client (request data, a form or serializer
bound to it, whose class name counts too: `Confirm2FAForm(request.POST)`): what a second step reads
from its own session is not guessed. Who the client names (`email`, `username`) is no secret: alone it
counts only when handed to a form or serializer whose validation may check the password
(`AuthenticationForm(request, data=request.POST)`); a `can_login` that answers whether an address may
sign in checks nothing.

A check of a secret the caller chose in the same request guesses nothing: a TOTP built from the
secret the client posts with the code (`TOTP(request.form["otp_secret"]).verify(token)`, the
confirmation of a new authenticator), or a password check of the account the handler has just
created (`new_user = User.objects.create_user(...)` then `authenticate(username=new_user.email, ...)`,
the sign-in that follows a registration). Nor does a code checked against an authenticator secret read
from the caller's own session (`TOTP(request.session["totp_secret"])`, the enrolment of a secret the
server generated and just showed to this session), unlike a second sign-in step, which checks the
account's stored secret. A code checked behind a one-time token the handler deletes as it reads it
(`find_one_and_delete({"_id": token})`, Redis `GETDEL`) gets one try per token the first step issued.
A handler that refuses a request whose HMAC signature, computed with a secret the server issued, differs
from the one the request carries is called by a machine holding that key: nothing there is guessed.

A method of a subclass of a library login view (Django's `LoginView`, DRF's `ObtainAuthToken`...) that hands
the request to the base's handler (`super().post(request, ...)`) checks the password there.
A login view built on a library view that limits failed logins by default (django-allauth's
`LoginView`: ACCOUNT_RATE_LIMITS; models/vocabulary/attempt_limits.yaml) is limited.

What an endpoint is comes from whole words of its name, class and route, with verbs spelled in two
words joined (`SignUpEndpoint` signs up, `log_in` logs in): a sign-up (`signup`, `register`, `view_registration`)
creates an account and checks
no one's credential, unless it confirms a one-time code it sent (`code` read from the request). A handler named for the login page that reads no credential field (words of
what it reads: `password`, `code`, `email`...; `urlencode` is none) only sends the browser there.

## Why it matters
Without attempt limits an attacker replays leaked password lists (credential stuffing), sprays
common passwords across all accounts, or walks all 10^6 six-digit OTP codes in hours. Public
sign-up, search and mail endpoints let one client exhaust the database, the mail quota
or the SMS budget, and get the sender domain blacklisted.

## Example
```python
@app.post("/login")
def login():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user and check_password_hash(user.password_hash, request.form["password"]):
        login_user(user)
```
Use instead:
```python
@app.post("/login")
@limiter.limit("5 per minute; 50 per hour")
def login():
    ...
```

## Fix
Limit per client IP and per account (flask-limiter, slowapi, django-ratelimit, DRF
`ScopedRateThrottle`), lock or slow down after repeated failures (django-axes), and size the
limits together with the password hash cost.

What this rule finds limited is shared (`attempt_limits`): password hashing on an event loop in a handler
it finds limited costs one stall per allowed attempt, not one per request an attacker sends
(rules/python/perf_blocking_async.py grades it medium there).

## Known problems
Medium confidence: limits enforced outside the reviewed code (API gateway, WAF, nginx
`limit_req`, a shared decorator under another name) are not seen. A front object built with
several backends (a pluggable user store chosen by configuration) counts as limited when one of the
backends it is built from keeps a lockout, though another may not. Handlers are recognised by
names and routes; a login implemented as a GraphQL mutation is not reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.analysis.node_dispatch import sites
from servicelens.config.settings import Settings
from servicelens.fixcode.routes import Handler, def_header, own_decorators, rate_limit
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python import _access as access
from servicelens.rules.python._common import is_test_path, words
from servicelens.rules.python._enrolments import checks_session_secret
from servicelens.rules.python._signed_requests import verifies_request_signature
from servicelens.rules.python._single_use import consumes_client_token
from servicelens.rules.python._layers import Relay, reached, relays
from servicelens.rules.python._member_builds import (Construction, MemberParam, constructions, member_builds,
                                                    member_classes, member_params)
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, class_bases, function_key
from servicelens.rules.python._credential_endpoints import credential_endpoints
from servicelens.rules.python._purpose import vocabulary_file
from servicelens.rules.python._refusals import refuses
from servicelens.rules.python.rel_shared import file_mentions, file_tokens
from servicelens.taint.scope import HandlerInfo, ModuleScope

_LIMITS = re.compile(r"(?i)(rate_?limit|ratelimit|throttl|limiter|lockout|locked_?out|attempt|too_?many|brute|axes|"
                     r"slow_?down|"
                     r"RateLimiter|token_?bucket|leaky_?bucket)")
# a word every match of `_LIMITS` holds, lower-cased: a substring test is ~100x faster than the
# pattern (an alternation without a literal prefix) over a whole file's names
_LIMIT_WORDS = ("limit", "throttl", "lockout", "locked", "attempt", "too_many", "toomany", "brute", "axes", "slow",
                "bucket")
_LIMIT_MIDDLEWARE = re.compile(r"(?i)(ratelimit|throttl)\w*middleware")
_VERIFY_RECEIVERS = re.compile(r"(?i)(pwd_context|password_context|hasher|totp|hotp|otp|argon|bcrypt|ph)$")
_BRUTE_WORDS = frozenset({"login", "signin", "logon", "otp", "totp", "mfa", "2fa", "passcode", "pin"})
_RESET_WORDS = frozenset({"forgot", "recover", "recovery", "reset"})
_BRUTE_EXCLUDE = frozenset({"logout", "signout", "refresh", "revoke", "callback", "change", "update", "register",
                            "registration", "signup", "page", "form", "template", "status", "config", "settings",
                            "html", "preview"})
_GUESSABLE = re.compile(r"(?i)^(otp|code|pin|passcode|verification_code|reset_code|sms_code|totp)$")
_EXPENSIVE_WORDS = frozenset({"signup", "register", "registration", "search", "export", "invite", "contact",
                              "subscribe", "newsletter", "resend", "feedback"})
# library knowledge (models/vocabulary/credential_endpoints.yaml): login views, credential checks, mail
_LIBRARY = credential_endpoints()
_LOGIN_VIEW_BASES = _LIBRARY.login_view_bases


@dataclass(frozen=True, slots=True)
class Candidate:
    finding: Finding
    kind: str  # "drf" | "django" | "flask" | "fastapi" | "other": which project-wide limits cover it
    # project-wide names of what the handler calls or builds (`hc.accounts.forms.LoginForm`,
    # `app.auth.check_login`): a limit enforced one call away, in a form's validation or a
    # login helper, limits the handler too
    callees: tuple[str, ...] = ()
    # what the shared resolver says its calls land in (`user_service.finalize_password_reset(...)` with
    # `user_service: FromDishka[UserService]`), matched project-wide through a CalleeIndex
    resolved: tuple[str, ...] = ()
    qualname: str = ""  # the handler (function or login view class), for `attempt_limits`


@dataclass(frozen=True, slots=True)
class Facts:
    limits: tuple[tuple[str, str], ...]  # (kind covered, evidence) of project-wide limits in this file
    candidates: tuple[Candidate, ...]
    limiting: tuple[str, ...] = ()  # functions, and classes with a method, here that enforce a limit
    chains: tuple[Relay, ...] = ()  # the project calls of this file's functions: a limit a few calls down
    # (function key, method, member) of a method handing the same call to a member whose class the call
    # does not say (`self.state.verify_and_link_user(...)` in `verify_and_link_user`): a proxy to an implementation
    delegates: tuple[tuple[str, str, str], ...] = ()
    bases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # classes' bases, module instances' classes
    # what this file says members are built from (rules/python/_member_builds.py): the proxies' implementations
    builds: tuple[tuple[str, str], ...] = ()
    member_params: tuple[MemberParam, ...] = ()
    constructions: tuple[Construction, ...] = ()
    # qualnames of this file's handlers that carry their own limit (a limiter decorator or dependency,
    # a lockout handled in the body, a limited blueprint): never candidates, limited all the same
    limited_here: tuple[str, ...] = ()


_NOTHING = Facts((), (), ())  # what a file that adds nothing to `combine` collects


def collect(module: ir.Module, scope: ModuleScope) -> Facts | None:
    return contribution(_collect(module, scope), _NOTHING)


def _collect(module: ir.Module, scope: ModuleScope) -> Facts:
    tokens = file_tokens(module, scope)
    limits = tuple(_global_limits(module, file_index(module, scope))) \
        if any(word in tokens for word in _GLOBAL_LIMIT_WORDS) else ()
    limiting = tuple(_limiting_code(module, scope, file_index(module, scope)))
    if is_test_path(module.path):
        return Facts(limits, (), limiting)
    chains = tuple(r for f in module.functions for r in relays(scope, f))
    delegates = tuple(_delegates(module, scope))
    everything = _module_limited(module)
    # a file none of whose names can spell a limit limits no handler of its own: its functions are
    # not walked for one
    named = _names_limits(module, scope, file_index(module, scope))
    candidates = () if everything else tuple(_candidates(module, scope, named))
    limited_here = tuple(f.qualname for f in module.functions if f.qualname in scope.handlers
                         and (everything or named and _locally_limited(f, access.enclosing_class(module, f))))
    return Facts(limits, candidates, limiting, chains, delegates, class_bases(module, scope),
                 tuple(member_builds(module, scope)), tuple(member_params(module, scope)),
                 tuple(constructions(module, scope)), limited_here)


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, Facts)]
    for candidate in _unlimited(facts):
        if settings.enabled(candidate.finding.concern):
            yield candidate.finding


def _unlimited(facts: list[Facts]) -> Iterator[Candidate]:
    """The candidates nothing limits: no project-wide limit of their kind, no limit in what they call."""
    covered = {kind for f in facts for kind, _ in f.limits}
    limiting = {name for f in facts for name in f.limiting}
    if not any(f.candidates for f in facts):
        return
    members = member_classes([b for f in facts for b in f.builds], [p for f in facts for p in f.member_params],
                             [c for f in facts for c in f.constructions])
    bases = dict(b for f in facts for b in f.bases)
    index = _limited_below(limiting, [r for f in facts for r in f.chains], [d for f in facts for d in f.delegates],
                           bases, members)
    limited_classes = _limited_classes(limiting, bases)
    for fact in facts:
        for candidate in fact.candidates:
            if not _covered(candidate, covered) \
                    and not limiting.intersection(candidate.callees) \
                    and not any(index.get(name) for name in (*candidate.resolved, *candidate.callees)) \
                    and not any(limited_classes.key_of(name) for name in candidate.callees):
                yield candidate


@dataclass(frozen=True, slots=True)
class AttemptLimits:
    """Where the project limits how often a client may call a handler, as this rule finds it: a limit
    on every route (`Limiter(default_limits=...)`, a rate-limit middleware), or on the handler (its own
    limiter or lockout, or, for a sign-in, sign-up or reset handler, a limit in what it calls)."""

    everywhere: bool = False
    handlers: frozenset[tuple[str, str]] = frozenset()  # (path, qualname)

    def limit(self, path: str, qualname: str) -> bool:
        return self.everywhere or (path, qualname) in self.handlers


def attempt_limits(per_file: Mapping[str, object]) -> AttemptLimits:
    """The handlers this rule finds limited, from its collected facts ({path: Facts}): what it would
    not report, for a cost one client can repeat only at the limited rate (password hashing on the
    event loop: rules/python/perf_blocking_async.py)."""
    facts = {path: f for path, f in sorted(per_file.items()) if isinstance(f, Facts)}
    if not facts:
        return AttemptLimits()
    everywhere = any(kind == "all" for f in facts.values() for kind, _ in f.limits)
    open_ = {id(c) for c in _unlimited(list(facts.values()))}
    handlers = {(path, name) for path, f in facts.items() for name in f.limited_here}
    handlers |= {(path, c.qualname) for path, f in facts.items() for c in f.candidates
                 if c.qualname and id(c) not in open_}
    return AttemptLimits(everywhere, frozenset(handlers))


def _limited_classes(limiting: set[str], bases: Mapping[str, tuple[str, ...]]) -> CalleeIndex[bool]:
    """The classes that inherit a limit: a base of theirs (at any depth) has a method that enforces one
    (`LoginForm(PasswordMixin, ...)`, whose mixin's `validate_password` handles TooManyFailedLogins). A
    handler building such a form validates through the base's limited check."""
    limited = CalleeIndex((name, True) for name in limiting)
    found: list[str] = []
    for cls in bases:
        seen, pending = {cls}, list(bases[cls])
        while pending:
            base = pending.pop()
            if limited.key_of(base) is not None:
                found.append(cls)
                break
            for above in bases.get(base, ()):
                if above not in seen:
                    seen.add(above)
                    pending.append(above)
    return CalleeIndex((name, True) for name in found)


def _limited_below(limiting: set[str], chains: list[Relay], delegates: list[tuple[str, str, str]],
                   bases: dict[str, tuple[str, ...]], members: Mapping[str, frozenset[str]]) -> CalleeIndex[object]:
    """The functions that enforce a limit or call, a few layers down, one that does (`conduct_signin` ->
    `verify_user`, which locks the account out): a sign-in limited in the authentication code it calls.
    A proxy method handing the call to a member (`return self.backend.check(...)`) counts when the
    method of a class that member is built from (rules/python/_member_builds.py) is limited: the body
    the call lands in, not any method of the project that shares its name."""
    effects: dict[str, object] = dict.fromkeys(limiting, True)
    index = reached(effects, chains, bases)
    proxies = {key for key, method, member in delegates
               if any(index.get(f"{held}.{method}") for held in members.get(member, ()))} - effects.keys()
    return reached({**effects, **dict.fromkeys(proxies, True)}, chains, bases) if proxies else index


def _delegates(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[str, str, str]]:
    """Methods that hand their own call on to a member whose class the call does not say
    (`def verify(self, ...): return self.backend.verify(...)`), with that member's project-wide name."""
    for function in module.functions:
        if not function.class_name:
            continue
        for node in file_index(module, scope).block_of_kind(function.body, ir.Call):
            func = node.func
            if isinstance(func, ir.Attr) and func.attr == function.name and isinstance(func.value, ir.Attr) \
                    and ir.dotted_name(func.value.value) == "self" and callee_name(node, scope, function) is None:
                yield function_key(scope, function), function.name, f"{scope.name}.{function.class_name}.{func.value.attr}"
                break


def _limiting_code(module: ir.Module, scope: ModuleScope, index: FileIndex) -> Iterator[str]:
    """Functions whose body enforces a limit (`TokenBucket.authorize_login(...)`, an attempt
    counter, a refusal with 429 Too Many Requests), the classes they are methods of (a form whose
    validation limits attempts) and the functions they are nested in (a factory of a route
    dependency, `dependencies=[limit("login", 10, 300)]`, whose inner check counts hits).
    Asked of every function of every file: the tests that need a name the file does not hold
    (a limit's, a failure counter's) are skipped for the whole file."""
    refusing = _refusing_too_many(index, file_tokens(module, scope))
    counting = _counting_attempts(index)
    named = _names_limits(module, scope, index)
    counters = _may_keep_counters(module, scope, index)
    for function in module.functions:
        if named and (any(_LIMITS.search(_spelled(n.func)) for n in index.block_of_kind(function.body, ir.Call))
                      or _catches_limit(function)) \
                or _counts_attempts(function, counting.get(id(function)), index) \
                or id(function) in refusing or counters and _locks_out(function, index):
            yield f"{module.module_name}.{function.qualname}"
            if function.class_name:
                yield f"{module.module_name}.{function.class_name}"
            if function.parent and "." not in function.parent:
                yield f"{module.module_name}.{function.parent}"


def _names_limits(module: ir.Module, scope: ModuleScope, index: FileIndex) -> bool:
    """Could a name of the file spell a limit (`_LIMITS`, which matches within one name or attribute)?
    Its bodies' and signatures' tokens (`file_tokens`) and the types its handlers catch (not laid out
    in the index): when not, no call, caught type or decorator of the file is a limit's."""
    tokens = file_tokens(module, scope)
    return any(word in tokens for word in _LIMIT_WORDS) or any(
        _LIMITS.search(_spelled(node)) for stmt in index.statements if type(stmt) is ir.Try
        for handler in stmt.handlers if handler.types is not None for node in ir.walk_expr(handler.types))


def _may_keep_counters(module: ir.Module, scope: ModuleScope, index: FileIndex) -> bool:
    """Could `_persisted_counters` find a counter in this file: an attribute or keyword named with a
    `_COUNTER_WORDS` word (each holds `fail`, `attempt` or `tries`), or a cache increment call?"""
    return file_mentions(module, scope, "fail", "attempt", "tries") or not _INCREMENT_CALLS.isdisjoint(
        index.callee_names())


# words of a counter of failed attempts (`user.failed_login_count`, `login_attempts`, `tries`)
_COUNTER_WORDS = frozenset({"fail", "failed", "failure", "failures", "attempt", "attempts", "tries", "retries"})


def _counting_attempts(index: FileIndex) -> dict[int, set[str]]:
    """Per function (by id): the counters of failures it adds to (`user.failed_login_count += 1`),
    from the file's assignments handed over by kind."""
    counted: dict[int, set[str]] = {}
    for site in sites(index, (ir.Assign,)):
        stmt = site.node
        if site.function is not None and stmt.op == "+":  # type: ignore[attr-defined]
            for target in stmt.targets:  # type: ignore[attr-defined]
                if set(words(_last(target))) & _COUNTER_WORDS:
                    counted.setdefault(id(site.function), set()).add(_last(target))
    return counted


def _counts_attempts(function: ir.Function, counted: set[str] | None, index: FileIndex) -> bool:
    """A lockout kept on a record: the function adds to a counter of failures (`counted`) and
    compares that counter with a threshold (`if user.failed_login_count >= lock_count:`)."""
    if not counted:
        return False
    return any(any(op in ("<", "<=", ">", ">=") for op in node.ops)
               and any(isinstance(side, (ir.Name, ir.Attr)) and _last(side) in counted
                       for side in (node.left, *node.comparators))
               for node in index.block_of_kind(function.body, ir.Compare))


def _locks_out(function: ir.Function, index: FileIndex) -> bool:
    """A lockout or backoff kept by the function: it adds to a counter of failures that outlives the
    request (a record's attribute or column, a cache key) and refuses (raises, returns a failure) under
    a test reading that counter or a value computed from it (`retry_at = backoff(user.attempts, ...)`,
    `if retry_at > now: raise`). A counter no test reads limits nothing."""
    counters = _persisted_counters(function, index)
    if not counters:
        return False
    derived = access.flow_names(function.body, set(counters), lambda e: _last(e) in counters
                                if isinstance(e, (ir.Name, ir.Attr)) else False)
    guarded = counters | derived
    return any(isinstance(stmt, ir.If) and _reads_any(stmt.test, guarded) and refuses(stmt.body)
               for stmt in index.walk_stmts(function.body))


_INCREMENT_CALLS = frozenset({"incr", "increment", "incrby", "hincrby", "incr_failures"})


def _persisted_counters(function: ir.Function, index: FileIndex) -> set[str]:
    """Counters of failures the function adds to and keeps: `user.failed_logins += 1`, `user.attempts =
    user.attempts + 1`, `User.update(invalid_login_attempts=User.invalid_login_attempts + 1)`,
    `F("failed_logins") + 1`, and the value of a cache increment (`tries = cache.incr(key)`). A local
    `+= 1` is a loop's count (a retry bound), not a limit on the caller."""
    found: set[str] = set()
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign):
            for target in stmt.targets:
                if isinstance(target, ir.Attr) and _counter_word(target.attr) and (
                        stmt.op == "+" or _adds_to(stmt.value, target.attr)):
                    found.add(target.attr)
            value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
            if isinstance(value, ir.Call) and _last(value.func) in _INCREMENT_CALLS:
                found |= {t.id for t in stmt.targets if isinstance(t, ir.Name)}
    for node in index.block_of_kind(function.body, ir.Call):  # a set: the order does not matter
        found |= {kw.name for kw in node.kwargs if kw.name and _counter_word(kw.name) and _adds_to(kw.value, kw.name)}
    return found


def _counter_word(name: str) -> bool:
    return bool(set(words(name)) & _COUNTER_WORDS)


def _adds_to(value: ir.Expr | None, name: str) -> bool:
    """`<...>.name + 1` or `F("name") + 1`: the stored value of `name`, plus something."""
    if not isinstance(value, ir.BinOp) or value.op != "+":
        return False
    return any(isinstance(side, (ir.Name, ir.Attr)) and _last(side) == name
               or isinstance(side, ir.Call) and any(isinstance(a, ir.Const) and a.value == name for a in side.args)
               for side in (value.left, value.right))


def _reads_any(test: ir.Expr, names: set[str]) -> bool:
    return any(isinstance(node, (ir.Name, ir.Attr)) and _last(node) in names for node in ir.walk_expr(test))


_TOO_MANY = re.compile(r"(?i)429|too_?many_?requests")
_REFUSING_STMTS = (ir.Raise, ir.ExprStmt, ir.Return)


def _may_refuse_too_many(index: FileIndex, tokens: str) -> bool:
    """A constant 429, or a name or string spelling too-many-requests, anywhere in the file (`tokens`:
    its `file_tokens`)."""
    return "toomany" in tokens or "too_many" in tokens or "429" in tokens or any(
        node.value == 429 and not isinstance(node.value, bool) for node in index.of_kind(ir.Const))  # type: ignore[attr-defined]


def _refusing_too_many(index: FileIndex, tokens: str) -> set[int]:
    """The functions (by id) that refuse with 429 Too Many Requests (`raise HTTPException(
    status.HTTP_429_TOO_MANY_REQUESTS, ...)`, `abort(429)`, `return Response(status=429)`): whatever
    they count, each is a limit. Only what a raise, a return or an expression statement evaluates."""
    refusing: set[int] = set()
    if not _may_refuse_too_many(index, tokens):
        return refusing
    for site in sites(index, _REFUSING_STMTS):
        if site.function is None or id(site.function) in refusing:
            continue
        for node in index.stmt_nodes(site.node):  # type: ignore[arg-type]
            kind = type(node)
            if kind is ir.Const:
                if node.value == 429 and not isinstance(node.value, bool):  # type: ignore[attr-defined]
                    refusing.add(id(site.function))
                    break
            elif (kind is ir.Name or kind is ir.Attr) and _TOO_MANY.search(ir.last_name(node) or ""):
                refusing.add(id(site.function))
                break
    return refusing


def _resolved(function: ir.Function, scope: ModuleScope) -> tuple[str, ...]:
    """The project functions the handler's calls land in, as the shared resolver names them: a method of
    a service the handler is handed or builds (`UserService.finalize_password_reset`), and the route
    dependencies its decorators and parameters build (`dependencies=[limit("login", 10, 300)]`)."""
    around = [*function.decorators, *(e for p in function.params for e in (p.default, p.annotation) if e is not None)]
    calls = [node for stmt in ir.walk_stmts(function.body) for expr in ir.stmt_exprs(stmt)
             for node in ir.walk_expr(expr) if isinstance(node, ir.Call)]
    calls += [node for expr in around for node in ir.walk_expr(expr) if isinstance(node, ir.Call)]
    found = (callee_name(node, scope, function) for node in calls)
    return tuple(dict.fromkeys(name for name, _ in filter(None, found)))


def _callees(function: ir.Function, scope: ModuleScope) -> tuple[str, ...]:
    local = {p.name for p in function.params} | {t.id for s in ir.walk_stmts(function.body) if isinstance(s, ir.Assign)
                                                  for t in s.targets if isinstance(t, ir.Name)}
    # a parameter defaulting to a class or function (`_form_class=LoginForm`, there to be swapped in tests)
    # is called as that default when a request arrives
    defaults = {p.name: dotted for p in function.params if p.default is not None
                and isinstance(p.default, (ir.Name, ir.Attr)) and (dotted := ir.dotted_name(p.default))}
    found = []
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call):
                    called = ir.dotted_name(node.func) or ""
                    if called in defaults:
                        name = scope.qualify(defaults[called], function, local - {called})
                        if name:
                            found.append(name)
                        continue
                    name = scope.qualify(called, function, local)
                    if name:
                        found.append(name)
    return tuple(dict.fromkeys(found))


def _covered(candidate: Candidate, covered: set[str]) -> bool:
    if "all" in covered or candidate.kind in covered:
        return True
    brute = candidate.finding.concern == "auth-brute-force"
    return brute and "axes" in covered and candidate.kind in ("drf", "django")


# ---------------------------------------------------------------- project-wide limits

# a word each of `_global_limits`' answers needs among the file's tokens (lower-cased)
_GLOBAL_LIMIT_WORDS = ("default_throttle_classes", "axes", "defender", "limiter", "ddlewar", "ratelimit_default")


def _global_limits(module: ir.Module, index: FileIndex) -> Iterator[tuple[str, str]]:
    # settings at module level; an app factory (`def create_app(): app.add_middleware(...)`) in a function.
    # Every node of the file is looked at, so each test is reached by the node's type (the
    # index lays the nodes out once) instead of trying every test on every node.
    statements = index.walk_stmts(module.body) + tuple(s for f in module.functions for s in index.walk_stmts(f.body))
    for stmt in statements:
        for node in index.stmt_nodes(stmt):
            kind = type(node)
            if kind is ir.Const:
                text = node.value
                if type(text) is not str:
                    continue
                if text == "DEFAULT_THROTTLE_CLASSES" and isinstance(stmt, ir.Assign):
                    yield "drf", "DEFAULT_THROTTLE_CLASSES"
                elif text in ("axes", "defender") or text.startswith(("axes.", "defender.")):
                    yield "axes", text
            elif kind is ir.Call:
                callee = _last(node.func)
                if callee == "Limiter" and node.kwarg("default_limits") is not None:
                    yield "all", "Limiter(default_limits=...)"
                elif callee in ("add_middleware", "Middleware") and node.args \
                        and _LIMITS.search(ir.dotted_name(node.args[0]) or ""):
                    # `app.add_middleware(rate_limit.get_middleware, ...)`: every route passes it first
                    yield "all", f"{callee}({ir.dotted_name(node.args[0])})"
            elif kind is ir.Name and node.id in ("RATELIMIT_DEFAULT", "RATELIMIT_DEFAULTS"):
                yield "flask", node.id
            elif kind is ir.Name or kind is ir.Attr:
                name = node.id if kind is ir.Name else node.attr  # `_last` of a name or an attribute
                # the substring is necessary for the pattern; most names are not middleware
                if "ddlewar" in name.lower() and _LIMIT_MIDDLEWARE.search(name):
                    yield "all", name


def _module_limited(module: ir.Module) -> bool:
    """`limiter.limit("10/minute")(auth_blueprint)`: a limit applied to the whole module's blueprint."""
    for stmt in module.body:
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Call) and \
                        _LIMITS.search(ir.dotted_name(node.func.func) or ""):
                    return True
    return False


# ---------------------------------------------------------------- candidates

def _candidates(module: ir.Module, scope: ModuleScope, named: bool = True) -> Iterator[Candidate]:
    """`named`: could a name of the file spell a limit (`_names_limits`)? When not, no handler or
    class is limited locally."""
    for function in module.functions:
        handler = scope.handlers.get(function.qualname)
        if handler is None or handler.framework == "graphql":
            continue  # GraphQL is limited at its one endpoint (or by query cost), not per resolver
        cls = access.enclosing_class(module, function)
        if named and _locally_limited(function, cls):
            continue
        if access.is_admin_only(function, cls, module):
            continue
        if _refuses_anonymous_first(function, module):
            continue  # the caller signed in with a stronger credential before it reaches the check
        kind = _kind(handler, cls, function)
        reset = _reset_kind(function, handler, cls)
        if reset == "guess" or reset is None and _is_credential_endpoint(
                function, handler, cls, _helper_checks(function, module), _library_login_check(function, cls, scope)):
            yield Candidate(_brute_finding(module, function, handler), kind, _callees(function, scope),
                            _resolved(function, scope), function.qualname)
        elif reset == "mail" and _is_public(function, handler) or _is_expensive_public(function, handler, cls):
            yield Candidate(_rate_finding(module, function, handler), kind, _callees(function, scope),
                            _resolved(function, scope), function.qualname)
    self_limiting = _self_limiting_views()
    for cls in module.classes:
        bases = {_last(b) for b in cls.bases}
        if any(scope.qualify(ir.dotted_name(b) or "", None, set()) in self_limiting for b in cls.bases):
            continue  # the library's own login view limits failed attempts by default
        if bases & _LOGIN_VIEW_BASES and not cls.methods and not (named and _class_limited(cls)):
            yield Candidate(_brute_finding_for_class(module, cls, sorted(bases & _LOGIN_VIEW_BASES)[0]), "drf")


def _kind(handler: HandlerInfo, cls: ir.ClassDef | None, function: ir.Function) -> str:
    if handler.framework != "django":
        return handler.framework if handler.framework in ("flask", "fastapi") else "other"
    drf = cls is not None and any(re.search(r"APIView|ViewSet|GenericAPIView", _last(b)) for b in cls.bases)
    drf = drf or any("api_view" in (ir.dotted_name(d.func if isinstance(d, ir.Call) else d) or "")
                     for d in function.decorators)
    return "drf" if drf else "django"


def _locally_limited(function: ir.Function, cls: ir.ClassDef | None) -> bool:
    exprs: list[ir.Expr] = list(function.decorators)
    exprs += [e for p in function.params for e in (p.default, p.annotation) if e is not None]
    exprs += [e for s in ir.walk_stmts(function.body) for e in ir.stmt_exprs(s)]
    if any(_LIMITS.search(_spelled(n)) for e in exprs for n in ir.walk_expr(e)) or _catches_limit(function):
        return True
    return cls is not None and _class_limited(cls)


def _catches_limit(function: ir.Function) -> bool:
    """The function handles the exception a limit raises (`except UserLockedOut:`, `except
    LoginThrottledException:`): whatever it calls counts attempts, however deep."""
    return any(_LIMITS.search(_spelled(n)) for s in ir.walk_stmts(function.body) if isinstance(s, ir.Try)
               for handler in s.handlers if handler.types is not None for n in ir.walk_expr(handler.types))


def _class_limited(cls: ir.ClassDef) -> bool:
    exprs = list(cls.decorators) + [e for s in cls.body if isinstance(s, ir.Assign) for e in ir.stmt_exprs(s)]
    return any(_LIMITS.search(_spelled(n)) for e in exprs for n in ir.walk_expr(e))


def _spelled(node: ir.Expr) -> str:
    if isinstance(node, (ir.Name, ir.Attr)):
        return ir.dotted_name(node) or (node.attr if isinstance(node, ir.Attr) else "")
    return ""


def _subject_words(function: ir.Function, handler: HandlerInfo, cls: ir.ClassDef | None) -> set[str]:
    """Words of the handler's name, class and route: what the endpoint says it is."""
    text = f"{function.name} {cls.name if cls else ''} {handler.path}".replace("-", "_").replace("/", " ")
    found = {w for part in text.split() for w in _joined(words(part))}
    if re.search(r"(?i)2fa|two_?factor", text):
        found.add("2fa")
    return found


# verbs spelled as two words (`SignUpView`, `log_in`): the compound is what the word lists name
_COMPOUNDS = {("sign", "up"): "signup", ("sign", "in"): "signin", ("log", "in"): "login", ("log", "on"): "logon",
              ("log", "out"): "logout", ("sign", "out"): "signout"}


def _joined(parts: list[str]) -> list[str]:
    """The words, plus each two-word compound verb they spell (`sign`, `up` -> `signup`)."""
    return parts + [_COMPOUNDS[pair] for pair in zip(parts, parts[1:]) if pair in _COMPOUNDS]


def _reset_kind(function: ir.Function, handler: HandlerInfo, cls: ir.ClassDef | None) -> str | None:
    """Password reset: "guess" when the client submits a short code (brute-forceable), "mail" when it
    asks for a reset e-mail (mail bombing), "" for a confirmation by a long signed token (neither),
    None when this is not a reset endpoint."""
    subject = _subject_words(function, handler, cls)
    if not subject & _RESET_WORDS or subject & (_BRUTE_WORDS | {"change", "update", "html", "preview"}):
        return None
    if not _takes_input(function, handler) or handler.methods == ("GET",):
        return ""
    fields = _read_fields(function)
    if any(_GUESSABLE.match(f) for f in fields):
        return "guess"
    if _sends_mail(function) or ("email" in fields and not any("password" in f for f in fields)):
        return "mail"
    return ""


def _read_fields(function: ir.Function) -> set[str]:
    """Field names the handler reads: string keys, attribute names of its parameters, parameter names."""
    params = {p.name for p in function.params}
    found = set(params)
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Const) and isinstance(node.value, str) and node.value.isidentifier():
                    found.add(node.value.lower())
                elif isinstance(node, ir.Attr) and isinstance(node.value, ir.Name) and node.value.id in params:
                    found.add(node.attr.lower())
    return found


def _library_login_check(function: ir.Function, cls: ir.ClassDef | None, scope: ModuleScope) -> bool:
    """A method of a subclass of a library's login view (`class LoggedLoginView(auth_views.LoginView)`) that
    hands the request to the base's own handler (`super().post(request, ...)`): the library's form checks
    the password there. Not one the library limits itself (models/vocabulary/attempt_limits.yaml)."""
    if cls is None or not {_last(b) for b in cls.bases} & _LOGIN_VIEW_BASES:
        return False
    if any(scope.qualify(ir.dotted_name(b) or "", None, set()) in _self_limiting_views() for b in cls.bases):
        return False
    return any(isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == function.name
               and isinstance(node.func.value, ir.Call) and _last(node.func.value.func) == "super"
               for stmt in ir.walk_stmts(function.body) for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr))


def _is_credential_endpoint(function: ir.Function, handler: HandlerInfo, cls: ir.ClassDef | None,
                            helper_checks: bool = False, library_check: bool = False) -> bool:
    subject = _subject_words(function, handler, cls)
    if handler.methods == ("GET",):
        return False
    if subject & _BRUTE_EXCLUDE and not (subject & _SIGNUP_WORDS and _verifies_code(function)):
        # a sign-up that confirms a one-time code it mailed (a magic-code sign-up) is still a guess target
        return False
    if checks_session_secret(function):
        # enrolling an authenticator: the code is checked against the secret the caller's own session
        # holds, just shown to them; a right guess enrols a secret the caller already has
        return False
    if consumes_client_token(function, handler):
        # the code sits behind a one-time token the handler deletes as it reads it: one try per first factor
        return False
    if verifies_request_signature(function, handler):
        # the request is signed with a machine's long random secret, refused on a mismatch: nothing typed to guess
        return False
    # a password checked by a helper the handler hands the client's fields to is this route's own check:
    # the route is the sign-in, whatever that check makes the endpoint model call it
    checks = library_check or _checks_credentials(function) or helper_checks \
        and _reads_secret_field(function, handler) and not _reads_caller(function, handler)
    named = bool(subject & _BRUTE_WORDS) or ("password" in subject and "reset" in subject) or \
        ("token" in subject and ("access" in subject or "obtain" in subject))
    takes_input = _takes_input(function, handler)
    if handler.auth == "required" and (not checks or _checks_callers_own(function, handler)):
        # the caller already holds a session: a settings page named for OTP (`remove_totp`) verifies
        # nothing, and a password or TOTP code re-entered to confirm a change is the caller's own
        # credential; guessing it gains nothing the session does not already give
        return False
    if checks and _checks_what_caller_chose(function, handler):
        # the secret checked is the caller's own choice (the TOTP secret it sends with the code, the password
        # of the account it has just created): a check that cannot be lost, so nothing to guess
        return False
    if checks and _link_secret_only(function, handler):
        # the secret arrives in the URL path (`/check_token/<username>/<token>/`): a link the server
        # sent, carrying a token it generated, not a password or code a person types
        return False
    if not checks and _forwards_to_remote(function, handler):
        # the code is sent on to another service (`validateOtp` at the payment provider), which checks it
        # and owns its attempt limit; this one checks nothing
        return False
    if not checks and _stores_on_caller(function, handler):
        # a signed-in caller setting its own secret (`session.get_user().set_hotp_secret(otp_secret)`)
        # checks no one's credential: there is nothing to guess
        return False
    return (checks and takes_input) or (named and takes_input and (checks or _reads_secret_field(function, handler)))


_SIGNUP_WORDS = frozenset({"signup", "register", "registration"})

# what refuses a caller: the framework's exceptions and helpers for 401/403
_REFUSALS = re.compile(r"(?i)(PermissionDenied|NotAuthenticated|AuthenticationFailed|Forbidden|Unauthori[sz]ed|"
                       r"HTTPException|abort)$")


_CREATING_WORDS = frozenset({"create", "register", "signup"})
_OTP_CLASS = re.compile(r"(?i)^(totp|hotp)$")


def _checks_what_caller_chose(function: ir.Function, handler: HandlerInfo) -> bool:
    """Every credential check verifies something the caller supplied or chose in this request: a verifier
    built from the client's own secret (`TOTP(request.form["otp_secret"]).verify(token)`, the confirmation
    of a new authenticator), or the account the handler has just created (`new_user =
    User.objects.create_user(..., password)` then `authenticate(username=new_user.email, password=...)`,
    the sign-in that follows a registration)."""
    params = access.client_params(function, handler)
    sent: set[str] = set()  # locals holding a value read straight from the request, not a row found by it
    built: set[str] = set()  # verifiers made from such a value
    created: set[str] = set()  # accounts created here

    def read_from_request(expr: ir.Expr) -> bool:
        while isinstance(expr, (ir.Subscript, ir.Attr, ir.Call, ir.Await)) and not access.is_request_data(expr):
            expr = expr.value if isinstance(expr, (ir.Subscript, ir.Attr, ir.Await)) else expr.func
        return access.is_request_data(expr) or isinstance(expr, ir.Name) and (expr.id in sent or expr.id in params)

    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.Assign) or stmt.op is not None or stmt.value is None:
            continue
        value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
        names = {t.id for t in stmt.targets if isinstance(t, ir.Name)}
        said = set(words(_last(value.func))) if isinstance(value, ir.Call) else set()
        if said & _CREATING_WORDS and "get" not in said:
            created |= names
        elif isinstance(value, ir.Call) and _OTP_CLASS.search(_last(value.func)) and value.args \
                and read_from_request(value.args[0]):
            built |= names  # `TOTP(otp_secret)`: a one-time-code verifier keyed by the client's own secret
        elif read_from_request(value):
            sent |= names
    calls = [node for stmt in ir.walk_stmts(function.body) for expr in ir.stmt_exprs(stmt)
             for node in ir.walk_expr(expr) if isinstance(node, ir.Call) and _credential_check(node)]

    def chosen(call: ir.Call) -> bool:
        receiver = call.func.value if isinstance(call.func, ir.Attr) else None
        if isinstance(receiver, ir.Name) and receiver.id in built:
            return True
        return any(access.reads(arg, created) for arg in (*call.args, *(k.value for k in call.kwargs)))

    return bool(calls) and all(chosen(call) for call in calls)


def _link_secret_only(function: ir.Function, handler: HandlerInfo) -> bool:
    """Every credential check of the handler is handed client text only from the URL path (a route
    parameter the router keeps as text; one it parses as an integer may be a short numeric code),
    none from the body, query or headers."""
    url = {name for name, label in handler.source_params if label.startswith("URL parameter")}
    url |= set(re.findall(r"[<{](?:\w+:)?(\w+)[>}]", handler.path))
    url -= handler.typed_params
    if not url:
        return False
    from_url = access.flow_names(function.body, url, lambda e: False)
    other = access.flow_names(function.body, access.client_params(function, handler) - url, access.is_request_data)
    calls = [node for stmt in ir.walk_stmts(function.body) for expr in ir.stmt_exprs(stmt)
             for node in ir.walk_expr(expr) if isinstance(node, ir.Call) and _credential_check(node)]
    handed = [arg for call in calls for arg in call.args + tuple(kw.value for kw in call.kwargs)]
    if not handed or any(access.reads(arg, other, access.is_request_data) for arg in handed):
        return False
    return all(any(access.reads(arg, from_url) for arg in call.args + tuple(kw.value for kw in call.kwargs))
               for call in calls)


def _refuses_anonymous_first(function: ir.Function, module: ir.Module) -> bool:
    """Before any credential check, the handler (or a method of its class it calls first, like
    `self._validate_auth(request)`) refuses (raises PermissionDenied, aborts 401/403) unless the
    caller is authenticated (`if type(request.auth) is not AuthorizedApplication: raise ...`,
    `if not request.user.is_authenticated: raise NotAuthenticated()`). Guessing someone's password
    through it takes a credential stronger than the one guessed."""
    methods = {m.name: m for m in module.functions if function.class_name and m.class_name == function.class_name}
    for at, stmt in enumerate(function.body):
        if isinstance(stmt, ir.If) and _refuses_unless_caller(stmt):
            return True
        helper = _self_helper(stmt, methods)
        if helper is not None and any(isinstance(s, ir.If) and _refuses_unless_caller(s) for s in helper.body) \
                and (isinstance(stmt, ir.ExprStmt) or _tests_result(stmt, function.body[at + 1:])):
            return True
        if any(isinstance(node, ir.Call) and _credential_check(node) for inner in ir.walk_stmts((stmt,))
               for e in ir.stmt_exprs(inner) for node in ir.walk_expr(e)):
            return False
    return False


def _self_helper(stmt: ir.Stmt, methods: Mapping[str, ir.Function]) -> ir.Function | None:
    """The method of the handler's class the statement calls through `self`, as a statement of its own
    (`self._validate_auth(request)`) or bound to names (`ok, content = self.validate_request_user(pk, request)`)."""
    value = stmt.value if isinstance(stmt, (ir.ExprStmt, ir.Assign)) else None
    if isinstance(value, ir.Call) and isinstance(value.func, ir.Attr) and ir.dotted_name(value.func.value) == "self":
        return methods.get(value.func.attr)
    return None


def _tests_result(stmt: ir.Stmt, rest: tuple[ir.Stmt, ...]) -> bool:
    """A helper's answer bound to names (`ok, content = self.validate(...)`) that the next statement tests
    (`if ok: ... else: return content`): the handler acts on the helper's refusal."""
    if not isinstance(stmt, ir.Assign) or not rest or not isinstance(rest[0], ir.If):
        return False
    bound = set(ir.assigned_names((stmt,)))
    return any(isinstance(node, ir.Name) and node.id in bound for node in ir.walk_expr(rest[0].test))


def _refuses_unless_caller(stmt: ir.If) -> bool:
    """`if <caller not authenticated>: raise/abort 401/403`: a negative test on the caller
    (`not ...`, `is not`, `!=`, `is None`) whose branch refuses, by a refusal exception or helper or by
    returning a failure (`if user != request.user: return False, JsonResponse(..., status=403)`: an anonymous
    caller is never the record's user)."""
    if not access.is_principal(stmt.test, frozenset()) or not _negative(stmt.test):
        return False
    for inner in ir.walk_stmts(stmt.body):
        refusal = inner.exc if isinstance(inner, ir.Raise) else \
            inner.value if isinstance(inner, ir.ExprStmt) else None
        if isinstance(refusal, ir.Call) and _REFUSALS.search(_last(refusal.func) or ""):
            return True
        if isinstance(inner, ir.Return) and _refusal_response(inner.value):
            return True
    return False


def _refusal_response(value: ir.Expr | None) -> bool:
    """A returned 401/403: a status the value names, as a number (`status=403`) or a name
    (`HTTP_403_FORBIDDEN`, `HttpResponseForbidden`), alone or in a `(False, response)` pair."""
    return value is not None and any(
        isinstance(n, ir.Const) and type(n.value) is int and n.value in (401, 403)
        or isinstance(n, (ir.Name, ir.Attr)) and bool(_DENIED_NAME.search(ir.last_name(n) or ""))
        for n in ir.walk_expr(value))


_DENIED_NAME = re.compile(r"(?i)(HTTP_40[13]|unauthori[sz]ed|forbidden)")


def _negative(test: ir.Expr) -> bool:
    if isinstance(test, ir.Unary) and test.op == "not":
        return True
    if isinstance(test, ir.Compare):
        return any(op in ("is not", "!=", "not in") for op in test.ops) or \
            any(op == "is" and isinstance(c, ir.Const) and c.value is None for op, c in zip(test.ops, test.comparators))
    if isinstance(test, ir.BoolOp):
        return any(_negative(value) for value in test.values)
    return False


_REMOTE_URL = re.compile(r"^https?://[^/\s{}]+\.[^/\s{}]+")


def _forwards_to_remote(function: ir.Function, handler: HandlerInfo) -> bool:
    """The client's data goes into a call that also takes an absolute URL of another host (a literal
    `https://...`, or a local built from one): the handler relays what it read to that service."""
    client = access.client_names(function, handler)
    remote = access.flow_names(function.body, set(), _remote_url)
    relayed = access.flow_names(function.body, set(client), access.is_request_data)
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if not isinstance(node, ir.Call):
                    continue
                handed = node.args + tuple(kw.value for kw in node.kwargs)
                if any(access.reads(arg, remote, _remote_url) for arg in handed) and \
                        any(access.reads(arg, relayed, access.is_request_data) for arg in handed):
                    return True
    return False


def _remote_url(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Const) and isinstance(expr.value, str) and bool(_REMOTE_URL.match(expr.value))


def _stores_on_caller(function: ir.Function, handler: HandlerInfo) -> bool:
    """The secret the handler reads from the request is handed to the signed-in caller's own record
    (`session.get_user().set_hotp_secret(otp_secret)`, `current_user.totp_secret = secret`): an
    enrolment, whatever the endpoint is called."""
    client = access.client_names(function, handler)
    if not client:
        return False
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and access.reads(stmt.value, client) \
                and any(isinstance(t, ir.Attr) and _caller(t.value) for t in stmt.targets):
            return True
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and _caller(node.func.value) and \
                        any(access.reads(arg, client) for arg in node.args):
                    return True
    return False


def _caller(expr: ir.Expr) -> bool:
    """The signed-in caller: `current_user`, `request.user`..., or the user of the server-side
    session (`session.get_user()`, `session.user`)."""
    if access.is_principal(expr, frozenset()):
        return True
    target = expr.func if isinstance(expr, ir.Call) else expr
    return isinstance(target, ir.Attr) and ir.dotted_name(target.value) == "session" and "user" in words(target.attr)


@lru_cache(maxsize=1)
def _self_limiting_views() -> frozenset[str]:
    """Library login views that limit failed attempts themselves, by default (models/vocabulary/attempt_limits.yaml)."""
    return frozenset(vocabulary_file("attempt_limits.yaml").get("self_limiting_login_views") or ())


def _verifies_code(function: ir.Function) -> bool:
    return any(_GUESSABLE.match(field) for field in _read_fields(function))


def _reads_caller(function: ir.Function, handler: HandlerInfo) -> bool:
    """The handler reads who the signed-in caller is (`current_user`, `request.user`, a caller
    dependency): a password a helper checks there is the caller re-confirming its own."""
    seeds = access.principal_params(function, handler.path) | handler.caller_params
    return bool(seeds) or any(access.is_principal_node(node, frozenset()) for stmt in ir.walk_stmts(function.body)
                              for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr))


def _helper_checks(function: ir.Function, module: ir.Module) -> bool:
    """The handler calls a function of its module (or a method of its class through `self`) whose body
    checks a credential (`verify_member(form["email"], form["password"])` over `check_password_hash`)."""
    functions = {f.qualname: f for f in module.functions}
    return any(_checks_credentials(helper) for helper in access.called_helpers(function, functions))


def _checks_credentials(function: ir.Function) -> bool:
    return any(isinstance(node, ir.Call) and _credential_check(node) for stmt in ir.walk_stmts(function.body)
               for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr))


def _checks_callers_own(function: ir.Function, handler: HandlerInfo) -> bool:
    """Every credential check of the handler verifies a secret of the signed-in caller
    (`check_password_hash(current_user.password_hash, ...)`, `request.user.check_password(...)`,
    `pyotp.TOTP(user.totp_secret).verify(code)` with `user` the caller): its own credential."""
    # a parameter the client fills as a form (`OAuth2PasswordRequestForm`) is what it sends, not who it is
    forms = {p.name for p in function.params for e in (p.default, p.annotation) if e is not None
             for n in ir.walk_expr(e) if _spelled(n).endswith("Form")}
    # the caller as the route's dependencies resolve it (`subscriber: Subscriber = Depends(get_subscriber)`,
    # decided by the dependency's body, whatever its name), or as its name says (`current_user`)
    seeds = (access.principal_params(function, handler.path) | handler.caller_params) - forms
    principals = frozenset(access.flow_names(function.body, seeds, lambda e: access.is_principal_node(e, frozenset())))
    calls = [node for stmt in ir.walk_stmts(function.body) for expr in ir.stmt_exprs(stmt)
             for node in ir.walk_expr(expr) if isinstance(node, ir.Call) and _credential_check(node)]
    return bool(calls) and all(access.is_principal(call, principals) for call in calls)


def _credential_check(node: ir.Call) -> bool:
    name = _last(node.func)
    if _LIBRARY.checks_credential(name) and name != "login_user":
        return True
    return name == "verify" and isinstance(node.func, ir.Attr) and bool(_VERIFY_RECEIVERS.search(_last(node.func.value) or ""))


_SECRET_FIELD_WORDS = frozenset({"password", "passwd", "passphrase", "passcode", "otp", "totp", "code", "pin",
                                 "email", "username"})


def _reads_secret_field(function: ir.Function, handler: HandlerInfo) -> bool:
    """Reads `password`, `otp`, `code`, `email` (for a reset) from the client: a key of the request's
    data or of a form or serializer built from it, an attribute of a body model, a client parameter,
    or a keyword under which the handler hands client data to a helper (`log_user_in(supplied_passphrase=...)`).
    Judged by whole words of those names: `urlencode`, `pinned` or `spinner` hold no credential, a key the
handler writes (`response["qr_code"] = img`) is what it answers, not what it read, and what
    the handler reads from its own session (the pending user's e-mail of a second sign-in step) is
    not something the client guesses."""
    client = access.client_names(function, handler)
    params = {p.name for p in function.params}

    def from_client(expr: ir.Expr) -> bool:
        return access.reads(expr, client, access.is_request_data)

    names = [p for p in client if p in params]
    bound = False  # a form or serializer bound to the request: its validation may check the password
    for stmt in ir.walk_stmts(function.body):
        # a key the handler writes (`response["qr_code"] = img`, `request.session["otp_secret"] = key`) is
        # what it answers or keeps, not a field the client sent
        written = {id(t) for t in stmt.targets} if isinstance(stmt, ir.Assign) else set()
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if id(node) in written:
                    continue
                if isinstance(node, ir.Subscript) and isinstance(node.index, ir.Const) and from_client(node.value):
                    names.append(str(node.index.value))
                elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and from_client(node.func.value) \
                        and node.args and isinstance(node.args[0], ir.Const):
                    names.append(str(node.args[0].value))  # `request.POST.get("password")`
                elif isinstance(node, ir.Attr) and from_client(node.value):
                    names.append(node.attr)  # `body.password`, `form.otp.data`
                elif isinstance(node, ir.Call):
                    names += [kw.name for kw in node.kwargs if kw.name and from_client(kw.value)]
                    handed = (*node.args, *(kw.value for kw in node.kwargs))
                    if any(access.is_request_data(arg) for arg in handed):
                        names.append(_last(node.func))  # a form bound to the request: `Confirm2FAForm(request.POST)`
                        bound = bound or _last(node.func).endswith(("Form", "Serializer"))
    said = {w for name in names if len(name) < 64 for w in words(name)}
    if "form_data" in names or any(_SECOND_FACTOR.search(name) for name in names if len(name) < 64):
        return True
    # who the client names (`email`, `username`) is no secret: it is one only beside a field that is, or
    # handed to a form or serializer whose validation checks the password (`AuthenticationForm(data=request.POST)`)
    return bool(said & (_SECRET_FIELD_WORDS - _IDENTIFIER_WORDS)) or bool(said & _IDENTIFIER_WORDS) and bound


_SECOND_FACTOR = re.compile(r"(?i)2fa|two_?factor|totp|mfa")
_IDENTIFIER_WORDS = frozenset({"email", "username"})


def _takes_input(function: ir.Function, handler: HandlerInfo) -> bool:
    if handler.framework == "fastapi":
        return bool(access.client_params(function, handler)) or any(
            "Form" in _spelled(n) or "OAuth2PasswordRequestForm" in _spelled(n)
            for p in function.params for e in (p.default, p.annotation) if e is not None for n in ir.walk_expr(e))
    return any(access.is_request_data(n) for s in ir.walk_stmts(function.body)
               for e in ir.stmt_exprs(s) for n in ir.walk_expr(e))


def _is_expensive_public(function: ir.Function, handler: HandlerInfo, cls: ir.ClassDef | None) -> bool:
    if not _is_public(function, handler):
        return False
    if _sends_mail(function):
        return True
    # a page that only renders the sign-up or search form takes no input and does no work:
    # what costs something is the handler that reads what the client sent
    return bool(_subject_words(function, handler, cls) & _EXPENSIVE_WORDS) and _takes_input(function, handler)


def _is_public(function: ir.Function, handler: HandlerInfo) -> bool:
    """No sign of a caller identity: no principal in the body and no auth on the route
    (decorators, dependencies, permission dependencies, router hooks)."""
    if access.principal_names(function, handler) or _mentions_user(function):
        return False
    return handler.auth != "required"


def _mentions_user(function: ir.Function) -> bool:
    return any(access.is_principal(e, frozenset()) for s in ir.walk_stmts(function.body) for e in ir.stmt_exprs(s))


def _sends_mail(function: ir.Function) -> bool:
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and _LIBRARY.sends_mail(_last(node.func)):
                    return True
    return False


# ---------------------------------------------------------------- findings

_LOOKED_FOR = ("Looked for @limiter.limit (flask-limiter, slowapi), @ratelimit (django-ratelimit), DRF "
               "throttle_classes and DEFAULT_THROTTLE_CLASSES, fastapi-limiter RateLimiter, django-axes, "
               "Limiter(default_limits=...) and attempt counters, here and in the other reviewed files; "
               "a limit at the gateway, WAF or nginx is not visible from the code.")


def _brute_finding(module: ir.Module, function: ir.Function, handler: HandlerInfo) -> Finding:
    route = f" ({handler.path})" if handler.path else ""
    return make_finding(
        "auth-brute-force", Location(module.path, function.line, function.line),
        f"Probable brute-force target: `{function.qualname}`{route} checks credentials with no attempt limit",
        "Nothing limits how often a client may call this endpoint, so an attacker can replay leaked "
        "password lists (credential stuffing), spray common passwords over every account, or try all "
        f"10^6 six-digit codes. {_LOOKED_FOR}",
        confidence=Confidence.MEDIUM, fix=_fix(_handler(module, function, handler), True),
        rule=RULE.id, key=f"brute:{function.qualname}",
    )


def _brute_finding_for_class(module: ir.Module, cls: ir.ClassDef, base: str) -> Finding:
    return make_finding(
        "auth-brute-force", Location(module.path, cls.line, cls.line),
        f"Probable brute-force target: `{cls.name}` ({base}) has no throttle",
        f"`{cls.name}` issues tokens for a username and password and sets no `throttle_classes`. {_LOOKED_FOR}",
        confidence=Confidence.MEDIUM, fix=_fix(Handler("django", cls.name, class_name=cls.name, class_bases=(base,)), True),
        rule=RULE.id, key=f"brute:{cls.qualname}",
    )


def _rate_finding(module: ir.Module, function: ir.Function, handler: HandlerInfo) -> Finding:
    subject = _subject_words(function, handler, access.enclosing_class(module, function))
    what = ("creates accounts" if subject & {"signup", "register", "registration"} else
            "sends e-mail/SMS" if _sends_mail(function) or subject & _RESET_WORDS else
            "runs searches" if "search" in subject else "exports data" if "export" in subject else
            "does work on behalf of anonymous callers")
    return make_finding(
        "missing-rate-limit", Location(module.path, function.line, function.line),
        f"Public endpoint `{function.qualname}` {what} with no rate limit",
        f"Anyone can call `{function.name}` as fast as they like: one client can exhaust the database, the "
        f"mail or SMS quota, or fill the user table with bots. {_LOOKED_FOR}",
        confidence=Confidence.MEDIUM, fix=_fix(_handler(module, function, handler), False),
        rule=RULE.id, key=f"rate:{function.qualname}",
    )


def _handler(module: ir.Module, function: ir.Function, handler: HandlerInfo) -> Handler:
    cls = access.enclosing_class(module, function)
    return Handler(handler.framework, function.name, tuple(p.name for p in function.params), handler.methods,
                   handler.path, class_name=function.class_name or "",
                   class_bases=tuple(ir.dotted_name(b) or "" for b in cls.bases) if cls else (),
                   is_async=function.is_async, def_line=def_header(module.lines, function.line),
                   decorators=own_decorators(module.lines, function.line))


def _fix(handler: Handler, auth: bool) -> Fix:
    """The handler itself with a limiter in its framework's idiom (flask-limiter, slowapi,
    django-ratelimit, DRF throttles); the description alone for frameworks without one."""
    code = rate_limit(handler, "5/minute" if auth else "30/minute")
    return Fix("Limit attempts per client and per account" if auth else "Rate-limit the endpoint per client",
               code, "python" if code else "")


_last = ir.last_name


RULE = Rule("py-rate-limit", frozenset({"auth-brute-force", "missing-rate-limit"}), "python", no_findings,
            collect=collect, combine=combine)

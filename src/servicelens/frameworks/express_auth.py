"""Whether an Express middleware (or handler) authenticates, judged by what its body does.

A function *guards* when its body, nested callbacks included, both
  - reads a credential: `req.user`, `req.headers.authorization`, `req.get('x-api-key')`,
    `req.session...`, or calls a verifier (`jwt.verify`, `verifyIdToken`), or hands the request
    (or its headers) to a function whose failure it answers with 401/403 (handed_verifiers.py);
  - and refuses otherwise: `res.status(401|403)`, `res.sendStatus(403)`, a 401/403 handed to
    an error constructor (`createError(401)`, Koa's `ctx.throw(401)`), `ctx.status = 401`,
    `next(err)`, `throw`, `res.redirect(...)` where another path calls `next()`, or a verifier call whose failure is not swallowed (a verifier throws
    or rejects on a bad credential: `await request.jwtVerify()` in a Fastify hook).
It is *inert* when it refuses nothing and hands `req`/`res`/`next` to no other function (a
logger, a header setter, a hook that only logs or decodes a token): it visibly checks nobody. Anything else is
undecided. Names never decide: `auth` that only calls `next()` is inert.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from servicelens import ir
from servicelens.endpoints.principals import GUARD, INERT
from servicelens.frameworks.express_knowledge import MiddlewareKnowledge
from servicelens.frameworks.handed_verifiers import handed_verifier
from servicelens.frameworks.own_helpers import (
    helper_names,
    value_params,
    with_own_helpers,
)
from servicelens.frameworks.request_reads import judges_request_only
from servicelens.frameworks.switched_refusals import refuses_only_when_switched

_REFUSAL_CODES = frozenset({401, 403})
_TOO_MANY = 429
_STATUS_METHODS = frozenset({"status", "sendStatus", "writeHead"})
_ROUTE_SKIPS = frozenset({"route", "router"})


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: str  # guard | inert | "" (undecided)
    evidence: str  # what it checks and how it refuses, for a guard
    may_refuse: bool
    # it reads a URL parameter and the caller, and refuses: it checks the record the URL names
    # against who asks (`trackBelongsToLoggedInUser`), not only that someone signed in
    url_object_check: bool = False


def family_of(function: ir.Function, functions: tuple[ir.Function, ...], destructured: bool = False) -> list[ir.Function]:
    """The function, every function nested in it (callbacks, returned middleware) and the module's
    own functions it hands a parameter to (frameworks/own_helpers.py)."""
    prefix = function.qualname + ".<locals>."
    return with_own_helpers([function] + [f for f in functions if f.qualname.startswith(prefix)], functions,
                            destructured)


def judge(family: list[ir.Function], knowledge: MiddlewareKnowledge,
          request_names: frozenset[str] = frozenset(), credentials: Mapping[str, str] = MappingProxyType({})) -> Judgement:
    """`request_names`: locals that hold the request besides the parameters (a NestJS guard's
    `context.switchToHttp().getRequest()`); `credentials`: names that hold a credential the
    framework read for the function (a NestJS `@Headers('x-api-key') key` parameter) -> what it is."""
    params = ({p.name for f in family for p in f.params} - value_params(family)) | request_names
    nexts = {f.params[-1].name for f in family if len(f.params) >= 3} | ({"next"} & params)
    credential = ""
    refusal = ""
    delegates = False
    own = helper_names(family)
    for expr in _expressions(family):
        if not credential and not _own_call(expr, own):
            credential = credential_read_of(expr, params, knowledge) or (
                credentials.get(expr.id, "") if isinstance(expr, ir.Name) else "")
        if not refusal:
            refusal = _refusal(expr, nexts)
        if not delegates:
            delegates = _hands_on(expr, params, nexts | own)
    refusal = refusal or ("throws" if any(isinstance(s, ir.Raise) for f in family for s in ir.walk_stmts(f.body))
                          else "") or _status_set(family) or _verifier_failure_escapes(family, knowledge) \
        or _redirects_instead(family, params, nexts)
    if not (credential and refusal) and (handed := handed_verifier(family, params)):
        # no credential read or no refusal seen, but the request handed to a verifier whose failure
        # answers 401/403 (frameworks/handed_verifiers.py)
        credential, refusal = handed, refusal or "refuses with 401/403 when it fails"
    if refusal and _refuses_only_when_switched(family, params, nexts, knowledge):
        # `if (readOnly && !user) return reply.code(403)`: the deployment's setting decides whether
        # it refuses anyone; with it off, every caller goes on (frameworks/switched_refusals.py)
        return Judgement(INERT, "", True)
    if credential and refusal and _limits_rate(family) and not _verifier_failure_escapes(family, knowledge):
        # a rate limiter keyed by who asks (`userId || req.ip`): it turns away the too frequent, not the unknown
        # (a token verifier whose failure ends the request turns the unknown away too: a guard that also limits)
        return Judgement(INERT, "", True)
    if credential and refusal and _refuses_only_signed_in(family, params, nexts, knowledge):
        # `if (req.user && req.user.tenant !== tenant) return res.status(403)`, then `next()`: it
        # checks a signed-in caller's session, and a request without one goes on
        return Judgement(INERT, "", True)
    if credential and refusal:
        return Judgement(GUARD, f"`{family[0].name}` {credential} and {refusal}", True,
                         _reads_url_parameter(family, params) and _reads_caller(family, params, knowledge)
                         or _authorizes_url_parameter(family, params, knowledge))
    if not refusal and not delegates:
        # nothing here can turn a caller away (reading a token only to log or decode it included)
        return Judgement(INERT, "", False)
    if not credential and not delegates and judges_request_only(family, knowledge):
        # `validate(schema)`, a bot filter: it refuses a malformed request, whoever sends it
        return Judgement(INERT, "", True)
    return Judgement("", "", bool(refusal))


def _reads_url_parameter(family: list[ir.Function], params: set[str]) -> bool:
    """`req.params.trackId`, `const { postId } = req.params`: the record the URL names."""
    return any(isinstance(expr, ir.Attr) and expr.attr == "params" and isinstance(expr.value, ir.Name)
               and expr.value.id in params for expr in _expressions(family))


def _authorizes_url_parameter(family: list[ir.Function], params: set[str], knowledge: MiddlewareKnowledge) -> bool:
    """A URL parameter and the caller's credential handed to one call (`authorize(token,
    req.params.projectId)` with `token` read from the Authorization header): what the URL names is
    checked against who asks, whatever the credential is (an API token as much as a user)."""
    url: set[str] = set()
    credential: set[str] = set()
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and stmt.value is not None:
                names = {t.id for t in stmt.targets if isinstance(t, ir.Name)}
                if _names_url_parameter(stmt.value, params):
                    url |= names
                elif any(credential_read_of(n, params, knowledge) for n in ir.walk_expr(stmt.value)):
                    credential |= names
    if not url or not credential:
        return False
    for expr in _expressions(family):
        if isinstance(expr, ir.Call):
            handed = {n.id for arg in expr.args for n in ir.walk_expr(arg) if isinstance(n, ir.Name)}
            if handed & url and handed & credential:
                return True
    return False


def _names_url_parameter(expr: ir.Expr, params: set[str]) -> bool:
    """`req.params.projectId`, `request.params?.id`: a value the URL's path names."""
    return isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Attr) and expr.value.attr == "params" \
        and isinstance(expr.value.value, ir.Name) and expr.value.value.id in params


def _reads_caller(family: list[ir.Function], params: set[str], knowledge: MiddlewareKnowledge) -> bool:
    """`req.user`, `req.auth`, `res.locals.user`: who is asking, as opposed to a token or key
    the request carries (an API-key check admits a client, it compares no record's owner)."""
    for expr in _expressions(family):
        if isinstance(expr, ir.Attr) and expr.attr.lower() in knowledge.caller_attributes:
            dotted = ir.dotted_name(expr)
            if dotted and dotted.split(".", 1)[0] in params:
                return True
    return False


def credential_read(family: list[ir.Function], knowledge: MiddlewareKnowledge,
                    request_names: frozenset[str] = frozenset()) -> str:
    """What credential the family reads (`reads req.user`, `calls self.auth.verifyToken()`), or "":
    the first half of `judge`'s test, for callers that see refusals `judge` does not (a NestJS
    guard's `return false`)."""
    params = {p.name for f in family for p in f.params} | request_names
    return next((found for expr in _expressions(family) if (found := credential_read_of(expr, params, knowledge))), "")


def _expressions(family: list[ir.Function]) -> Iterator[ir.Expr]:
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            for root in ir.stmt_exprs(stmt):
                yield from ir.walk_expr(root)


def credential_read_of(expr: ir.Expr, params: set[str], knowledge: MiddlewareKnowledge) -> str:
    """What credential one expression reads (`reads req.isAuthenticated`), or ""."""
    if isinstance(expr, ir.Attr) and expr.attr.lower() in knowledge.credential_attributes:
        dotted = ir.dotted_name(expr)
        if dotted and dotted.split(".", 1)[0] in params:
            return f"reads {dotted}"
    if isinstance(expr, ir.Subscript) and isinstance(expr.index, ir.Const) \
            and str(expr.index.value).lower() in knowledge.credential_headers:
        return f"reads the {expr.index.value} header"
    if isinstance(expr, ir.Call):
        name = ir.last_name(expr.func)
        if name in ("get", "header") and expr.args and isinstance(expr.args[0], ir.Const) \
                and str(expr.args[0].value).lower() in knowledge.credential_headers:
            return f"reads the {expr.args[0].value} header"
        if name in knowledge.verifier_calls:
            return f"calls {ir.dotted_name(expr.func) or name}()"
    return ""


def _verifier_failure_escapes(family: list[ir.Function], knowledge: MiddlewareKnowledge) -> str:
    """A verifier throws (or its promise rejects) on a bad credential: `await request.jwtVerify()`
    in a Fastify hook, `jwt.verify(token, key)` in Express middleware. Called outside a try, or in
    one whose catch hands the error on (`reply.send(err)`, `next(err)`, `throw`), the failure ends
    the request; a catch that swallows it lets everyone through."""
    own = helper_names(family)
    for function in family:
        for call in _verifier_calls(function.body, knowledge):
            if _own_call(call, own):
                continue  # a function of the family named `verify`: its body is judged, not its name
            return f"lets {ir.dotted_name(call.func) or ir.last_name(call.func)}() fail the request"
    return ""


def _own_call(expr: ir.Expr, own: frozenset[str]) -> bool:
    """A call of one of the family's own functions by name (what it does is read from its body)."""
    return isinstance(expr, ir.Call) and isinstance(expr.func, ir.Name) and expr.func.id in own


def _verifier_calls(body: tuple[ir.Stmt, ...], knowledge: MiddlewareKnowledge) -> Iterator[ir.Call]:
    """Verifier calls in `body` whose failure escapes it, nested blocks included."""
    for stmt in body:
        if isinstance(stmt, ir.Try):
            if any(_hands_on_error(h) for h in stmt.handlers):
                yield from _verifier_calls(stmt.body, knowledge)
            for block in (*(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody):
                yield from _verifier_calls(block, knowledge)
            continue
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and ir.last_name(node.func) in knowledge.verifier_calls:
                    yield node
        for block in ir.child_blocks(stmt):
            yield from _verifier_calls(block, knowledge)


def _hands_on_error(handler: ir.Handler) -> bool:
    """`catch (err) { reply.send(err) }`, `next(err)`, `throw ...`: the failure still ends the request.
    A log line given the error (`console.error("invalid token", e)`) ends nothing: the request carries on."""
    for stmt in ir.walk_stmts(handler.body):
        if isinstance(stmt, ir.Raise):
            return True
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and handler.name and not log_call(node) and any(
                        isinstance(a, ir.Name) and a.id == handler.name for a in node.args):
                    return True
    return False


_LOG_METHODS = frozenset({"log", "info", "warn", "warning", "error", "debug", "trace", "verbose", "fatal"})


def log_call(call: ir.Call) -> bool:
    """`console.log(...)`, `this.logger.info(...)`, `log.debug(...)`: a call that only writes a log line."""
    parts = (ir.dotted_name(call.func) or "").split(".")
    return len(parts) >= 2 and parts[-1] in _LOG_METHODS and any(
        part == "console" or "log" in part.lower() for part in parts[:-1])


def _refusal(expr: ir.Expr, nexts: set[str]) -> str:
    if not isinstance(expr, ir.Call):
        return ""
    codes = [a.value for a in expr.args if isinstance(a, ir.Const) and a.value in _REFUSAL_CODES]
    if codes and ir.last_name(expr.func) in _STATUS_METHODS:
        return f"answers {codes[0]}"
    if codes:
        return f"refuses with {codes[0]}"
    if isinstance(expr.func, ir.Name) and expr.func.id in nexts and expr.args and not (
            isinstance(expr.args[0], ir.Const) and expr.args[0].value in _ROUTE_SKIPS):
        return "passes an error to next()"
    return ""


def _refuses_only_signed_in(family: list[ir.Function], params: set[str], nexts: set[str],
                            knowledge: MiddlewareKnowledge) -> bool:
    """Every refusal sits in a branch taken only when the request carries the credential (`req.user
    && ...` is part of the branch's condition): a request without one is never turned away."""
    redirects = bool(_redirects_instead(family, params, nexts))
    refusals = [present for function in family for stmt, present in credential_branches(function.body, False, params, knowledge)
                if isinstance(stmt, ir.Raise) or any(_refusal(node, nexts) or redirects and _redirect(node, params)
                                                     for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root))]
    return bool(refusals) and all(refusals)


def _refuses_only_when_switched(family: list[ir.Function], params: set[str], nexts: set[str],
                                knowledge: MiddlewareKnowledge) -> bool:
    """Every refusal sits in a branch a configuration switch gates, and none escapes from a verifier."""
    if _verifier_failure_escapes(family, knowledge):
        return False
    redirects = bool(_redirects_instead(family, params, nexts))

    def refuses(stmt: ir.Stmt) -> bool:
        if isinstance(stmt, ir.Raise):
            return True
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Const) and stmt.value.value in _REFUSAL_CODES \
                and any(isinstance(t, ir.Attr) and t.attr == "status" for t in stmt.targets):
            return True
        return any(_refusal(node, nexts) or redirects and _redirect(node, params)
                   for root in ir.stmt_exprs(stmt) for node in ir.walk_expr(root))
    return refuses_only_when_switched(family, refuses, knowledge.credential_attributes)


def credential_branches(body: tuple[ir.Stmt, ...], present: bool, params: set[str],
                        knowledge: MiddlewareKnowledge) -> Iterator[tuple[ir.Stmt, bool]]:
    """Each simple statement with whether its branch requires a credential read to be truthy."""
    for stmt in body:
        if isinstance(stmt, ir.If):
            requires = present or any(isinstance(c, ir.Attr) and credential_read_of(c, params, knowledge)
                                      for c in ir.bool_terms(stmt.test, "and"))
            yield from credential_branches(stmt.body, requires, params, knowledge)
            yield from credential_branches(stmt.orelse, present, params, knowledge)
            continue
        blocks = tuple(ir.child_blocks(stmt))
        if not blocks:
            yield stmt, present
        for block in blocks:
            yield from credential_branches(block, present, params, knowledge)


def _redirects_instead(family: list[ir.Function], params: set[str], nexts: set[str]) -> str:
    """A middleware that calls `next()` on one path and `res.redirect(...)` on another (to a sign-in
    page, as connect-ensure-login does): the redirected request never reaches the route. A handler
    that redirects without ever handing on is not a gate, so `next()` must be called too."""
    hands_on = redirects = False
    for expr in _expressions(family):
        if not isinstance(expr, ir.Call):
            continue
        if isinstance(expr.func, ir.Name) and expr.func.id in nexts and not expr.args:
            hands_on = True
        redirects = redirects or _redirect(expr, params)
    return "redirects instead of calling next()" if hands_on and redirects else ""


def _redirect(expr: ir.Expr, params: set[str]) -> bool:
    """`res.redirect(...)` on a parameter (the response)."""
    return isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "redirect" \
        and isinstance(expr.func.value, ir.Name) and expr.func.value.id in params


def _limits_rate(family: list[ir.Function]) -> bool:
    """The function answers 429 (Too Many Requests) and never 401/403: whatever it reads of the
    caller keys a limit, and its refusals say "slow down", not "who are you"."""
    codes = {node.value for node in _expressions(family) if isinstance(node, ir.Const) and isinstance(node.value, int)}
    return _TOO_MANY in codes and not codes & _REFUSAL_CODES


def _status_set(family: list[ir.Function]) -> str:
    """`ctx.status = 401` (Koa): the response answers 401/403 unless something overrides it."""
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Const) and stmt.value.value in _REFUSAL_CODES \
                    and any(isinstance(t, ir.Attr) and t.attr == "status" for t in stmt.targets):
                return f"sets status {stmt.value.value}"
    return ""


def _hands_on(expr: ir.Expr, params: set[str], nexts: set[str]) -> bool:
    """A call that gives the request, response or `next` to another function, which may refuse."""
    if not isinstance(expr, ir.Call) or (isinstance(expr.func, ir.Name) and expr.func.id in nexts):
        return False
    return any(isinstance(a, ir.Name) and a.id in params for a in expr.args)

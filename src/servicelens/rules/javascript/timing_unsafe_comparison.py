"""Timing-unsafe comparison: a secret (token, signature, API key, HMAC) compared with `===`.

## What it finds
`a === b`, `a == b`, `a !== b` where one side is a value the client chooses and the other a
secret the server holds. Where each side comes from is followed, not guessed from its name
(rules/javascript/_compared_values.py): the client's side is read from the request (`req.get(...)`,
`request.headers.x`, `ctx.get(...)`, a NestJS `@Body()`/`@Headers()` parameter, a local or helper
result built from one) or is a parameter of the comparing function; the server's side is a setting
(`process.env.X`, `this.config.get('app.secret')`, `Config.get().security.key`), an HMAC under a
server key, text compiled into the service, or a value stored per record (`user.apiToken` of a row
the server loaded). The secret itself is still recognised by a name (a token, signature, digest,
API key, a one-time code such as `otpCode`, or the setting's key: `deploy.sharedSecret`) or by being
an HMAC.

Not reported, because no guess is timed against a secret:
- both sides held by the server (`account.secret !== latest.secret`, change detection), or both
  sent by the client (a value and its re-entry);
- the server's side is a constant (a literal, an enum member, an imported `NULL_ADDRESS`, a
  marker such as `"*DELETED*"`) or a plain hash of the client's own data
  (`createHash('sha256').update(req.rawBody).digest()` against the `Digest` header);
- the stored value was looked up by the compared value (`db.get(`invite:${req.query.token}`)` then
  `token !== req.query.token`), or the comparison is the predicate of a search over a collection
  (`channels.find(c => c.token === given)`): the row was found by the value;
- the client's value was verified before (`totp.verify({ token, secret })`, `bcrypt.compare`), or
  is a field of a verified JWT's payload: the `===` is a consistency check;
- the comparing function limits attempts (calls a limiter or lockout, `recoverLimiter.consume(ip)`, or
  refuses "too many attempts", rules/javascript/_attempt_limits.py): the few guesses a client gets are not
  the thousands of timed samples per character a timing attack needs.

Confidence: high when the secret is one the service is configured with (a setting, an HMAC under its
key, a compiled-in value); medium when it is stored per record (a generated invitation, reset or
RSS token: usually random, short-lived and the caller's own) or when both sides are parameters of
the comparing function (which one the client supplies is its callers' to say).

A helper's parameter compared with `===` is reported when a caller hands it a secret
(`sameKey(req.get('x-api-key'), account.apiKey)` into `function sameKey(given, stored) { return
given === stored }`): what a function compares is what its callers give it.

## Why it matters
`===` stops at the first differing character, so the response time tells an attacker how much
of their guess is right; a signature or API key is recovered one byte at a time.

## Example
```js
if (req.get('x-signature') === process.env.WEBHOOK_SIGNATURE) { ... }
```
Use instead:
```js
const given = Buffer.from(req.get('x-signature') ?? '');
const wanted = Buffer.from(process.env.WEBHOOK_SIGNATURE ?? '');
if (given.length === wanted.length && crypto.timingSafeEqual(given, wanted)) { ... }
```

## Fix
Compare secrets with `crypto.timingSafeEqual` on equal-length buffers (or compare HMACs of both
values).

## Known problems
The client's side is a request read or a parameter of the comparing function: a value a caller
fills from elsewhere (a Parse trigger's `req.original`, an object the caller loaded) counts as the
client's when it is read off a parameter named `req`/`request`. What a secret is still comes from a
name (or an HMAC): a secret setting read under a key such as `app.pushSecret` whose words mark it as a
push or page token is missed. A function of the comparing module is read: one whose body keys an HMAC
(`createHmac`) returns a MAC whatever it is called. A project function in another module that
computes an HMAC over the request is a MAC only when its name says it signs (`sign`, `hmac`,
`signature`); one there named as a hash (`calculateDigest`) is taken for a plain hash of the
client's data.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule, all_bodies, contribution
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript import _compared_values as values
from servicelens.rules.javascript._attempt_limits import limits_attempts
from servicelens.rules.javascript._node import knowledge, location
from servicelens.rules.python._common import is_dev_path, words
from servicelens.taint.scope import ModuleScope

_SECRET_LAST = frozenset({"token", "signature", "sig", "digest", "hmac", "apikey", "secret", "otp", "mac"})
# a `code` or `pin` named for one of these is a one-time secret
_ONE_TIME_CODE = frozenset({"otp", "totp", "mfa", "verification", "verify", "sms", "login", "auth", "confirmation"})
_NOT_SECRET = frozenset({"type", "length", "kind", "name", "id", "count", "expires", "expiry", "status", "format",
                         "header", "prefix", "version", "url", "mode", "hint", "required", "enabled"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    seen: set[int] = set()
    for compare, name, confidence in _comparisons(module):
        if compare.line in seen:
            continue
        seen.add(compare.line)
        yield make_finding(
            "timing-unsafe-comparison", location(module, compare), f"`{name}` compared with `===`",
            "`===` returns at the first differing character, so response times reveal how much of a guess is "
            "right and the secret can be recovered byte by byte.",
            severity=Severity.MEDIUM, confidence=confidence,
            fix=Fix("Compare secrets with crypto.timingSafeEqual on equal-length buffers.", _fix(compare), "javascript"),
            rule=RULE.id, key=f"{name}|{module.line_text(compare.line)}",
        )


def _comparisons(module: ir.Module) -> Iterator[tuple[ir.Compare, str, Confidence]]:
    signers = _signers(module)
    sentinels = _sentinels(module)
    origins = values.Origins(module)
    searches = _search_callbacks(module)
    for function, body in all_bodies(module):
        if function is not None and limits_attempts(function):
            # the function counts failures or calls a limiter (`recoverLimiter.consume(ip)`, `count > 5`
            # refused): a few guesses per client are not the thousands a timing attack needs per byte
            continue
        # `rows.find(r => r.token === given)`: the record is found by the value, as a lookup keyed by
        # it would be; a search of the secrets themselves (`keys.some(k => k === given)`) still checks one
        element = function.params[0].name if function is not None and function.qualname in searches \
            and function.params else None
        macs = _mac_names(body, signers)
        kept = _kept_copies(body)
        signed = _signed_payloads(body)
        verified = _verified_names(body)
        for stmt in ir.walk_stmts(body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Compare) and len(node.ops) == 1 and node.ops[0] in ("==", "!="):
                        sides = (node.left, node.comparators[0])
                        if any(_trivial(side) or _enum_member(side) or _from_payload(side, signed)
                               or (isinstance(side, ir.Name) and side.id in sentinels) for side in sides) \
                                or _change_check(*sides, kept) \
                                or any(verified.get(ir.dotted_name(side) or "", node.line + 1) < node.line
                                       for side in sides) \
                                or (element is not None and _field_match(sides, element)):
                            continue
                        judged = _judge(node, function, origins)
                        if judged is None:
                            continue
                        held, mac, sides_of = judged
                        name = next((n for n in map(_secret_name, sides) if n), None) or \
                            next((_mac_text(side) for side in sides if _is_mac(side, signers, macs)), None) or \
                            (_secret_text(held.text) and held.text) or (mac and "hmac")
                        if name:
                            yield node, name, _confidence(held, sides_of)


def judged_sides(node: ir.Compare, function: ir.Function | None, origins: values.Origins) \
        -> tuple[values.Operand, values.Operand]:
    return origins.of(node.left, function), origins.of(node.comparators[0], function)


def _judge(node: ir.Compare, function: ir.Function | None, origins: values.Origins) \
        -> tuple[values.Operand, bool, tuple[values.Operand, values.Operand]] | None:
    """The held side of a comparison of a value the client chooses with one the server keeps (and
    whether the held side is a MAC), or None when the comparison probes no secret: neither side, or
    both, come from the client; the held side is a constant or a plain hash of the client's own
    data; or the held value was looked up by the client's value."""
    left, right = judged_sides(node, function, origins)
    if left.origin in values.CLIENT and right.origin in values.CLIENT:
        if left.origin == right.origin == values.REQUEST:
            return None  # both the client's: a value and its re-entry
        held, held_expr = (right, node.comparators[0]) if left.origin == values.REQUEST else (left, node.left)
    elif left.origin in values.CLIENT:
        held, held_expr = right, node.comparators[0]
    elif right.origin in values.CLIENT:
        held, held_expr = left, node.left
    else:
        return None  # both held by the server: change detection or a state check, no guess is timed
    if held.origin in (values.CONSTANT, values.DERIVED):
        return None
    presented_expr = node.left if held_expr is node.comparators[0] else node.comparators[0]
    if values.looked_up_by(held, presented_expr):
        return None
    return held, held.origin == values.MAC, (left, right)


def _confidence(held: values.Operand, sides: tuple[values.Operand, values.Operand]) -> Confidence:
    """High for a secret the service is configured with (a setting, a MAC under its key, a value
    compiled into it) checked against the client's value; medium for a value stored per record (a
    generated reset or invitation token, usually random, short-lived and the caller's own) and for
    a comparison of two parameters, where which one the client supplies is the callers' to say."""
    if held.origin == values.STORED or all(s.origin == values.PARAMETER for s in sides):
        return Confidence.MEDIUM
    return Confidence.HIGH


_SEARCHES = frozenset({"find", "filter", "some", "every", "findIndex", "findLast", "findLastIndex"})


def _search_callbacks(module: ir.Module) -> frozenset[str]:
    """Qualnames of the arrow functions handed to a search over a collection (`rows.find(...)`)."""
    found: set[str] = set()
    for function, body in all_bodies(module):
        prefix = f"{function.qualname}.<locals>." if function is not None else ""
        for stmt in ir.walk_stmts(body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _SEARCHES:
                        found.update(prefix + a.id for a in node.args if isinstance(a, ir.Name) and a.id.startswith("<"))
    return frozenset(found)


def _field_match(sides: tuple[ir.Expr, ir.Expr], element: str) -> bool:
    """One side computed from the searched element but not the element itself (`r.token`,
    `decrypt(r.key)`), the other not reading it."""
    reads = [any(isinstance(n, ir.Name) and n.id == element for n in ir.walk_expr(side)) for side in sides]
    whole = any(isinstance(side, ir.Name) and side.id == element for side in sides)
    return reads.count(True) == 1 and not whole


_VERIFIES = frozenset({"verify", "verifySync", "verifyAsync", "compare", "compareSync", "validate"})


def _verified_names(body: tuple[ir.Stmt, ...]) -> dict[str, int]:
    """Names handed to a verification (`totp.verify(token, secret)`, `bcrypt.compare(pass, hash)`),
    with the first line it happens at: an `===` on the value after it is a consistency check."""
    found: dict[str, int] = {}
    for stmt in ir.walk_stmts(body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and ir.last_name(node.func) in _VERIFIES:
                    for arg in node.args:  # `verify(token, secret)`, `verify({ token, secret })`
                        for part in ir.walk_expr(arg):
                            dotted = ir.dotted_name(part) if isinstance(part, ir.Name | ir.Attr) else None
                            if dotted:
                                found[dotted] = min(found.get(dotted, node.line), node.line)
    return found


def _fix(compare: ir.Compare) -> str:
    """The same two operands, compared in constant time."""
    left, right = _text(compare.left, "received"), _text(compare.comparators[0], "expected")
    negate = "!" if compare.ops[0] == "!=" else ""
    return (f"const given = Buffer.from(String({left}));\nconst wanted = Buffer.from(String({right}));\n"
            f"if ({negate}(given.length === wanted.length && crypto.timingSafeEqual(given, wanted))) {{ /* ... */ }}")


def _text(expr: ir.Expr, default: str) -> str:
    dotted = ir.dotted_name(expr)
    if dotted:
        return dotted
    if isinstance(expr, ir.Subscript) and isinstance(expr.index, ir.Const):
        base = ir.dotted_name(expr.value)
        return f"{base}[{expr.index.value!r}]" if base else default
    return default


def _trivial(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Const) or (isinstance(expr, ir.Name) and expr.id in ("undefined", "null")) or \
        isinstance(expr, ir.Unary) or (isinstance(expr, ir.Opaque) and expr.kind in ("typeof", "unary"))


def _hmac_chain(expr: ir.Expr) -> bool:
    """`crypto.createHmac(alg, key).update(body).digest('hex')`: a message authentication code."""
    node = expr.value if isinstance(expr, ir.Await) else expr
    if not (isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "digest"):
        return False
    return any(isinstance(n, ir.Call) and ir.last_name(n.func) == "createHmac" for n in ir.walk_expr(node))


def _signers(module: ir.Module) -> frozenset[str]:
    """The module's functions that return an HMAC (`function expectedSignature(body) { return
    crypto.createHmac(...).update(body).digest('hex') }`)."""
    return frozenset(f.qualname for f in module.functions if any(
        isinstance(stmt, ir.Return) and stmt.value is not None and _hmac_chain(stmt.value)
        for stmt in ir.walk_stmts(f.body)))


def _mac_names(body: tuple[ir.Stmt, ...], signers: frozenset[str]) -> frozenset[str]:
    """Variables that hold an HMAC computed here: `const expected = sign(body)`."""
    return frozenset(t.id for stmt in ir.walk_stmts(body) if isinstance(stmt, ir.Assign) and stmt.value is not None
                     and _is_mac(stmt.value, signers, frozenset()) for t in stmt.targets if isinstance(t, ir.Name))


def _is_mac(expr: ir.Expr, signers: frozenset[str], macs: frozenset[str]) -> bool:
    node = expr.value if isinstance(expr, ir.Await) else expr
    if isinstance(node, ir.Name):
        return node.id in macs
    if _hmac_chain(node):
        return True
    return isinstance(node, ir.Call) and isinstance(node.func, ir.Name) and node.func.id in signers


def _mac_text(expr: ir.Expr) -> str:
    node = expr.value if isinstance(expr, ir.Await) else expr
    if isinstance(node, ir.Call):
        return f"{ir.dotted_name(node.func) or 'hmac'}(...)"
    return ir.dotted_name(node) or "hmac"


def _sentinels(module: ir.Module) -> frozenset[str]:
    """Module constants bound to text written in the code that reads as a marker, not a credential
    (`const DELETED_TOKEN = "*DELETED*"`, `"__revoked__"`: words of one case between punctuation,
    no digits): a state the code stores and tests for, whatever the constant is called; comparing
    with it tells that state, never how much of a secret a guess got right."""
    return frozenset(target.id for stmt in module.body if isinstance(stmt, ir.Assign)
                     and isinstance(stmt.value, ir.Const) and isinstance(stmt.value.value, str)
                     and _MARKER.fullmatch(stmt.value.value) and stmt.value.value in (stmt.value.value.upper(),
                                                                                     stmt.value.value.lower())
                     for target in stmt.targets if isinstance(target, ir.Name))


_MARKER = re.compile(r"[\W_]*[A-Za-z]+(?:[\W_]+[A-Za-z]+)*[\W_]*")


def _enum_member(expr: ir.Expr) -> bool:
    """`TokenType.AccessToken`, `GrantKind.REFRESH_TOKEN`: a member of an enum or a class of
    constants, a fixed value written in the code, so the comparison tells the kind of a value,
    never a secret."""
    dotted = ir.dotted_name(expr) or ""
    parts = dotted.split(".")
    return len(parts) >= 2 and all(p[:1].isupper() for p in parts)


def _signed_payloads(body: tuple[ir.Stmt, ...]) -> frozenset[str]:
    """Names bound to a verified JWT's payload or one of its fields (`const payload = jwt.verify(t, key)`,
    `const { clientId, secret } = await this.jwtService.verifyAsync(refreshToken)`)."""
    return frozenset(t.id for stmt in ir.walk_stmts(body) if isinstance(stmt, ir.Assign)
                     and _verified_token(stmt.value) for t in stmt.targets if isinstance(t, ir.Name))


def _verified_token(expr: ir.Expr | None) -> bool:
    """The payload of a signature-checked JWT, or a field of it: a JWT's payload is readable by
    whoever holds the token and, once verified, cannot be varied by them to probe the other side."""
    while isinstance(expr, (ir.Attr, ir.Await)) or (
            isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr == "catch"):
        expr = expr.func.value if isinstance(expr, ir.Call) else expr.value  # `.catch(() => { throw ... })` keeps it
    if not isinstance(expr, ir.Call):
        return False
    dotted = ir.dotted_name(expr.func) or ""
    method = dotted.rsplit(".", 1)[-1]
    return method in knowledge().token_payload_verifiers and "jwt" in words(dotted)


def _from_payload(side: ir.Expr, signed: frozenset[str]) -> bool:
    """`payload.secret`, `secret` destructured from a verified token, or the verify call itself."""
    root = side
    while isinstance(root, (ir.Attr, ir.Subscript)):
        root = root.value
    return (isinstance(root, ir.Name) and root.id in signed) or _verified_token(side)


def _kept_copies(body: tuple[ir.Stmt, ...]) -> frozenset[str]:
    """Names the function stores on the object under their own name (`this.accessToken = accessToken`)."""
    return frozenset(t.attr for stmt in ir.walk_stmts(body) if isinstance(stmt, ir.Assign)
                     and isinstance(stmt.value, ir.Name) for t in stmt.targets
                     if isinstance(t, ir.Attr) and ir.dotted_name(t.value) == "self" and t.attr == stmt.value.id)


def _change_check(left: ir.Expr, right: ir.Expr, kept: frozenset[str]) -> bool:
    """`if (this.accessToken !== accessToken) { ...; this.accessToken = accessToken }`: the copy an
    object keeps, checked against the value it is handed now and then replaced by it, to see
    whether it changed (rebuild a client, refresh a cache). A comparison that never stores the new
    value (`this.webhookSecret !== secretFromHeader`) is a check of a secret."""
    names = [ir.dotted_name(side) or "" for side in (left, right)]
    held = [n.removeprefix("self.") for n in names if n.startswith("self.") and n.count(".") == 1]
    plain = [n for n in names if n and "." not in n]
    return len(held) == 1 and len(plain) == 1 and held[0] == plain[0] and held[0] in kept


def _secret_text(text: str) -> bool:
    """A setting's key or a binding's dotted name names a secret (`app.errorPagePushSecret`)."""
    last = text.replace("-", "_").rsplit(".", 1)[-1]
    return bool(last) and _secret_name(ir.Name(0, 0, last)) is not None


def _secret_name(expr: ir.Expr) -> str | None:
    if isinstance(expr, ir.FormattedString):  # `Bearer ${process.env.ADMIN_TOKEN}`: the secret is inside
        return next((n for n in map(_secret_name, expr.parts) if n), None)
    if isinstance(expr, ir.Call):
        return None  # `token.length`, `hash(token)`: a derived value, or a call we cannot judge
    dotted = ir.dotted_name(expr)
    if dotted is None and isinstance(expr, ir.Subscript) and isinstance(expr.index, ir.Const):
        dotted = str(expr.index.value)
    if not dotted:
        return None
    last_name = dotted.rsplit(".", 1)[-1]
    if last_name.isupper() and "." in dotted and not dotted.startswith(("process.env", "config", "settings")):
        return None  # `Parse.Error.INVALID_SESSION_TOKEN`: a constant code, not a secret
    parts = words(last_name)
    if not parts or parts[-1] in _NOT_SECRET or {"device", "push", "page", "next", "cursor"} & set(parts):
        return None
    last = "".join(parts[-2:]) if parts[-2:] == ["api", "key"] else parts[-1]
    if last in ("code", "pin") and _ONE_TIME_CODE & set(parts[:-1]):
        last = "otp"  # `otpCode`, `verificationCode`, `smsPin`: a one-time code
    if last in _SECRET_LAST and not {"csrf", "xsrf", "reset"} & set(parts):
        return dotted
    return None


# ---------------------------------------------------------------- across functions


@dataclass(frozen=True, slots=True)
class Comparer:
    """Function `key` compares its parameter `param` with `===` (neither side named a secret)."""

    key: str
    param: int
    name: str
    path: str
    line: int
    code: str


@dataclass(frozen=True, slots=True)
class Handed:
    """A call of project function `callee` hands the secret `name` as argument `arg`."""

    callee: str
    arg: int
    name: str
    path: str
    line: int
    code: str


@dataclass(frozen=True, slots=True)
class Facts:
    comparers: tuple[Comparer, ...]
    handed: tuple[Handed, ...]
    members: tuple[tuple[str, str], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()


def collect(module: ir.Module, scope: ModuleScope) -> Facts | None:
    """Comparisons of a parameter a caller may fill with a secret, and calls handing one: what a
    function compares is what its callers give it (`verifyKey(req.get('x-api-key'), apiKey)`)."""
    if is_dev_path(module.path):
        return None
    signers = _signers(module)
    reported = {compare.line for compare, _, _ in _comparisons(module)}
    comparers: list[Comparer] = []
    handed: list[Handed] = []
    for function in module.functions:
        key = f"{module.module_name}.{function.qualname}"
        params = {p.name: i for i, p in enumerate(function.params)}
        macs = _mac_names(function.body, signers)
        for stmt in ir.walk_stmts(function.body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Compare) and len(node.ops) == 1 and node.ops[0] in ("==", "!=") \
                            and node.line not in reported:
                        sides = (node.left, node.comparators[0])
                        if any(_trivial(side) or _enum_member(side) for side in sides):
                            continue
                        for side in sides:
                            if isinstance(side, ir.Name) and side.id in params:
                                comparers.append(Comparer(key, params[side.id], side.id, module.path, node.line,
                                                          module.line_text(node.line).strip()))
                    if isinstance(node, ir.Call):
                        callee = calls.callee(module, scope, function, node)
                        for index, arg in enumerate(node.args if callee else ()):
                            name = _secret_name(arg) or (_mac_text(arg) if _is_mac(arg, signers, macs) else None)
                            if name:
                                handed.append(Handed(callee, index, name, module.path, node.line,
                                                     module.line_text(node.line).strip()))
    facts = Facts(tuple(comparers), tuple(handed), tuple(calls.members(module, scope)), tuple(calls.aliases(module)))
    return contribution(facts, Facts((), ()))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, Facts)]
    members = {member: held for f in facts for member, held in f.members}
    aliases = {alias: key for f in facts for alias, key in f.aliases}
    by_param: dict[tuple[str, int], list[Comparer]] = {}
    for f in facts:
        for comparer in f.comparers:
            by_param.setdefault((comparer.key, comparer.param), []).append(comparer)
    done: set[tuple[str, int]] = set()
    for f in facts:
        for handed in sorted(f.handed, key=lambda h: (h.path, h.line)):
            target = calls.dealiased(calls.resolved(handed.callee, members), aliases)
            for comparer in by_param.get((target, handed.arg), ()):
                if (comparer.path, comparer.line) in done:
                    continue
                done.add((comparer.path, comparer.line))
                yield make_finding(
                    "timing-unsafe-comparison", Location(comparer.path, comparer.line, comparer.line),
                    f"`{comparer.name}` (handed `{handed.name}` by its caller) compared with `===`",
                    "`===` returns at the first differing character, so response times reveal how much of a guess "
                    "is right and the secret can be recovered byte by byte.",
                    severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
                    evidence=(TraceStep(Location(handed.path, handed.line, handed.line),
                                        f"`{handed.name}` handed to the comparison", handed.code),
                              TraceStep(Location(comparer.path, comparer.line, comparer.line), "compared with `===`",
                                        comparer.code)),
                    fix=Fix("Compare secrets with crypto.timingSafeEqual on equal-length buffers.",
                            "const given = Buffer.from(String(received));\nconst wanted = Buffer.from(String(expected));\n"
                            "if (!(given.length === wanted.length && crypto.timingSafeEqual(given, wanted))) { /* ... */ }",
                            "javascript"),
                    rule=RULE.id, key=f"{comparer.key}|{comparer.name}|{comparer.code}",
                )


# no `requires`: the helper that compares (`function sameKey(given, stored)`) need not name a secret;
# its callers do
RULE = Rule("js-timing-unsafe-comparison", frozenset({"timing-unsafe-comparison"}), "javascript", check,
            collect=collect, combine=combine)

"""JWT misuse: tokens trusted without their signature checked, or checked in a way that can be
bypassed (jsonwebtoken, jose).

## What it finds
- `jwt.decode(token)` (or `jwt-decode`, jose's `decodeJwt`) in a module that never calls `jwt.verify`
  (jose's `jwtVerify`): the claims are read without checking who signed them;
- `jwt.verify(..., { algorithms: ['none'] })` or `ignoreExpiration: true`;
- `jwt.sign(...)` / `jwt.verify(...)` with the key written in the code;
- `jwt.sign({...}, key, {...})` whose claims and options, both written out, set no expiry
  (`exp`, `expiresIn`, nor a claim of its own such as `expiresAt` or `createdAt` that the
  verifier can check): the token is valid for ever.

## Why it matters
An unverified token is whatever the client wrote: `{"sub": "admin"}` becomes the admin. A key
in the code is in every clone, image and leaked laptop: anyone holding it mints tokens.

## Example
```js
const claims = jwt.decode(req.headers.authorization.slice(7));
```
Use instead:
```js
const claims = jwt.verify(req.headers.authorization.slice(7), process.env.JWT_SECRET, { algorithms: ['HS256'] });
```

## Fix
Verify every token with `jwt.verify`, pin `algorithms`, keep expiry checks on, and read the key
from the environment or a secret store.

A `decode` of a token the same function then hands to `verify` (to choose the key or the account
whose secret checks it) is not reported.

## Known problems
`jwt.decode` used only to read a header before verifying in another function or module is
reported at medium confidence.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule
from servicelens.rules.javascript._node import (
    NamedCall, const_str, is_true, knowledge, location, named_calls, option,
)
from servicelens.rules.python._common import is_dev_path, words
from servicelens.taint.scope import ModuleScope

# claims that bound a token's life: the standard `exp`/`iat`, or the application's own
_LIFETIME_CLAIMS = frozenset({"exp", "expires", "expiry", "expiration", "expire", "iat", "nbf", "created", "issued",
                              "ttl", "valid", "until"})
_VERIFY = "jwt.verify(token, process.env.JWT_SECRET, { algorithms: ['HS256'] })"


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    calls = list(named_calls(module, scope))
    known = knowledge()
    verifies = any(c.name in known.jwt_verify for c in calls)
    verified = _verified_tokens(calls, known.jwt_verify)
    for named in calls:
        if named.name in known.jwt_decode and _token_of(named) in verified.get(_function_key(named), ()):
            continue  # the same token is verified in the same function: decode only pre-reads it
        for title, confidence, fix_text, code in _issues(named, verifies):
            yield make_finding(
                "jwt-misuse", location(module, named.call), title,
                "A token whose signature is not checked, or is checked with a key anyone can read, lets the "
                "client choose who it is.",
                severity=Severity.HIGH, confidence=confidence, fix=Fix(fix_text, code, "javascript"),
                rule=RULE.id, key=f"{named.name}|{title}",
            )


def _function_key(named: NamedCall) -> str:
    return named.function.qualname if named.function is not None else ""


def _token_of(named: NamedCall) -> str:
    """The token a decode/verify call reads, by its name (`token`, `req.headers.authorization`)."""
    first = named.call.args[0] if named.call.args else None
    return (ir.dotted_name(first) or "") if first is not None else ""


def _verified_tokens(calls: list[NamedCall], verifiers: frozenset[str]) -> dict[str, set[str]]:
    """Per function, the tokens it hands to a verifier: a decode of one of them in that function
    (to pick the key or the account whose secret checks it) is followed by the signature check."""
    found: dict[str, set[str]] = {}
    for named in calls:
        token = _token_of(named)
        if named.name in verifiers and token:
            found.setdefault(_function_key(named), set()).add(token)
    return found


def _issues(named: NamedCall, verifies: bool) -> Iterator[tuple[str, Confidence, str, str]]:
    known = knowledge()
    call = named.call
    if named.name in known.jwt_decode:
        if is_true(option(call.args[1] if len(call.args) > 1 else None, "complete")) or \
                is_true(option(call.args[1] if len(call.args) > 1 else None, "header")):
            return  # reading the header (`kid`, `alg`) to pick the key the token is then verified with
        confidence = Confidence.MEDIUM if verifies else Confidence.HIGH
        yield (f"JWT claims read with `{named.name}` without verifying the signature", confidence,
               "Use jwt.verify, which checks the signature and expiry, wherever the claims decide anything.", _VERIFY)
    elif named.name in known.jwt_verify:
        options = call.args[2] if len(call.args) > 2 else None
        algorithms = option(options, "algorithms")
        if isinstance(algorithms, ir.Seq) and any((const_str(e) or "").lower() == "none" for e in algorithms.elts):
            yield ("`jwt.verify` accepts unsigned tokens (algorithm 'none')", Confidence.HIGH,
                   "Pin the algorithm the issuer signs with.", _VERIFY)
        if is_true(option(options, "ignoreExpiration")):
            yield ("`jwt.verify` ignores token expiry", Confidence.HIGH,
                   "Keep expiry checks on; refresh tokens instead of accepting expired ones.", _VERIFY)
        if len(call.args) > 1 and const_str(call.args[1]):
            yield ("JWT verified with a key written in the code", Confidence.HIGH,
                   "Read the key from the environment or a secret store, and rotate the leaked one.", _VERIFY)
    elif named.name in known.jwt_sign:
        if len(call.args) > 1 and const_str(call.args[1]):
            yield ("JWT signed with a key written in the code", Confidence.HIGH,
                   "Read the key from the environment or a secret store, and rotate the leaked one.",
                   "jwt.sign(payload, process.env.JWT_SECRET, { algorithm: 'HS256', expiresIn: '15m' })")
        if _never_expires(call):
            yield ("JWT signed without an expiry", Confidence.MEDIUM,
                   "Give every token a lifetime (`expiresIn`), short for access tokens; a stolen one is "
                   "otherwise valid for ever.",
                   "jwt.sign(payload, process.env.JWT_SECRET, { algorithm: 'HS256', expiresIn: '15m' })")
        if (const_str(option(call.args[2] if len(call.args) > 2 else None, "algorithm")) or "").lower() == "none":
            yield ("JWT signed with algorithm 'none'", Confidence.HIGH, "Sign with a real algorithm.",
                   "jwt.sign(payload, process.env.JWT_SECRET, { algorithm: 'HS256' })")


def _never_expires(call: ir.Call) -> bool:
    """`jwt.sign({ sub }, key)` / `jwt.sign({ sub }, key, { algorithm })`: claims written out with
    no `exp` and options written out with no `expiresIn`. A payload or options held in a variable
    may carry either, and is not judged."""
    payload = call.args[0] if call.args else None
    options = call.args[2] if len(call.args) > 2 else None
    if not isinstance(payload, ir.DictExpr) or any(not isinstance(k, ir.Const) for k in payload.keys):
        return False  # a spread (`{ ...claims }`) may bring `exp`
    if any(set(words(str(k.value))) & _LIFETIME_CLAIMS for k in payload.keys if isinstance(k, ir.Const)):
        return False  # `exp`, or a lifetime the application checks itself (`expiresAt`, `createdAt`)
    if options is None:
        return len(call.args) == 2
    if not isinstance(options, ir.DictExpr) or any(not isinstance(k, ir.Const) for k in options.keys):
        return False
    return option(options, "expiresIn") is None


RULE = Rule("js-jwt-misuse", frozenset({"jwt-misuse"}), "javascript", check, requires=("jwt", "jsonwebtoken"))

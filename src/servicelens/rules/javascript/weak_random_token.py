"""Weak random token: a secret value (a reset token, a one-time code, a session id, an API key)
made with `Math.random()`.

## What it finds
`Math.random()` in the value given to a variable, property or object key named as a secret or
one-time value (`token`, `resetToken`, `otp`, `code`, `sessionId`, `nonce`, `salt`, `apiKey`,
`password`, `secret`), including codes presented to redeem or enter something (`ticketCode`,
`voucherCode`, `couponCode`, `giftCode`). A helper named so (`generateTicketCode()`) that returns
such a value is reported where it makes it (taint/sinks.py, the return of a secret-named function).

## Why it matters
`Math.random()` is predictable: its generator state can be recovered from a few outputs, so an
attacker who sees one token (their own reset link) computes the next ones and takes over other
accounts.

## Example
```js
const resetToken = Math.random().toString(36).slice(2);
```
Use instead:
```js
const resetToken = crypto.randomBytes(32).toString('hex');
```

## Fix
Use `crypto.randomBytes`, `crypto.randomUUID()` or `crypto.randomInt()` for anything a caller
must not guess.

## Known problems
Judged by the name the value is given; a token built in a helper and returned is seen only
where the helper names it.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.javascript._node import const_str, location
from servicelens.rules.python._common import is_dev_path, is_secret_name, words
from servicelens.taint.scope import ModuleScope

_ONE_TIME = frozenset({"token", "otp", "code", "nonce", "salt", "sessionid", "sid", "pin", "verifier", "challenge",
                       "invite", "secret", "password", "key", "id"})
_QUALIFIED = re.compile(r"(?i)(reset|verify|verification|confirm|session|invite|magic|login|auth|access|refresh|"
                        r"api|one.?time|otp|csrf|activation|"
                        # codes presented to redeem or enter something: a guessed one grants it
                        r"ticket|voucher|coupon|gift|promo|redeem|redemption|claim|referral)")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    for function, body in all_bodies(module):
        for line, name in _named_random(body):
            yield make_finding(
                "weak-random", location(module, ir.Const(line, 0, None)),
                f"`{name}` is made with Math.random(), which can be predicted",
                "Math.random() is not a cryptographic generator: from a few values an attacker can compute the "
                "next ones and guess tokens issued to other users.",
                severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                fix=Fix("Use the crypto module for values a caller must not guess.",
                        f"const {name if name.isidentifier() else 'token'} = crypto.randomBytes(32).toString('hex');",
                        "javascript"),
                rule=RULE.id, key=f"{function.qualname if function else '<module>'}|{name}",
            )


def _named_random(body: tuple[ir.Stmt, ...]) -> Iterator[tuple[int, str]]:
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and _uses_math_random(stmt.value):
            for target in stmt.targets:
                name = target.id if isinstance(target, ir.Name) else target.attr if isinstance(target, ir.Attr) else ""
                if name and _secret_like(name):
                    yield stmt.line, name
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.DictExpr):
                    for key, value in zip(node.keys, node.values):
                        name = const_str(key)
                        if name and _secret_like(name) and _uses_math_random(value):
                            yield value.line, name


def _uses_math_random(expr: ir.Expr) -> bool:
    return any(isinstance(n, ir.Call) and ir.dotted_name(n.func) == "Math.random" for n in ir.walk_expr(expr))


def _secret_like(name: str) -> bool:
    parts = [w.lower() for w in words(name)]
    if not parts:
        return False
    if is_secret_name(name):
        return True
    last = parts[-1]
    if last in ("id", "key", "code") and len(parts) == 1:
        return False  # `id`, `key`, `code` alone are usually not secrets
    return last in _ONE_TIME and (len(parts) == 1 or bool(_QUALIFIED.search(name)))


RULE = Rule("js-weak-random-token", frozenset({"weak-random"}), "javascript", check, requires=("math.random",))

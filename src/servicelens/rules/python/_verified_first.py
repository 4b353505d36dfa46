"""Work a handler does only once the request's signed token has been verified.

Not a rule (it defines no RULE). Password hashing on the event loop costs what a caller can make the
service repeat (perf_blocking_async.cost_at). A reset handler that hashes the new password only after
`payload = jwt.decode(token, settings.SECRET_KEY, algorithms=[...])` has succeeded runs the hash once
per link the server mailed: an outsider without such a token is turned away before the hash, so the
cost is bounded per credential, not per attempt. The verifier is recognised by what it does (its name
says decode, verify, unsign..., rules/python/_access.VERIFIED_WORDS) and by what it is handed: a token
(`verify_reset_token(token)`), or a value and a key (`jwt.decode(token, key)`). A decoder told not to
check the signature (`options={"verify_signature": False}`) and a text decode (`body.decode("utf-8")`)
verify nothing.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.rules.python._access import VERIFIED_WORDS
from servicelens.rules.python._common import words

# what a verifier's name says it checks: a signed token, not a text encoding
_TOKEN_WORDS = frozenset({"token", "tokens", "jwt", "jws", "jwe", "signature", "signed"})


def first_verification(function: ir.Function) -> int | None:
    """The line of the first statement of `function` that verifies a signed token, if any: a
    statement of its own body, not one inside a branch or a `try` (a verification under `if` may
    not run, and one whose failure an `except` swallows lets the request go on unverified)."""
    for stmt in function.body:
        if not isinstance(stmt, (ir.Assign, ir.ExprStmt)):
            continue
        value = stmt.value.value if isinstance(stmt.value, ir.Await) else stmt.value
        if isinstance(value, ir.Call) and token_verifier(value):
            return stmt.line
    return None


def token_verifier(call: ir.Call) -> bool:
    """`jwt.decode(token, key, ...)`, `serializer.unsign(value)`, `decode_access_token(token)`."""
    name = ir.dotted_name(call.func) or ""
    spelled = {w.lower() for part in name.split(".") for w in words(part)}
    if not spelled & VERIFIED_WORDS or _unverified(call):
        return False
    if spelled & _TOKEN_WORDS:
        return True
    # a value and a key: a text decode takes at most an encoding and an error mode, both literals
    handed = [*call.args, *(kw.value for kw in call.kwargs if kw.name is not None)]
    return len(handed) >= 2 and not any(isinstance(arg, ir.Const) for arg in handed[:2])


def _unverified(call: ir.Call) -> bool:
    """`jwt.decode(token, options={"verify_signature": False})`: the decoder was told not to check."""
    for kw in call.kwargs:
        if kw.name == "options" and isinstance(kw.value, ir.DictExpr):
            for key, value in zip(kw.value.keys, kw.value.values):
                if isinstance(key, ir.Const) and key.value == "verify_signature" \
                        and isinstance(value, ir.Const) and value.value is False:
                    return True
    return False

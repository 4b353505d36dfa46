"""Enrolling a second factor: a code checked against a secret the caller's own session holds.

Setting up an authenticator goes: the server generates a secret, keeps it in the caller's session and
shows it (a QR code); the caller types the code their app derives from it; the server checks the code
against the session's secret and stores the secret on the account. Nothing is guessed there: the
secret is the caller's own session's, just shown to them, and a right guess only enrols a secret the
caller already holds. A second sign-in step reads the *account's* stored secret (found by the pending
user the session names), never the secret itself from the session, so it stays a guess target.
"""
from __future__ import annotations

import re

from servicelens import ir
from servicelens.rules.python import _access as access

# what a session key or accessor holding an authenticator secret is called: `totp_secret`,
# `otp_secret_key`, `get_totp_secret()`, `mfa_seed` (not `otp_user_id`: who a second step is for)
_SECRET_KEY = re.compile(r"(?i)(secret|seed)")


def checks_session_secret(function: ir.Function) -> bool:
    """The handler hands a secret it reads from the request's session (`request.session["totp_secret"]`,
    `session.get("otp_secret_key")`, `request.session.get_totp_secret()`) to a call: the verifier or
    form that checks the code the caller typed against it."""
    held = access.flow_names(function.body, set(), _session_read)
    for stmt in ir.walk_stmts(function.body):
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and not _session_read(node) and any(
                        access.reads(arg, held, _session_read) for arg in (*node.args, *(kw.value for kw in node.kwargs))):
                    return True
    return False


def _session_read(node: ir.Expr) -> bool:
    """`session[key]`, `session.get(key)`, `session.get_<secret>()` of a secret-named key."""
    if isinstance(node, ir.Subscript) and _is_session(node.value):
        return _secret_key(node.index)
    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and _is_session(node.func.value):
        if node.func.attr in ("get", "pop") and node.args:
            return _secret_key(node.args[0])
        return bool(_SECRET_KEY.search(node.func.attr)) and node.func.attr.startswith("get")
    return False


def _is_session(expr: ir.Expr) -> bool:
    return (ir.dotted_name(expr) or "").rsplit(".", 1)[-1] == "session"


def _secret_key(key: ir.Expr) -> bool:
    return isinstance(key, ir.Const) and isinstance(key.value, str) and bool(_SECRET_KEY.search(key.value))

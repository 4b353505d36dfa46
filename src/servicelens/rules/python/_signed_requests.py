"""A request signed with a machine's secret: its sender proves a key no person types.

Agents and desktop clients often sign each request with a long random secret the server issued them
(`hmac.new(user.sync_secret, method + path + timestamp + nonce)`), sent in a header and compared with
the server's own computation; the handler refuses a mismatch. Whatever such a handler checks after
that, its caller already holds a high-entropy key: online guessing has nothing to work on, so it is
no brute-force target, whatever the endpoint is called.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.rules.python import _access as access
from servicelens.rules.python._refusals import refuses
from servicelens.taint.scope import HandlerInfo

# what computes a keyed digest: the standard library's `hmac` module
_HMAC = frozenset({"hmac.new", "hmac.HMAC", "hmac.digest"})


def verifies_request_signature(function: ir.Function, handler: HandlerInfo) -> bool:
    """The handler computes an HMAC and refuses the request when it differs from what the request carries."""
    computed = access.flow_names(function.body, set(), _hmac_call)
    if not computed:
        return False
    sent = access.flow_names(function.body, access.client_params(function, handler), _from_request)
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.If) and access.reads(stmt.test, computed, _hmac_call) \
                and access.reads(stmt.test, sent, _from_request) and refuses(stmt.body):
            return True
    return False


def _hmac_call(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Call) and (ir.dotted_name(expr.func) or "") in _HMAC


def _from_request(expr: ir.Expr) -> bool:
    """Request data or a header the client sent (`request.headers.get("Auth-Signature")`)."""
    return access.is_request_data(expr) or isinstance(expr, ir.Attr) and expr.attr in ("headers", "META") \
        and (ir.dotted_name(expr.value) or "").rsplit(".", 1)[-1] in ("request", "req")

"""A decorator that refuses by where a request comes from, not by who sends it: a CORS/Origin check.

    def cors(f):
        @wraps(f)
        def wrapper(*args, **kwargs):
            origin = request.headers.get("Origin") or basepath(request.referrer)
            if origin not in app.config["ALLOWED_ORIGINS"]:
                abort(403)
            return add_headers(make_response(f(*args, **kwargs)), origin)
        return wrapper

It answers 403, so the unread-check reading (endpoints.unread) would keep its routes undecided, as if
it might authenticate. But the only things of the request it reads are the Origin and Referer
headers, the method and the URL, which any caller sets as they please (a browser only enforces them
for scripts of other sites), and nothing it names speaks of a user, session, token or key: it checks
no principal, so it is no auth check whatever it refuses.
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens import ir

_REQUEST_NAMES = frozenset({"request", "req"})
# what a browser says about the page that sent the request (Flask headers and Django META keys)
_ORIGIN_HEADERS = frozenset({"origin", "referer", "referrer", "access-control-request-headers",
                             "access-control-request-method", "http_origin", "http_referer",
                             "http_access_control_request_headers", "http_access_control_request_method"})
# plain attributes of the request that say where it comes from or what it asks, not who sends it
_PLAIN = frozenset({"method", "referrer", "origin", "url", "host", "host_url", "scheme", "path", "url_root",
                    "base_url", "is_secure"})
_MAPPINGS = frozenset({"headers", "META"})
# names that speak of the caller: any of them in the body and it may be a caller check after all
_CALLER = re.compile(r"(?i)(user|principal|identity|token|auth|jwt|claim|permission|role|scope|admin|staff|"
                     r"api_?key|secret|session|login|credential|signature|account|member|owner|bearer|password)")


def checks_origin_only(family: Iterable[ir.Function]) -> bool:
    """The functions (a decorator and its nested wrappers) read the request's Origin or Referer and
    nothing else of it but plain attributes that say where it comes from, and name no caller."""
    nodes = [node for function in family for stmt in ir.walk_stmts(function.body)
             for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr)]
    mappings = keyed = 0
    origin = False
    for node in nodes:
        if isinstance(node, ir.Name) and _CALLER.search(node.id) or isinstance(node, ir.Attr) and _CALLER.search(node.attr):
            return False
        if isinstance(node, ir.Attr) and _on_request(node.value):
            if node.attr in _MAPPINGS:
                mappings += 1
            elif node.attr not in _PLAIN:
                return False
            origin = origin or node.attr in ("referrer", "origin")
        key = _mapping_key(node)
        if key is not None:
            if key.lower() not in _ORIGIN_HEADERS:
                return False
            keyed += 1
            origin = origin or key.lower() in ("origin", "referer", "http_origin", "http_referer")
    # every `request.headers` is read by one of those keys: not handed on whole to something else
    return origin and mappings == keyed


def _on_request(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Name) and expr.id in _REQUEST_NAMES or \
        isinstance(expr, ir.Attr) and expr.attr == "request" and isinstance(expr.value, ir.Name)  # `flask.request`


def _mapping_key(node: ir.Expr) -> str | None:
    """`request.headers.get("Origin")` / `request.headers["Origin"]` / `request.META.get("HTTP_ORIGIN")` ->
    the key; "" for a key that is no literal; None for anything else."""
    if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr == "get":
        holder, key = node.func.value, node.args[0] if node.args else None
    elif isinstance(node, ir.Subscript):
        holder, key = node.value, node.index
    else:
        return None
    if not (isinstance(holder, ir.Attr) and holder.attr in _MAPPINGS and _on_request(holder.value)):
        return None
    return key.value if isinstance(key, ir.Const) and isinstance(key.value, str) else ""

"""Decorators that admit a caller by one configured token, not by who the caller is.

An admin API guarded by `@api_token_authorization`, whose wrapper compares the request's
`Authorization` header with the one token the operator configured (`hmac.compare_digest(header,
v1.api_token)`) and aborts otherwise, has a single principal: whoever holds that token manages
every row by design. There is no per-user caller to compare an object's owner with, so an
unscoped lookup behind such a gate is no object-level authorization gap.

A gate counts when its inner wrapper compares a value read from the request's headers, query
or body with a value that is not (a configured setting, a module constant, an environment
variable, `current_app.config["API_TOKEN"]`: no call other than a keyed `.get`), exits on the
mismatch (abort, raise, return), and records no identity (`g.user = ...`, `request.user = ...`):
a gate that looks the token up among users' tokens, or stores who the caller is, has callers
with owners.
"""
from __future__ import annotations

from typing import AbstractSet as Set, Iterator, Sequence

from servicelens import ir
from servicelens.rules.python._project_calls import function_key
from servicelens.taint.scope import ModuleScope

_COMPARISONS = frozenset({"compare_digest", "timingSafeEqual", "constant_time_compare"})
_CLIENT_PARTS = frozenset({"headers", "args", "form", "json", "values", "GET", "POST", "META", "query_params", "data"})
_REQUESTS = frozenset({"request", "flask.request", "self.request", "req"})
_IDENTITY_ROOTS = frozenset({"g", "flask.g", "request", "self.request", "session"})


def shared_token_gates(module: ir.Module, scope: ModuleScope) -> Iterator[str]:
    """Function keys of this module's decorators whose wrapper admits by one configured token."""
    nested: dict[str, list[ir.Function]] = {}
    for function in module.functions:
        if function.parent:
            nested.setdefault(function.parent, []).append(function)
    for function in module.functions:
        if function.parent or function.class_name:
            continue
        wrappers = nested.get(function.qualname, [])
        if wrappers and admits_by_one_token(wrappers):
            yield function_key(scope, function)


def admits_by_one_token(functions: Sequence[ir.Function]) -> bool:
    """A gate (a decorator and its wrappers, or a dependency) that lets the request through only
    with the one token the operator configured, and records no identity: its single caller holds
    the operator's secret (also analysis/caller_privilege.py: a privileged caller)."""
    return any(_admits_by_token(f) for f in functions) and not any(_records_identity(f) for f in functions)


def _admits_by_token(wrapper: ir.Function) -> bool:
    # locals holding what the request carried (`presented = request.headers.get(...)`), and a
    # dependency's parameters the framework fills from it (`x_api_key: str = Header(...)`)
    sent: set[str] = {p.name for p in wrapper.params if _request_parameter(p)}
    # names bound in the gate (its parameters, its locals): what the request handed it or what it
    # looked up, never the operator's configuration
    bound = {p.name for p in wrapper.params}
    for stmt in ir.walk_stmts(wrapper.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            if _carries_request(stmt.value, sent):
                sent.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
            bound.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    for stmt in ir.walk_stmts(wrapper.body):
        if not isinstance(stmt, ir.If) or not _exits(stmt.body):
            continue
        for node in ir.walk_expr(stmt.test):
            if isinstance(node, ir.Call) and (ir.last_name(node.func) or "") in _COMPARISONS and len(node.args) == 2:
                if _token_pair(node.args[0], node.args[1], sent, bound):
                    return True
            if isinstance(node, ir.Compare) and node.ops in (("==",), ("!=",)) and len(node.comparators) == 1:
                if _token_pair(node.left, node.comparators[0], sent, bound):
                    return True
    return False


def _carries_request(expr: ir.Expr, sent: set[str]) -> bool:
    """The value is what the request carried, reshaped at most (`request.headers.get("Authorization",
    "").removeprefix("Bearer ")`, `(token or "").strip()`), not what a lookup by it returned
    (`repository.get_by_token(token)` is the caller's record)."""
    if isinstance(expr, ir.Await):
        return _carries_request(expr.value, sent)
    if isinstance(expr, ir.Call):
        return isinstance(expr.func, ir.Attr) and _carries_request(expr.func.value, sent)
    if isinstance(expr, ir.BoolOp):
        return any(_carries_request(v, sent) for v in expr.values)
    if isinstance(expr, ir.Subscript):
        return _carries_request(expr.value, sent)
    if isinstance(expr, ir.Attr):
        return expr.attr in _CLIENT_PARTS and (ir.dotted_name(expr.value) or "") in _REQUESTS \
            or _carries_request(expr.value, sent)
    return isinstance(expr, ir.Name) and expr.id in sent


# FastAPI's markers of a parameter read from the request (`Security(APIKeyHeader(...))` too)
_REQUEST_MARKERS = frozenset({"Header", "Query", "Cookie", "Security"})


def _request_parameter(param: ir.Param) -> bool:
    """`x_api_key: str = Header(...)`, `token: Annotated[str, Query()]`, `key: str = Security(api_key_header)`."""
    return any(isinstance(node, ir.Call) and (ir.last_name(node.func) or "") in _REQUEST_MARKERS
               for e in (param.default, param.annotation) if e is not None for node in ir.walk_expr(e))


def _token_pair(a: ir.Expr, b: ir.Expr, sent: set[str], bound: set[str]) -> bool:
    return (_carries_request(a, sent) and _configured(b, sent, bound)) or \
        (_carries_request(b, sent) and _configured(a, sent, bound))


def _from_request(expr: ir.Expr, sent: set[str]) -> bool:
    """`request.headers.get("Authorization").removeprefix("Bearer ")`, `request.args["token"]`, a local
    holding one."""
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Attr) and node.attr in _CLIENT_PARTS and (ir.dotted_name(node.value) or "") in _REQUESTS:
            return True
        if isinstance(node, ir.Name) and node.id in sent:
            return True
    return False


def _configured(expr: ir.Expr, sent: set[str], bound: Set[str] = frozenset()) -> bool:
    """A setting or constant: names, attributes and keyed reads only (`v1.api_token`,
    `current_app.config["API_TOKEN"]`, `os.environ.get("API_KEY")`), nothing from the request and
    nothing the gate itself was handed or looked up (`tenant.id` of a `tenant` parameter)."""
    if _from_request(expr, sent) or isinstance(expr, ir.Const):
        return False
    root = next((n.id for n in ir.walk_expr(expr) if isinstance(n, ir.Name)), "")
    if root in bound:
        return False
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Call) and not (isinstance(node.func, ir.Attr) and node.func.attr == "get"):
            return False
    return isinstance(expr, (ir.Name, ir.Attr, ir.Subscript, ir.Call))


def _exits(body: tuple[ir.Stmt, ...]) -> bool:
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, (ir.Raise, ir.Return)):
            return True
        if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) \
                and (ir.last_name(stmt.value.func) or "") in ("abort", "abort_json"):
            return True
    return False


def _records_identity(wrapper: ir.Function) -> bool:
    """`g.user = user`, `request.user = ...`, `session["user_id"] = ...`: the gate says who the caller is."""
    for stmt in ir.walk_stmts(wrapper.body):
        if isinstance(stmt, ir.Assign):
            for target in stmt.targets:
                base = target.value if isinstance(target, (ir.Attr, ir.Subscript)) else None
                if base is not None and (ir.dotted_name(base) or "") in _IDENTITY_ROOTS:
                    return True
    return False

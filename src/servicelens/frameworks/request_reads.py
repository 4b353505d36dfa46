"""Whether a middleware reads the request only for what it carries, never for who sends it.

    function blockBot(request, reply) {
      if (request.url.includes('/api/') && isbot(request.headers['user-agent'])) return reply.code(403).send();
    }

A body, query, URL parameters, files, the method and URL, a header naming no credential (the
user agent, the content type) describe the request: a middleware that refuses on those alone
(a validator, a bot filter, a record-exists check) turns away a request, whoever sends it, and is
no authentication. A 401 is an answer about the caller and keeps it undecided, as does any read
of who sends it: a credential header, the address (`req.ip`, `x-forwarded-for`), the headers
handed on whole, a payload field named as a secret (`req.query.key`, `req.body.signature`).
Fields the middleware sets on the request itself (`req.post = post`) are its output, not read.
"""
from __future__ import annotations

from collections.abc import Iterator

from servicelens import ir
from servicelens.frameworks.express_knowledge import MiddlewareKnowledge
from servicelens.rules.python._common import is_secret_name

_WHO_ASKS = 401  # "who are you": an answer about the caller, not the payload
# payload fields that carry a credential although their names are no secret's
_CREDENTIAL_FIELDS = frozenset({"key", "sig", "signature", "hmac", "code", "pin"})
_PAYLOAD_FIELDS = frozenset({"body", "query", "params", "files", "file", "method", "path", "url", "originalUrl",
                             "baseUrl"})
_HEADERS = "headers"
_HEADER_CALLS = frozenset({"get", "header"})
# headers that say where the caller is: an allow-list of addresses is a check of who asks
_ADDRESS_HEADERS = frozenset({"x-forwarded-for", "x-real-ip", "forwarded", "cf-connecting-ip", "true-client-ip",
                              "x-client-ip"})


def judges_request_only(family: list[ir.Function], knowledge: MiddlewareKnowledge) -> bool:
    """The family reads some of the request, only for what it carries, and never answers 401."""
    nested = [f for f in family[1:] if f.qualname.startswith(family[0].qualname + ".<locals>.")]
    handlers = nested or family[:1]  # a factory (`validate(schema)`) returns the middleware it nests
    requests = {f.params[0].name for f in handlers if len(f.params) >= 2}
    defaults = {p.name: p.default.value for f in family for p in f.params
                if isinstance(p.default, ir.Const) and isinstance(p.default.value, str)}
    own = _own_fields(family, requests)
    consumed: set[int] = set()
    read = False
    for expr in _expressions(family):
        if isinstance(expr, ir.Const) and expr.value == _WHO_ASKS:
            return False
        header = _header_read(expr, requests)
        if header is not None:
            if not _describes_request(header, knowledge):
                return False
            consumed.add(id(expr.func if isinstance(expr, ir.Call) else expr.value))  # type: ignore[union-attr]
            read = True
            continue
        if id(expr) in consumed:
            continue
        field = _request_field(expr, requests, defaults)
        if field is None or field in own:
            continue
        if field not in _PAYLOAD_FIELDS:
            return False
        read = True
    # `req.query.key`, `req.body.password`: a credential sent as data is still a caller check
    return read and not _payload_secrets(family, requests, own)


def _describes_request(header: str, knowledge: MiddlewareKnowledge) -> bool:
    return not credential_header(header, knowledge) and header.lower() not in _ADDRESS_HEADERS


def credential_header(header: str, knowledge: MiddlewareKnowledge) -> bool:
    """`authorization`, `x-api-key`, `x-internal-secret`: a header that carries a credential."""
    lowered = header.lower()
    return lowered in knowledge.credential_headers or is_secret_name(lowered.replace("-", "_"))


def _header_read(expr: ir.Expr, requests: set[str]) -> str | None:
    """`req.headers['user-agent']`, `req.headers.host`, `req.get('content-type')`: the header's name."""
    if isinstance(expr, ir.Subscript) and _is_headers(expr.value, requests) \
            and isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str):
        return expr.index.value
    if isinstance(expr, ir.Attr) and _is_headers(expr.value, requests):
        return expr.attr
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in _HEADER_CALLS \
            and isinstance(expr.func.value, ir.Name) and expr.func.value.id in requests \
            and expr.args and isinstance(expr.args[0], ir.Const) and isinstance(expr.args[0].value, str):
        return expr.args[0].value
    return None


def _is_headers(expr: ir.Expr, requests: set[str]) -> bool:
    return isinstance(expr, ir.Attr) and expr.attr == _HEADERS and isinstance(expr.value, ir.Name) \
        and expr.value.id in requests


def _own_fields(family: list[ir.Function], requests: set[str]) -> set[str]:
    """Fields the family assigns on the request (`req.post = post`)."""
    return {t.attr for f in family for stmt in ir.walk_stmts(f.body) if isinstance(stmt, ir.Assign)
            for t in stmt.targets if isinstance(t, ir.Attr) and isinstance(t.value, ir.Name) and t.value.id in requests}


def _payload_secrets(family: list[ir.Function], requests: set[str], own: set[str]) -> bool:
    """A payload field named as a credential (`req.query.key`, `req.body.signature`, `ctx.request.body.token`)."""
    for expr in _expressions(family):
        if isinstance(expr, ir.Attr) and (is_secret_name(expr.attr) or expr.attr.lower() in _CREDENTIAL_FIELDS):
            base = expr.value
            while isinstance(base, ir.Attr):
                base = base.value
            if isinstance(base, ir.Name) and base.id in requests and not (
                    isinstance(expr.value, ir.Name) and expr.attr in own):
                return True
        if isinstance(expr, ir.Subscript) and isinstance(expr.index, ir.Const) and isinstance(expr.index.value, str) \
                and (is_secret_name(expr.index.value) or expr.index.value.lower() in _CREDENTIAL_FIELDS):
            return True
    return False


def _request_field(expr: ir.Expr, requests: set[str], defaults: dict[str, object]) -> str | None:
    """`req.body` -> body, `ctx.request.query` -> query, `req[source]` -> source's default; None
    for an expression that reads no field of the request."""
    if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Name) and expr.value.id in requests:
        return expr.attr if expr.attr != "request" else None
    if isinstance(expr, ir.Attr) and isinstance(expr.value, ir.Attr) and expr.value.attr == "request" \
            and isinstance(expr.value.value, ir.Name) and expr.value.value.id in requests:
        return expr.attr  # Koa's `ctx.request.body`
    if isinstance(expr, ir.Subscript) and isinstance(expr.value, ir.Name) and expr.value.id in requests:
        index = expr.index
        if isinstance(index, ir.Const) and isinstance(index.value, str):
            return index.value
        return str(defaults.get(index.id, "")) if isinstance(index, ir.Name) else ""
    return None


def _expressions(family: list[ir.Function]) -> Iterator[ir.Expr]:
    for function in family:
        for stmt in ir.walk_stmts(function.body):
            for root in ir.stmt_exprs(stmt):
                yield from ir.walk_expr(root)

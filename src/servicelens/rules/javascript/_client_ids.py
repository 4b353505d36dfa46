"""Which values of a request name a record the client chose: the ids object-level authorization
follows from a route into the functions it calls.

A URL parameter is one (`/orders/:id`), but not the only one: a client picks the record as
easily in the query (`GET /invoices?invoiceId=7`) or the body (`POST /basket-items
{ BasketId: 9 }`). Of those two only the fields named as ids count (`id`, `orderId`,
`basket_id`, `uuid`); a search term or an e-mail address names no record by its key.

    req.params.id    request.params.orderId    ctx.params.id           any URL parameter
    req.query.invoiceId    req.body.BasketId    ctx.request.body.id    an id field
    req.query.q      req.body.email                                    not an id

The request is `req`/`request` (Koa's `ctx`), or whatever a route handler calls its first
parameter, destructured included (`({ params }, res) => ...`, lowered to `<param0>.params`).
"""
from __future__ import annotations

import re

from servicelens import ir

REQUEST_NAMES = frozenset({"req", "request"})
# the parts of a request where a client names records by their keys
_URL = "params"
_FIELDS = frozenset({"query", "body"})
# `id`, `uuid`, `pk`, `orderId`, `order_id`, `OrderID`, `basketUuid`; not `paid`, `valid`, `void`
_ID_NAME = re.compile(r"^(?:_?id|uuid|pk)$|^[A-Za-z]\w*?(?:_id|_uuid|Id|ID|Uuid|UUID)$")
_DESTRUCTURED = re.compile(r"^<param\d+>$")


def id_named(name: str) -> bool:
    return bool(_ID_NAME.match(name))


def request_names(function: ir.Function | None) -> frozenset[str]:
    """Names of the request in `function`: `req`/`request`, and a destructured first parameter
    (`({ params, body }, res)`), whose parts the lowering reads off `<param0>`."""
    if function is not None and function.params and _DESTRUCTURED.match(function.params[0].name):
        return REQUEST_NAMES | {function.params[0].name}
    return REQUEST_NAMES


def _request_part(expr: ir.Expr, parts: frozenset[str], requests: frozenset[str]) -> bool:
    """`req.params`, `req.query` (a part in `parts`) of a request; Koa's `ctx.params`, `ctx.query`,
    `ctx.request.body`."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    if not isinstance(expr, ir.Attr) or expr.attr not in parts:
        return False
    base = expr.value
    if isinstance(base, ir.Name):
        return base.id in requests or base.id == "ctx"
    return isinstance(base, ir.Attr) and base.attr == "request" and isinstance(base.value, ir.Name) \
        and base.value.id == "ctx"


def _field_name(node: ir.Expr) -> str:
    if isinstance(node, ir.Attr):
        return node.attr
    if isinstance(node, ir.Subscript) and isinstance(node.index, ir.Const) and isinstance(node.index.value, str):
        return node.index.value
    return ""


def client_id(node: ir.Expr, requests: frozenset[str] = REQUEST_NAMES) -> bool:
    """Is `node` a read of a record id the client sent: any URL parameter, or an id-named field of
    the query or body?"""
    if not isinstance(node, (ir.Attr, ir.Subscript)):
        return False
    name = _field_name(node)
    if not name:
        return False
    if _request_part(node.value, frozenset({_URL}), requests):
        return True
    return id_named(name) and _request_part(node.value, _FIELDS, requests)


def url_read(expr: ir.Expr, names: frozenset[str], requests: frozenset[str] = REQUEST_NAMES) -> bool:
    """Does `expr` read a URL parameter, directly or through a variable in `names` holding one?"""
    return any((isinstance(node, (ir.Attr, ir.Subscript)) and _request_part(node.value, frozenset({_URL}), requests))
               or (isinstance(node, ir.Name) and node.id in names) for node in ir.walk_expr(expr))


def url_variables(function: ir.Function) -> frozenset[str]:
    """Locals holding a URL parameter (`const { id } = req.params`) or all of them (`params`)."""
    requests = request_names(function)
    found = set(params_aliases(function))
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and url_read(stmt.value, frozenset(found), requests):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(found)


def params_aliases(function: ir.Function) -> frozenset[str]:
    """Locals holding the URL parameters whole: `const params = req.params`, a destructured
    request's `params` (`({ params }, res) => params.id`)."""
    requests = request_names(function)
    found = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None \
                and _request_part(stmt.value, frozenset({_URL}), requests):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(found)


# NestJS parameter decorators that hand a handler the request object itself
_REQUEST_DECORATORS = frozenset({"Req", "Request"})


def whole_request(expr: ir.Expr, function: ir.Function) -> bool:
    """`orders.load(req)`: the request itself handed on, its URL and body ids with it (a NestJS
    parameter named `request` is the request only with `@Req()`; `@Body() request` is a body)."""
    if not (isinstance(expr, ir.Name) and expr.id in request_names(function)):
        return False
    param = next((p for p in function.params if p.name == expr.id), None)
    decorators = param.decorators if param is not None else ()
    return not decorators or any(ir.last_name(d.func if isinstance(d, ir.Call) else d) in _REQUEST_DECORATORS
                                 for d in decorators)

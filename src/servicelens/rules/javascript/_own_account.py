"""Handlers that act on the caller's own account: the record they change is the signed-in caller's.

    accounts.remove(req.user)                         the caller itself, handed to the call that acts
    User.update({ name }, { where: { id: req.user.id } })   a lookup keyed by the caller's own id
    users.deactivate(currentUser)                     NestJS: a parameter a principal decorator fills

and the client names no record by its key (`req.params.id`, `req.body.userId`): a self-service
change (delete my account, open my billing portal) needs no role, since any signed-in user may
do it to themselves. A call that only records who acted (`logger.info(..., req.user.id)`,
`emitEvent({ userId: req.user.id })`) looks nothing up by the caller and does not count.
"""
from __future__ import annotations

import re

from servicelens import ir
from servicelens.rules.javascript import _client_ids as client

# where Express, Koa and Fastify handlers find the signed-in caller, and the caller's fields that
# are the caller itself (not `req.session`, `req.auth.scopes`: context, not identity)
_HOLDERS = frozenset({"req", "request", "ctx.state", "res.locals", "ctx"})
_CALLER = frozenset({"user", "currentUser", "principal", "account", "caller"})
_CLIENT_PARTS = frozenset({"body", "query", "params"})
_OWN_KEYS = frozenset({"id", "_id", "uuid", "userId", "user_id", "sub"})
# calls that record who acted rather than find what to act on
_RECORDING = re.compile(r"(?i)^(?:log|logger|console|audit\w*|emit\w*|track\w*|telemetry|metrics?|analytics|"
                        r"publish|notify|send\w*|info|warn|error|debug)$")
# NestJS parameter decorators that hand a handler what the client sent; any other
# (`@CurrentUser()`, `@AuthUser()`) hands it the signed-in principal
_CLIENT_DECORATORS = frozenset({"Param", "Body", "Query", "Headers", "Req", "Request", "Res", "Response", "Next",
                                "Ip", "HostParam", "UploadedFile", "UploadedFiles", "Args", "Context", "Session"})


def acts_on_caller(family: list[ir.Function]) -> bool:
    """`family`: a handler and the functions nested in it. True when it hands the caller itself to a
    call that acts, with nothing the client sent beside it (`invite(req.body, req.user)` acts on
    whom the body names, the caller only inviting), and reads no record id the client chose."""
    principals = {p.name for f in family for p in f.params if principal_param(p)}
    handed = False
    for function in family:
        requests = client.request_names(function)
        sent = _sent_locals(function, requests)
        for stmt in ir.walk_stmts(function.body):
            for root in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(root):
                    if client.client_id(node, requests):
                        return False
                    if isinstance(node, ir.Call) and not _records(node) \
                            and any(_caller_in(arg, principals) for arg in node.args):
                        if any(_sent(arg, requests, sent) for arg in node.args):
                            return False
                        handed = True
    return handed


def _sent(expr: ir.Expr, requests: frozenset[str], sent: frozenset[str]) -> bool:
    """`req.body`, `req.query.email`, or a local holding a part of one."""
    return any(isinstance(node, ir.Name) and node.id in sent or isinstance(node, ir.Attr)
               and node.attr in _CLIENT_PARTS and (ir.dotted_name(node.value) or "") in requests | {"ctx.request", "ctx"}
               for node in ir.walk_expr(expr))


def _sent_locals(function: ir.Function, requests: frozenset[str]) -> frozenset[str]:
    """Locals assigned from what the client sent (`const { email } = req.body`)."""
    found: set[str] = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and _sent(stmt.value, requests, frozenset(found)):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(found)


def _records(call: ir.Call) -> bool:
    """`logger.info(...)`, `emitEvent(...)`, `this.audit.record(...)`: a call that notes who acted,
    or a constructor stamping the caller on a new record."""
    if isinstance(call.func, ir.Name) and call.func.id[:1].isupper():
        return True  # `new AuditEntry({ actor: req.user })`: the caller stamped on a new record
    dotted = ir.dotted_name(call.func) or ""
    return any(_RECORDING.match(part) for part in dotted.split(".")) or dotted.endswith("Event")


def _caller_in(arg: ir.Expr, principals: set[str]) -> bool:
    """The argument is the caller or its own key, or an options object keying a lookup by one
    (`{ where: { id: req.user.id } }`)."""
    if isinstance(arg, ir.Await):
        arg = arg.value
    if isinstance(arg, ir.DictExpr):
        return any(value is not None and _caller_in(value, principals) for value in arg.values)
    return caller_itself(arg, principals)


def caller_itself(expr: ir.Expr, principals: set[str]) -> bool:
    """`req.user`, `req.user.id`, `ctx.state.user`, a principal parameter or its `.id`."""
    if isinstance(expr, ir.Attr) and expr.attr in _OWN_KEYS:
        expr = expr.value
    if isinstance(expr, ir.Name):
        return expr.id in principals
    return isinstance(expr, ir.Attr) and expr.attr in _CALLER and (ir.dotted_name(expr.value) or "") in _HOLDERS


def principal_param(param: ir.Param) -> bool:
    """A parameter a non-client decorator fills (`@CurrentUser() user`, `@UserEntity() user`): the caller."""
    for decorator in param.decorators:
        name = ir.last_name(decorator.func if isinstance(decorator, ir.Call) else decorator) or ""
        if name and name not in _CLIENT_DECORATORS:
            return True
    return False

"""Broken object-level authorization: an authenticated Express route that loads, changes or
deletes the record named in the URL without checking it belongs to the caller.

## What it finds
A route with authentication middleware whose handler looks a record up by an id from
`req.params` (`Model.findById(req.params.id)`, `findOne({ _id: id })`, `findByPk`,
`findUnique({ where: { id } })`, `findByIdAndUpdate/Delete`, `destroy`) and never reads the
caller (`req.user`, `req.auth`, `req.session`, `res.locals.user`) nor calls an authorization
helper. Reads are reported for records that belong to someone (orders, invoices, accounts,
messages, documents, ...); writes and deletes for any record.

## Why it matters
Being logged in is not being the owner: any user changes the number in the URL and reads or
deletes everyone else's data. It is the most exploited API flaw (OWASP API1).

## Example
```js
router.get('/orders/:id', requireAuth, async (req, res) => {
  res.json(await Order.findById(req.params.id));
});
```
Use instead:
```js
router.get('/orders/:id', requireAuth, async (req, res) => {
  const order = await Order.findOne({ _id: req.params.id, userId: req.user.id });
  if (!order) return res.sendStatus(404);
  res.json(order);
});
```

## Fix
Scope the query by the caller (`userId: req.user.id`), or load the record and compare its
owner with `req.user` before using it (404 when it is not theirs).

Raw SQL that selects, updates or deletes one row by its key (`WHERE id = $1`) counts as a
lookup; NestJS `@Param()` parameters are URL ids. A route behind middleware, guards or hooks
decided in another file is taken as authenticated.

## Known problems
A lookup inside a called service or DAO is not seen (the rule reads the handler); an
ownership check inside a called helper counts only if the helper reads the caller itself.
"""
from __future__ import annotations

import re
from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, iter_calls
from servicelens.rules.javascript._node import express_routes, handler_functions, location, request_field
from servicelens.rules.python._common import words
from servicelens.taint.scope import ModuleScope

_LOOKUPS = frozenset({"findById", "findByPk", "findOne", "findUnique", "findFirst", "findByIdAndUpdate",
                      "findByIdAndDelete", "findByIdAndRemove", "findOneAndUpdate", "findOneAndDelete", "destroy",
                      "deleteOne", "updateOne", "findOneBy", "findOneOrFail"})
_WRITES = re.compile(r"Update|Delete|Remove|destroy|deleteOne|updateOne")
_CALLER = frozenset({"user", "auth", "session", "principal", "currentUser", "account", "userId", "locals"})
_CHECKS = re.compile(r"(?i)authori[sz]e|permission|ability|can[A-Z_]|owner|assert(Access|Owner)|policy|forbid")
_OWNED = frozenset({"order", "orders", "invoice", "invoices", "account", "accounts", "message", "messages", "document",
                    "documents", "note", "notes", "file", "files", "payment", "payments", "profile", "address",
                    "card", "ticket", "booking", "reservation", "transaction", "cart", "subscription", "contribution",
                    "allocation", "memo", "user", "wallet", "statement", "report", "upload", "attachment"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    # a route behind middleware or hooks decided project-wide (imported `requireAuth`,
    # `fastify.authenticate`) is taken as authenticated: BOLA is about signed-in callers, and an
    # unauthenticated one is missing-authentication's finding
    guarded = {route.qualname for route in express_routes(scope)
               if route.auth == "required" or (route.auth == "unknown" and route.principal_refs)}
    for function in handler_functions(module, scope):
        handler = scope.handlers.get(function.qualname)
        if handler is None or function.qualname not in guarded or _reads_caller(module, scope, function.qualname):
            continue
        ids = _param_variables(function) | {name for name, label in handler.source_params
                                            if label.startswith("URL parameter")}
        for call in iter_calls(function.body):
            if not isinstance(call.func, ir.Attr) or (call.func.attr not in _LOOKUPS and not _sql_by_id(call)):
                continue
            if not any(_from_params(arg, ids) for arg in call.args):
                continue
            model = (ir.dotted_name(call.func.value) or "").rsplit(".", 1)[-1]
            if _sql_by_id(call):
                model = _SQL_BY_ID.search(str(call.args[0].value)).group(1)  # type: ignore[union-attr]
            writes = bool(_WRITES.search(call.func.attr)) or any(m in ("PUT", "PATCH", "DELETE") for m in handler.methods)
            if not writes and not set(words(model)) & _OWNED:
                continue
            yield make_finding(
                "broken-object-authorization", location(module, call),
                f"`{model}.{call.func.attr}` uses the id from the URL without checking the record is the caller's",
                "Any signed-in user can change the id in the URL and read or change other users' records.",
                severity=Severity.HIGH, confidence=Confidence.MEDIUM,
                fix=Fix("Scope the lookup by the caller (or compare the record's owner with req.user) and answer "
                        "404 when it is not theirs.",
                        f"const record = await {model}.findOne({{ _id: req.params.id, userId: req.user.id }});\n"
                        "if (!record) return res.sendStatus(404);", "javascript"),
                rule=RULE.id, key=f"{function.qualname}|{model}.{call.func.attr}",
            )
            break


_SQL_BY_ID = re.compile(r"(?is)^\s*(?:select\b.*?\bfrom|update|delete\s+from)\s+\"?(\w+)\"?.*?\bwhere\s+"
                        r"(?:\w+\.)?\"?(?:id|\w+_id|uuid)\"?\s*=\s*(?:\$1|\?|:\w+)\s*(?:;|\s*$|\s+limit\b|\s+returning\b)")


def _sql_by_id(call: ir.Call) -> bool:
    """`pool.query('SELECT * FROM orders WHERE id = $1', [id])`: one row by its key, nothing else."""
    first = call.args[0] if call.args else None
    return isinstance(call.func, ir.Attr) and call.func.attr in ("query", "execute") and \
        isinstance(first, ir.Const) and isinstance(first.value, str) and bool(_SQL_BY_ID.search(first.value))


def _reads_caller(module: ir.Module, scope: ModuleScope, qualname: str) -> bool:
    """Does the handler, or a function nested in it, read who the caller is or ask a policy?"""
    for function in module.functions:
        if function.qualname != qualname and not function.qualname.startswith(qualname + ".<locals>."):
            continue
        for stmt in ir.walk_stmts(function.body):
            for expr in ir.stmt_exprs(stmt):
                for node in ir.walk_expr(expr):
                    if isinstance(node, ir.Attr) and node.attr in _CALLER and \
                            (ir.dotted_name(node.value) or "") in ("req", "request", "res.locals", "ctx.state"):
                        return True
                    if isinstance(node, ir.Call) and _CHECKS.search(ir.dotted_name(node.func) or ""):
                        return True
    return False


def _param_variables(function: ir.Function) -> frozenset[str]:
    """Variables holding a URL parameter: `const { id } = req.params`, `const id = req.params.id`."""
    found = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None and _from_params(stmt.value, frozenset()):
            found.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(found)


def _from_params(expr: ir.Expr, ids: frozenset[str]) -> bool:
    for node in ir.walk_expr(expr):
        if isinstance(node, ir.Attr) and request_field(node.value, "params"):
            return True
        if isinstance(node, ir.Name) and node.id in ids:
            return True
    return False


RULE = Rule("js-broken-object-authorization", frozenset({"broken-object-authorization"}), "javascript", check,
            requires=("params",))

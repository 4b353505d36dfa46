"""A hook that hands the request (or its headers) to a project verifier and refuses when it fails.

    fastify.addHook('preHandler', async (req, reply) => {
      try { req.client = await validateExportRequest(req.headers); }
      catch (e) { return reply.status(401).send({ error: 'Unauthorized' }); }
    });
    const ok = await checkApiKey(req); if (!ok) return res.status(403).end();
    const token = await find(bearerOf(ctx.request.headers));
    assertThat(token, new RequestError({ code: 'auth.unauthorized', status: 401 }));

Whatever the verifier is called and wherever it lives, the hook ties a 401/403 to its failure:
the refusal sits in the `catch` of the `try` that calls it, in the branch taken when its
result (or the local bound to it) is falsy, or in an assertion of a value computed from that
result whose error carries a 401/403. That is a sign-in check, read by the hook's own
body: a call whose failure leads to a 500 or a 400, or a 401 not tied to the call, is not one; nor is
a call handed only what the client asks for (a URL parameter, a query or body field: `if
(!isValidSecretId.test(id)) return reply.code(403)` checks the id's shape, not who sends it).
"""
from __future__ import annotations

from collections.abc import Iterator

from servicelens import ir

_REFUSAL_CODES = frozenset({401, 403})
_HANDED_ATTRS = frozenset({"headers", "raw"})  # `req.headers`, `req.raw` (the Node request)


def handed_verifier(family: list[ir.Function], params: set[str]) -> str:
    """`hands the request headers to validateExportRequest() and answers 401 when it fails`, or ""."""
    for function in family:
        params = params | _request_locals(function, params)
        if found := _asserted(function, params):
            return found
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Try) and any(_refuses(h.body) for h in stmt.handlers):
                for call, what in _handing_calls(stmt.body, params):
                    return f"hands {what} to {_name(call)}()"
            if isinstance(stmt, ir.If) and _refuses(stmt.body):
                negated = _negated(stmt.test)
                call = negated if isinstance(negated, ir.Call) else _bound_call(function, negated)
                what = _handed(call, params) if call is not None else ""
                if call is not None and what:
                    return f"hands {what} to {_name(call)}()"
    return ""


# parts of a request that carry what the client asks for, not who it is: a URL parameter checked
# against a pattern (`isValidSecretId.test(id)` answering 403) verifies no caller
_PAYLOAD_PARTS = frozenset({"params", "query", "body"})


def _request_locals(function: ir.Function, params: set[str]) -> set[str]:
    """`const { request } = ctx` (`request = ctx.request`): a local holding part of the request,
    other than its payload (`const { id } = request.params`)."""
    return {t.id for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Assign)
            and isinstance(stmt.value, ir.Attr) and (parts := (ir.dotted_name(stmt.value) or "").split("."))[0] in params
            and not _PAYLOAD_PARTS.intersection(parts[1:])
            for t in stmt.targets if isinstance(t, ir.Name)}


def _asserted(function: ir.Function, params: set[str]) -> str:
    """`const v = bearerOf(request.headers); const t = await find(v); assertThat(t, new
    RequestError({ status: 401 }))`: a 401/403 raised by an assertion of a value derived from the
    handed call's result."""
    derived: set[str] = set()
    source = None
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            calls = [n for n in ir.walk_expr(stmt.value) if isinstance(n, ir.Call) and _handed(n, params)]
            if calls or any(isinstance(n, ir.Name) and n.id in derived for n in ir.walk_expr(stmt.value)):
                derived |= {t.id for t in stmt.targets if isinstance(t, ir.Name)}
                source = source or (calls[0] if calls else None)
        elif isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Call) and derived and source is not None:
            call = stmt.value
            first = call.args[0] if call.args else None
            if first is not None and any(isinstance(n, ir.Name) and n.id in derived for n in ir.walk_expr(first)) \
                    and any(isinstance(n, ir.Const) and n.value in _REFUSAL_CODES and not isinstance(n.value, bool)
                            for arg in call.args[1:] for n in ir.walk_expr(arg)):
                return f"hands {_handed(source, params)} to {_name(source)}()"
    return ""


def _name(call: ir.Call) -> str:
    return ir.dotted_name(call.func) or ir.last_name(call.func) or "<call>"


def _handing_calls(body: tuple[ir.Stmt, ...], params: set[str]) -> Iterator[tuple[ir.Call, str]]:
    for stmt in ir.walk_stmts(body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Call) and (what := _handed(node, params)):
                    yield node, what


def _handed(call: ir.Call, params: set[str]) -> str:
    """What of the request the call is given: "the request", "the request headers", or ""."""
    if _log_like(call):
        return ""
    for arg in call.args:
        if isinstance(arg, ir.Name) and arg.id in params:
            return "the request"
        # `req.headers`, `ctx.request.headers`, `request.raw`
        if isinstance(arg, ir.Attr) and arg.attr in _HANDED_ATTRS \
                and (ir.dotted_name(arg) or "").split(".")[0] in params:
            return "the request headers" if arg.attr == "headers" else "the request"
    return ""


def _log_like(call: ir.Call) -> bool:
    parts = (ir.dotted_name(call.func) or "").lower().split(".")
    return any("log" in part or part == "console" for part in parts)


def _negated(test: ir.Expr) -> ir.Expr | None:
    """`!x`, `!(await x)`, `x === false`: the x the branch is taken when falsy."""
    if isinstance(test, ir.Unary) and test.op == "not":
        inner = test.operand
        return inner.value if isinstance(inner, ir.Await) else inner
    if isinstance(test, ir.Compare) and len(test.ops) == 1 and test.ops[0] == "==" \
            and isinstance(test.comparators[0], ir.Const) and test.comparators[0].value in (False, None):
        return test.left.value if isinstance(test.left, ir.Await) else test.left
    return None


def _bound_call(function: ir.Function, expr: ir.Expr | None) -> ir.Call | None:
    """The call a local was bound to once (`const ok = await verify(req)`)."""
    if not isinstance(expr, ir.Name):
        return None
    bound = [stmt.value for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Assign) and stmt.value is not None
             and any(isinstance(t, ir.Name) and t.id == expr.id for t in stmt.targets)]
    if len(bound) != 1:
        return None
    value = bound[0].value if isinstance(bound[0], ir.Await) else bound[0]
    return value if isinstance(value, ir.Call) else None


def _refuses(body: tuple[ir.Stmt, ...]) -> bool:
    """The block answers 401/403 (`reply.status(401)`, `res.sendStatus(403)`, `ctx.throw(401)`,
    `ctx.status = 401`)."""
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Const) and stmt.value.value in _REFUSAL_CODES \
                and any(isinstance(t, ir.Attr) and t.attr == "status" for t in stmt.targets):
            return True
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Call) and any(isinstance(a, ir.Const) and a.value in _REFUSAL_CODES
                                                     for a in node.args):
                    return True
    return False

"""Does a branch refuse the request? One reading for the rules that ask it of the block a check
guards (an attempt limit, a signed request, a count held against a limit).

A block refuses when it raises, calls `abort(...)` (Flask/werkzeug and the project's own
`*_abort` helpers), or returns a failure: nothing, `None`/`False`, a `(None, message)` pair, or a
value naming a 4xx status, as a number (`status=409`) or a name (`HTTP_403_FORBIDDEN`,
`HttpResponseForbidden`).
"""
from __future__ import annotations

import re

from servicelens import ir
from servicelens.rules.python._common import words

_CLIENT_ERROR_NAME = re.compile(r"(?i)(HTTP_4\d\d|unauthori[sz]ed|forbidden|bad_?request|conflict|too_?many_?requests)")


def refuses(body: tuple[ir.Stmt, ...]) -> bool:
    """The block (or a block nested in it) raises, aborts or returns a failure."""
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Raise):
            return True
        if isinstance(stmt, ir.ExprStmt) and _aborts(stmt.value):
            return True
        if isinstance(stmt, ir.Return) and (_failure(stmt.value) or _aborts(stmt.value)):
            return True
    return False


def _aborts(value: ir.Expr | None) -> bool:
    return isinstance(value, ir.Call) and "abort" in words(ir.last_name(value.func) or "")


def _failure(value: ir.Expr | None) -> bool:
    if value is None or isinstance(value, ir.Const) and (value.value is None or value.value is False):
        return True
    if isinstance(value, ir.Seq) and value.kind == "tuple" and value.elts and _failure(value.elts[0]):
        return True
    return any(isinstance(n, ir.Const) and type(n.value) is int and 400 <= n.value < 500
               or isinstance(n, (ir.Name, ir.Attr)) and bool(_CLIENT_ERROR_NAME.search(ir.last_name(n) or ""))
               for n in ir.walk_expr(value))

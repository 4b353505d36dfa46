"""Is a function given to `app.use(path, fn)` the answer for that path, rather than a middleware?

Express runs a `use` function for every method of every URL under its path. A middleware hands
the request on (`next()`); a function that answers it itself (`res.sendFile(...)`, `res.json(...)`)
and never hands it on is the endpoint for that path, whatever the method:

    app.use('/ftp/:file', (req, res) => res.sendFile(resolve('ftp', req.params.file)))   endpoint
    app.use('/files', serveFile())         where serveFile returns such a function          endpoint
    app.use('/api', (req, res, next) => { if (!req.user) return res.sendStatus(401); next() })   middleware

Only functions this module defines are judged: an imported one may be either.
"""
from __future__ import annotations

from servicelens import ir

# what answers a request on Express's response object
_ANSWERS = frozenset({"send", "json", "jsonp", "sendFile", "download", "render", "redirect", "end", "sendStatus"})


def answers_request(function: ir.Function, functions: dict[str, ir.Function]) -> bool:
    """`function` (a handler, or a factory returning one defined in it) answers on its response
    parameter and never hands the request on (`next()`; `next(err)` reports a failure)."""
    handler = _returned_handler(function, functions) or function
    if len(handler.params) < 2:
        return False
    response = handler.params[1].name
    onward = handler.params[2].name if len(handler.params) > 2 else ""
    answered = False
    # its callbacks too: `.then((rows) => res.json(rows))`, `.catch((err) => next(err))`
    nested = [f.body for key, f in functions.items() if key.startswith(f"{handler.qualname}.<locals>.")]
    for stmt in (s for body in (handler.body, *nested) for s in ir.walk_stmts(body)):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if onward and isinstance(node, ir.Call) and isinstance(node.func, ir.Name) \
                        and node.func.id == onward and not node.args:
                    return False  # `next()` hands the request on; `next(err)` only reports a failure
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _ANSWERS \
                        and _root(node.func.value) == response:
                    answered = True
    return answered


def _returned_handler(function: ir.Function, functions: dict[str, ir.Function]) -> ir.Function | None:
    """The function a factory returns (`function serveFile() { return (req, res) => ... }`)."""
    for stmt in function.body:
        if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name):
            return functions.get(f"{function.qualname}.<locals>.{stmt.value.id}")
    return None


def _root(expr: ir.Expr) -> str:
    """`res` in `res.status(404).json(...)`."""
    while isinstance(expr, (ir.Call, ir.Attr)):
        expr = expr.func if isinstance(expr, ir.Call) else expr.value
    return expr.id if isinstance(expr, ir.Name) else ""

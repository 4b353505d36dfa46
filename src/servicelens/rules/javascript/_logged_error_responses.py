"""An outbound write whose error response is only logged: the function returns as if it worked.

    const r = await fetch(`${base}/objects/${key}`, { method: 'POST', body: data });
    const j = await r.json();
    if (j.error) this.logger.error(`${j.error}: ${j.message}`);     // and the upload "succeeds"

`fetch` (and other clients that answer an error status instead of rejecting) resolve with the
error response: the caller learns of the failure only by testing it. A test of the response
(`j.error`, `!r.ok`, `r.status >= 400`) whose branch only logs, in a function that sent data
(POST, PUT, PATCH, DELETE), is a failure detected and dropped: the function returns normally,
and its caller records a write that never happened. Used by swallowed_exception.py.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from servicelens import ir
from servicelens.rules.python._common import words

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_ERROR_FIELDS = frozenset({"error", "errors", "ok", "status", "statusCode"})
# words of a receiver that logs (`this.logger`, `fastify.log`, `console`)
_LOGGER_WORDS = frozenset({"log", "logger", "logging", "console"})
# logger methods (`logger.error`, `console.warn`): shared with swallowed_exception.py
LOG_METHODS = frozenset({"log", "info", "warn", "warning", "error", "debug", "trace", "fatal", "verbose"})
_BODY_READERS = frozenset({"json", "text", "arrayBuffer", "blob"})


@dataclass(frozen=True, slots=True)
class LoggedErrorResponse:
    line: int  # the test of the response
    request: str  # the client call, as written (`fetch`)
    method: str


def logged_error_responses(function: ir.Function, http_calls: frozenset[str]) -> Iterator[LoggedErrorResponse]:
    """Each test of a write request's response in the function's own body whose branch only logs."""
    responses: dict[str, tuple[str, str]] = {}  # variable -> (request, method)
    for stmt in function.body:
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Await) and isinstance(stmt.value.value, ir.Call):
            sent = _write_request(stmt.value.value, http_calls, responses)
            if sent is not None:
                responses.update((t.id, sent) for t in stmt.targets if isinstance(t, ir.Name))
            continue
        if isinstance(stmt, ir.If) and not stmt.orelse and stmt.body and all(_logs(s) for s in stmt.body):
            tested = _tested_response(stmt.test, responses)
            if tested is not None:
                yield LoggedErrorResponse(stmt.line, *tested)


def _write_request(call: ir.Call, http_calls: frozenset[str],
                   responses: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """(request, method) of `fetch(url, { method: 'POST' })`, `axios.put(...)`, or of the response
    whose body `r.json()` reads; None for a read or anything else."""
    func = call.func
    if isinstance(func, ir.Attr) and func.attr in _BODY_READERS and isinstance(func.value, ir.Name):
        return responses.get(func.value.id)
    dotted = ir.dotted_name(func) or ""
    if dotted not in http_calls and ir.last_name(func) != "fetch":
        return None
    verb = dotted.rsplit(".", 1)[-1].upper()
    if verb in _WRITE_METHODS:
        return dotted, verb
    for arg in call.args[1:]:
        method = ir.option(arg, "method")
        if isinstance(method, ir.Const) and isinstance(method.value, str) and method.value.upper() in _WRITE_METHODS:
            return dotted or "fetch", method.value.upper()
    return None


def _tested_response(test: ir.Expr, responses: dict[str, tuple[str, str]],
                     negated: bool = False) -> tuple[str, str] | None:
    """The response a test finds failed: `j.error`, `!r.ok`, `r.ok === false`, `r.status >= 400`,
    `r.status !== 200`. A test of success (`r.ok`, `r.status === 201`) whose branch logs is a
    success logged, not a failure dropped."""
    if isinstance(test, ir.Unary) and test.op == "not":
        return _tested_response(test.operand, responses, not negated)
    if isinstance(test, ir.BoolOp):
        return next((found for value in test.values
                     if (found := _tested_response(value, responses, negated)) is not None), None)
    if isinstance(test, ir.Compare) and len(test.comparators) == 1:
        field, op, other = _field_compared(test)
        sent = _field_of(field, responses)
        if sent is None or field is None or not isinstance(other, ir.Const):
            return None
        if field.attr == "ok":
            fails = op in ("==", "is") and other.value is False or op in ("!=", "is not") and other.value is True
        elif field.attr in ("status", "statusCode") and type(other.value) is int:
            fails = op == "!=" or op in (">=", ">") and other.value >= 299 or op == "==" and other.value >= 400
        else:  # `j.error != null`
            fails = op in ("!=", "is not") and other.value is None
        return sent if fails != negated else None
    sent = _field_of(test, responses)
    if sent is None or not isinstance(test, ir.Attr):
        return None
    fails = test.attr == "ok" if negated else test.attr in ("error", "errors")
    return sent if fails else None


def _field_compared(test: ir.Compare) -> tuple[ir.Attr | None, str, ir.Expr]:
    """The response field a comparison tests, its operator as if the field were on the left, and
    what it is compared with."""
    left, right, op = test.left, test.comparators[0], test.ops[0]
    if isinstance(left, ir.Attr):
        return left, op, right
    flipped = {">": "<", "<": ">", ">=": "<=", "<=": ">="}.get(op, op)
    return (right, flipped, left) if isinstance(right, ir.Attr) else (None, op, right)


def _field_of(expr: ir.Expr | None, responses: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    if isinstance(expr, ir.Attr) and expr.attr in _ERROR_FIELDS and isinstance(expr.value, ir.Name):
        return responses.get(expr.value.id)
    return None


def _logs(stmt: ir.Stmt) -> bool:
    """`logger.error(...)`, `this.logger.warn(...)`, `console.error(...)`: a statement that only logs."""
    if not isinstance(stmt, ir.ExprStmt) or not isinstance(stmt.value, ir.Call):
        return False
    func = stmt.value.func
    if not isinstance(func, ir.Attr) or func.attr not in LOG_METHODS:
        return False
    # judged by the receiver's words, not a substring: `this.logger`, `app.log`, `auditLog` log;
    # `catalog.error(...)` or `dialog.warn(...)` are calls on objects that merely contain the letters
    receiver = words(ir.dotted_name(func.value) or "")
    return bool(receiver) and (receiver[-1] == "console" or bool(_LOGGER_WORDS & set(receiver)))

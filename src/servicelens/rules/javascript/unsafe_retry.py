"""Unsafe retry: a loop that repeats an outbound HTTP request after it failed, either at once
(no delay between attempts) or, for a POST/PATCH, without an idempotency key.

## What it finds
A `for`/`while` loop whose body sends a request (`fetch`, `axios.post`, `client.post`, `got`
...) inside a `try` whose `catch` lets the loop go round again, when
- nothing in the loop waits between attempts (`await sleep(...)`, `setTimeout`, a backoff
  helper), or
- the request creates something (POST or PATCH) and the function sends no `Idempotency-Key`.
The request may be sent by a function or method of the same module the loop calls (a wrapper
around the client). Reported at the loop. Retries handed to a helper that backs off (`withRetry(fn, { ... })`)
are the helper's business and are not reported here.

## Why it matters
A timeout does not mean the server did nothing: the charge may have been captured before the
connection dropped, and the retry charges the card again. Retrying at once, from every
instance, turns a struggling dependency's slow minute into an outage (a retry storm).

## Example
```js
for (let attempt = 0; attempt < 3; attempt++) {
  try {
    return await fetch(`${base}/v1/charges`, { method: 'POST', body });
  } catch (err) { last = err; }
}
```
Use instead:
```js
for (let attempt = 0; attempt < 3; attempt++) {
  try {
    return await fetch(`${base}/v1/charges`, { method: 'POST', body, headers: { 'Idempotency-Key': key } });
  } catch (err) { last = err; await sleep(2 ** attempt * 200 + Math.random() * 100); }
}
```

## Fix
Send an idempotency key that stays the same across attempts (derived from the order or
payment id), wait with exponential backoff and jitter between attempts, and retry only errors
that may be transient.

## Known problems
A key added by an interceptor of the client, or a delay inside a called helper, is not seen.
A request sent through a wrapper is followed one call deep and within the module only (a
function or method of the same file whose body sends it: `call('/charges', {...})`,
`this.send(msg)`) when the attempt leaves the loop on success (`return await call(...)`, a
`break`); its method is then unknown unless the call passes one, so only the missing
delay is reported for it.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Severity
from servicelens.rules.base import Rule, iter_calls
from servicelens.rules.javascript._node import const_str, literal_text, location, option
from servicelens.rules.python._common import is_dev_path, words
from servicelens.taint.scope import ModuleScope

_SENDS = frozenset({"fetch", "got", "request", "post", "put", "patch", "get", "delete"})
_CREATES = frozenset({"post", "patch"})
_WAITS = frozenset({"sleep", "delay", "wait", "backoff", "settimeout", "pause"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_dev_path(module.path):
        return
    senders = _senders(module)
    for function in module.functions:
        keyed = _sends_idempotency_key(function)
        for loop in ir.walk_stmts(function.body):
            if not isinstance(loop, (ir.For, ir.While)):
                continue
            request = _retried_request(loop, senders)
            if request is None:
                continue
            waits = _waits(module, loop)
            creates = _method(request) in _CREATES
            if waits and (keyed or not creates):
                continue
            problem = "without an idempotency key" if creates and not keyed else "with no delay between attempts"
            yield make_finding(
                "unsafe-retry", location(module, ir.Const(loop.line, 0, None)),
                f"A {_method(request).upper() or 'project-wrapped'} request is retried {problem}",
                "A failed attempt may have reached the server: retrying a POST without an idempotency key repeats "
                "the charge or the order; retrying at once from every instance piles load on a struggling "
                "dependency.",
                severity=Severity.HIGH if creates and not keyed else Severity.MEDIUM, confidence=Confidence.MEDIUM,
                fix=Fix("Send one idempotency key for every attempt, wait with exponential backoff and jitter, and "
                        "retry only transient errors.",
                        "headers: { 'Idempotency-Key': key },\n"
                        "// ...\n"
                        "await new Promise((r) => setTimeout(r, 2 ** attempt * 200 + Math.random() * 100));",
                        "javascript"),
                rule=RULE.id, key=f"{function.qualname}|{module.line_text(loop.line)}",
            )


def _retried_request(loop: ir.For | ir.While, senders: frozenset[str]) -> ir.Call | None:
    """The request sent inside a `try` of the loop body whose `catch` lets the loop go on: sent
    there, or by a function of the module that sends one (`call('/charges', {...})`,
    `this.send(msg)`)."""
    for stmt in ir.walk_stmts(loop.body):
        if not isinstance(stmt, ir.Try) or not stmt.handlers:
            continue
        if any(isinstance(s, ir.Raise) for s in stmt.handlers[0].body):
            continue  # every failure is rethrown: nothing is retried
        for call in iter_calls(stmt.body):
            if (ir.last_name(call.func) or "") in _SENDS and call.args and _looks_like_request(call) \
                    or (_local_name(call.func) in senders and _leaves_on_success(stmt)):
                return call
    return None


def _leaves_on_success(attempt: ir.Try) -> bool:
    """`try { return await call(...) }` (or a `break`): success leaves the loop, so going round
    again is a retry, not the next item of a batch."""
    return any(isinstance(s, ir.Return) or (isinstance(s, ir.Jump) and s.kind == "break")
               for s in ir.walk_stmts(attempt.body))


def _local_name(func: ir.Expr) -> str:
    """`call` of `call(...)`, `send` of `this.send(...)`: a function the module may define; ''."""
    if isinstance(func, ir.Name):
        return func.id
    if isinstance(func, ir.Attr) and isinstance(func.value, ir.Name) and func.value.id == "self":
        return func.attr
    return ""


def _senders(module: ir.Module) -> frozenset[str]:
    """Names of the module's functions and methods whose own body sends an outbound request: a
    wrapper the retry loop calls instead of the client."""
    return frozenset(f.name for f in module.functions if any(
        (ir.last_name(call.func) or "") in _SENDS and call.args and _looks_like_request(call)
        for call in iter_calls(f.body)))


def _looks_like_request(call: ir.Call) -> bool:
    """`fetch(url, ...)` or `<client>.post(path, ...)`: a URL or path first."""
    first = call.args[0]
    text = literal_text(first)
    name = ir.last_name(call.func)
    return name == "fetch" or text.startswith(("/", "http")) or (isinstance(first, ir.Call) and
                                                                  ir.last_name(first.func) == "URL")


def _method(call: ir.Call) -> str:
    """The HTTP method; '' for a project wrapper called without one (which it sends is its own
    business: not taken to create anything)."""
    name = (ir.last_name(call.func) or "").lower()
    if name in ("post", "put", "patch", "get", "delete"):
        return name
    options = call.args[1] if len(call.args) > 1 else None
    given = const_str(option(options, "method"))
    return given.lower() if given else "get" if name in _SENDS else ""


def _waits(module: ir.Module, loop: ir.For | ir.While) -> bool:
    """A wait in the loop, or in a callback written in it (`new Promise((r) => setTimeout(r, ms))`)."""
    inner = [f.body for f in module.functions if loop.line <= f.line <= loop.end_line]
    return any(set(words(ir.last_name(call.func) or "")) & _WAITS or (ir.last_name(call.func) or "").lower()
               in _WAITS for body in [loop.body, *inner] for call in iter_calls(body))


def _sends_idempotency_key(function: ir.Function) -> bool:
    for stmt in ir.walk_stmts(function.body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Const) and isinstance(node.value, str) and "idempotency" in node.value.lower():
                    return True
    return False


RULE = Rule("js-unsafe-retry", frozenset({"unsafe-retry"}), "javascript", check)

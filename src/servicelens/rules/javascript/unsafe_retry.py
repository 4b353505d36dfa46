"""Unsafe retry: a loop that repeats an outbound HTTP request after it failed, either at once
(no delay between attempts) or, for a POST/PATCH, without an idempotency key.

## What it finds
A `for`/`while` loop whose body sends a request (`fetch`, `axios.post`, `client.post`, `got`
...) inside a `try` whose `catch` lets the loop go round again, when
- nothing in the loop waits between attempts (`await sleep(...)`, `setTimeout`, a backoff
  helper), or
- the request creates something (POST or PATCH) and the function sends no `Idempotency-Key`.
Reported at the loop. Retries handed to a helper that backs off (`withRetry(fn, { ... })`)
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
    for function in module.functions:
        keyed = _sends_idempotency_key(function)
        for loop in ir.walk_stmts(function.body):
            if not isinstance(loop, (ir.For, ir.While)):
                continue
            request = _retried_request(loop)
            if request is None:
                continue
            waits = _waits(module, loop)
            creates = _method(request) in _CREATES
            if waits and (keyed or not creates):
                continue
            problem = "without an idempotency key" if creates and not keyed else "with no delay between attempts"
            yield make_finding(
                "unsafe-retry", location(module, ir.Const(loop.line, 0, None)),
                f"A {_method(request).upper()} request is retried {problem}",
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


def _retried_request(loop: ir.For | ir.While) -> ir.Call | None:
    """The request sent inside a `try` of the loop body whose `catch` lets the loop go on."""
    for stmt in ir.walk_stmts(loop.body):
        if not isinstance(stmt, ir.Try) or not stmt.handlers:
            continue
        if any(isinstance(s, ir.Raise) for s in stmt.handlers[0].body):
            continue  # every failure is rethrown: nothing is retried
        for call in iter_calls(stmt.body):
            if (ir.last_name(call.func) or "") in _SENDS and call.args and _looks_like_request(call):
                return call
    return None


def _looks_like_request(call: ir.Call) -> bool:
    """`fetch(url, ...)` or `<client>.post(path, ...)`: a URL or path first."""
    first = call.args[0]
    text = literal_text(first)
    name = ir.last_name(call.func)
    return name == "fetch" or text.startswith(("/", "http")) or (isinstance(first, ir.Call) and
                                                                  ir.last_name(first.func) == "URL")


def _method(call: ir.Call) -> str:
    name = (ir.last_name(call.func) or "").lower()
    if name in ("post", "put", "patch", "get", "delete"):
        return name
    options = call.args[1] if len(call.args) > 1 else None
    return (const_str(option(options, "method")) or "get").lower()


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

"""Synchronous calls to another service straight from a request handler, with no breaker.

## What it finds
A request handler that calls a remote HTTP dependency synchronously
(`requests.get(...)`, `httpx.post(...)`, `urlopen(...)`) when the module has no circuit
breaker (pybreaker, circuitbreaker, aiobreaker, purgatory) and the call has no fallback
(it is not inside a `try` whose handler answers without re-raising).

## Why it matters
When the dependency hangs, every request to this endpoint holds a worker for the full
timeout. With 8 workers × 4 threads and a 10 s timeout the service handles 3.2
requests/s instead of hundreds, and endpoints that never touch the dependency queue
behind them: one slow downstream takes the whole service down. A breaker fails fast
after a few errors and lets the dependency recover.

## Example
```python
@app.get("/quote")
def quote(sku: str):
    return requests.get(f"{PRICING_URL}/price/{sku}", timeout=10).json()
```

## Fix
Wrap the call in a breaker with a fallback (`pybreaker.CircuitBreaker(fail_max=5,
reset_timeout=30)`), or move it off the request path (queue + worker).

## Known problems
Breakers configured in a service mesh (Istio, Envoy, Linkerd) or a shared client wrapper
in another module are invisible here; declare them or suppress with a reason. Only
direct calls in the handler body are seen.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule
from servicelens.rules.python._common import call_name, const_str, is_test_path
from servicelens.rules.python.rel_shared import assigned_names, stmt_calls
from servicelens.taint.scope import ModuleScope
from servicelens.fixcode.breaker import with_breaker

_SYNC_HTTP = frozenset({f"{lib}.{verb}" for lib in ("requests", "httpx")
                        for verb in ("get", "post", "put", "patch", "delete", "head", "request")}
                       | {"urllib.request.urlopen", "urllib3.request"})
_BREAKERS = ("pybreaker", "circuitbreaker", "aiobreaker", "purgatory", "breaker", "resilience")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or not scope.handlers:
        return
    if any(any(b in imp.target.lower() for b in _BREAKERS) for imp in module.imports):
        return
    for function in module.functions:
        if function.qualname not in scope.handlers or function.is_async:
            continue
        if any("circuit" in (ir.dotted_name(d.func if isinstance(d, ir.Call) else d) or "").lower()
               for d in function.decorators):
            continue
        call = _unprotected_call(function, scope)
        if call is not None:
            yield _finding(module, function, call, call_name(call, scope, function))


def _unprotected_call(function: ir.Function, scope: ModuleScope) -> ir.Call | None:
    fallback_lines: set[int] = set()
    for stmt in ir.walk_stmts(function.body):
        if isinstance(stmt, ir.Try) and any(not any(isinstance(s, ir.Raise) for s in ir.walk_stmts(h.body))
                                            for h in stmt.handlers):
            fallback_lines.update(range(stmt.line, stmt.end_line + 1))
    local_urls = {name: value for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.Assign)
                  and (value := const_str(stmt.value)) for name in assigned_names(stmt)}
    for stmt in ir.walk_stmts(function.body):
        if stmt.line in fallback_lines:
            continue
        for call in stmt_calls(stmt):
            if call_name(call, scope, function) in _SYNC_HTTP and not _calls_itself(call, local_urls):
                return call
    return None


def _calls_itself(call: ir.Call, local_urls: dict[str, str]) -> bool:
    """A request to localhost is the service (or a test harness) calling itself, not a dependency."""
    for arg in (*call.args[:2], call.kwarg("url")):
        value = const_str(arg) or (local_urls.get(arg.id, "") if isinstance(arg, ir.Name) else "")
        if value and any(h in value for h in ("://localhost", "://127.0.0.1", "://0.0.0.0")):
            return True
    return False


def _finding(module: ir.Module, function: ir.Function, call: ir.Call, api: str) -> Finding:
    return make_finding(
        "missing-circuit-breaker", Location(module.path, call.line, call.end_line or call.line),
        f"`{function.name}` calls a remote service with `{api}` on the request path, with no breaker or fallback",
        "When that service hangs, each request here holds a worker for the whole timeout: 8 workers x 4 threads "
        "with a 10 s timeout serve 3.2 requests/s, and endpoints that never call it queue behind them. A breaker "
        "fails fast after a few errors and gives the dependency room to recover.",
        severity=Severity.LOW, confidence=Confidence.MEDIUM,
        fix=_fix(module, call),
        rule=RULE.id, key=f"{function.qualname}:{api}",
    )


def _fix(module: ir.Module, call: ir.Call) -> Fix:
    """The call's own statement, made through a breaker, with the place for its fallback."""
    code = with_breaker("\n".join(module.lines[call.line - 1:(call.end_line or call.line)]),
                        ir.dotted_name(call.func) or "") or ""
    return Fix("Wrap the dependency in a circuit breaker with a fallback answer (or move the call to a worker).",
               code, "python" if code else "")


RULE = Rule("py-missing-circuit-breaker", frozenset({"missing-circuit-breaker"}), "python", check)

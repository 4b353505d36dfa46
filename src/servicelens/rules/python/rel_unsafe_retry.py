"""Retries that hammer a failing dependency, never stop, or repeat a non-idempotent call.

## What it finds
- tenacity `@retry` without `stop=` (tenacity retries forever by default) or without
  `wait=` (no pause between attempts); `@backoff.on_exception` without `max_tries` /
  `max_time`;
- urllib3 `Retry(total=n)` without `backoff_factor`, or allowing POST/PATCH;
- hand-written retry loops (`while True:` / `for attempt in range(n):` around a call that
  breaks or returns on success) with no sleep between attempts, or `while True` with no
  attempt limit;
- any of those retrying a POST or a payment call that carries no idempotency key.

## Why it matters
When a dependency slows down, clients that retry at once multiply its load: 1,000
requests/s retried 5 times without backoff become 6,000 requests/s against a service
that was already failing, turning a blip into an outage. A retry loop without a limit
ties up a worker forever. Retrying a charge whose response was lost charges the card
twice.

## Example
```python
while True:
    try:
        return requests.get(url, timeout=5).json()
    except requests.RequestException:
        continue
```

## Fix
Bound the attempts and back off exponentially with jitter:
`@retry(stop=stop_after_attempt(5), wait=wait_exponential_jitter(initial=0.5, max=10))`,
`Retry(total=5, backoff_factor=0.5, allowed_methods=Retry.DEFAULT_ALLOWED_METHODS)`;
send an idempotency key with anything that creates or charges.

## Known problems
A retry loop whose limit or sleep lives in a helper function is not understood and may be
reported. Celery's `autoretry_for` has bounded defaults and is not reported.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.python._common import call_name, is_test_path
from servicelens.rules.python.rel_shared import chain, stmt_calls
from servicelens.taint.scope import ModuleScope

_NON_IDEMPOTENT = frozenset({"POST", "PATCH"})
_SLEEPS = frozenset({"sleep", "wait", "backoff", "sleep_for"})
_TENACITY_FIX = ("from tenacity import retry, stop_after_attempt, wait_exponential_jitter\n\n"
                 "@retry(stop=stop_after_attempt(5), wait=wait_exponential_jitter(initial=0.5, max=10))\n")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path):
        return
    targets = {imp.target.split(".")[0] for imp in module.imports}
    retry_libs = bool(targets & {"tenacity", "backoff"})
    urllib3 = bool(targets & {"urllib3", "requests"})
    for function in module.functions if retry_libs else ():
        for decorator in function.decorators:
            problem = _decorator_problem(decorator, scope, function)
            if problem is not None:
                yield _finding(module, decorator, *problem)
    for function, body in all_bodies(module):
        for stmt in ir.walk_stmts(body):
            for call in stmt_calls(stmt) if urllib3 else ():
                problem = _urllib3_problem(call, scope, function)
                if problem is not None:
                    yield _finding(module, call, *problem)
            if isinstance(stmt, (ir.While, ir.For)):
                problem = _loop_problem(stmt)
                if problem is not None:
                    yield _finding(module, stmt, *problem)


def _decorator_problem(decorator: ir.Expr, scope: ModuleScope, function: ir.Function) -> tuple[str, str, str] | None:
    call = decorator if isinstance(decorator, ir.Call) else None
    target = call.func if call else decorator
    name = scope.qualify(ir.dotted_name(target) or "", function, set()) or ""
    if name == "tenacity.retry":
        kwargs = {k.name for k in call.kwargs} if call else set()
        if "stop" not in kwargs:
            return ("unbounded", "`@retry` without `stop=` retries forever (tenacity's default)",
                    _TENACITY_FIX + f"def {function.name}(...):\n    ...\n")
        if "wait" not in kwargs:
            return ("no-backoff", "`@retry` without `wait=` retries immediately, with no backoff",
                    _TENACITY_FIX + f"def {function.name}(...):\n    ...\n")
        if _calls_non_idempotent(function.body):
            return ("non-idempotent", f"`{function.name}` retries a POST/charge that carries no idempotency key",
                    "headers = {\"Idempotency-Key\": idempotency_key}  # same key on every attempt\n")
    if name == "backoff.on_exception" and call is not None \
            and not {"max_tries", "max_time"} & {k.name for k in call.kwargs}:
        return ("unbounded", "`@backoff.on_exception` without `max_tries`/`max_time` retries forever",
                "@backoff.on_exception(backoff.expo, requests.RequestException, max_tries=5, max_time=30)\n")
    return None


def _urllib3_problem(call: ir.Call, scope: ModuleScope, function: ir.Function | None) -> tuple[str, str, str] | None:
    name = call_name(call, scope, function)
    if not name.endswith("Retry") or not name.startswith(("urllib3", "requests.packages.urllib3", "requests.adapters")):
        return None
    methods = call.kwarg("allowed_methods") or call.kwarg("method_whitelist")
    listed = {str(n.value).upper() for n in ir.walk_expr(methods) if isinstance(n, ir.Const)} if methods else set()
    if listed & _NON_IDEMPOTENT or (isinstance(methods, ir.Const) and methods.value in (None, False)):
        return ("non-idempotent", "`Retry` also retries POST/PATCH: a timed-out create or charge runs twice",
                "Retry(total=3, backoff_factor=0.5, allowed_methods=Retry.DEFAULT_ALLOWED_METHODS)\n")
    total = call.arg(0, "total")
    if call.kwarg("backoff_factor") is None and isinstance(total, ir.Const) and isinstance(total.value, int) \
            and not isinstance(total.value, bool) and total.value > 1:
        return ("no-backoff", f"`Retry(total={total.value})` without `backoff_factor` retries back to back",
                f"Retry(total={total.value}, backoff_factor=0.5, status_forcelist=[502, 503, 504])\n")
    return None


def _loop_problem(loop: ir.While | ir.For) -> tuple[str, str, str] | None:
    tries = [s for s in loop.body if isinstance(s, ir.Try)]
    if not tries or not any(_exits(t.body + t.orelse) for t in tries):
        return None  # not a retry loop: nothing leaves the loop on success
    if any(_stops(h.body) for t in tries for h in t.handlers):
        return None
    if isinstance(loop, ir.For) and (chain(loop.iter) or [""])[-1] != "range":
        return None  # iterating items, not attempts
    if not any(_is_io(chain(c)) for t in tries for s in ir.walk_stmts(t.body) for c in stmt_calls(s)):
        return None  # retrying input(), parsing or local work is not a dependency retry
    calls = [chain(c) for s in ir.walk_stmts(loop.body) for c in stmt_calls(s)]
    sleeps = any(names and names[-1] in _SLEEPS for names in calls)
    bounded = isinstance(loop, ir.For) or not (isinstance(loop.test, ir.Const) and loop.test.value is True) \
        or _has_limit(loop)
    if _calls_non_idempotent(tuple(s for t in tries for s in t.body)):
        return ("non-idempotent", "retry loop repeats a POST/charge that carries no idempotency key",
                "headers = {\"Idempotency-Key\": idempotency_key}  # same key on every attempt\n")
    if not bounded:
        return ("unbounded", "`while True` retry loop with no attempt limit" + ("" if sleeps else " and no backoff"),
                _TENACITY_FIX)
    if not sleeps:
        return ("no-backoff", "retry loop retries immediately, with no backoff between attempts", _TENACITY_FIX)
    return None


_IO_WORDS = ("request", "http", "session", "client", "connect", "urlopen", "fetch", "send", "publish", "api",
             "get", "post", "put", "patch", "execute", "call", "invoke", "socket", "redis", "query", "download")


def _is_io(names: list[str]) -> bool:
    return bool(names) and names[-1] not in ("input", "print", "sleep") and \
        any(word in name.lower() for name in names for word in _IO_WORDS)


def _exits(body: tuple[ir.Stmt, ...]) -> bool:
    return any(isinstance(s, ir.Return) or (isinstance(s, ir.Jump) and s.kind == "break") for s in ir.walk_stmts(body))


def _stops(body: tuple[ir.Stmt, ...]) -> bool:
    """A handler that gives up unconditionally ends the retry."""
    return any(isinstance(s, (ir.Raise, ir.Return)) or (isinstance(s, ir.Jump) and s.kind == "break") for s in body)


def _has_limit(loop: ir.While) -> bool:
    """An attempt counter checked inside the loop (`if attempt >= 5: raise`)."""
    return any(isinstance(s, ir.If) and isinstance(s.test, ir.Compare) and _stops(s.body) or
               isinstance(s, ir.Assign) and s.op == "+" for s in ir.walk_stmts(loop.body))


def _calls_non_idempotent(body: tuple[ir.Stmt, ...]) -> bool:
    for stmt in ir.walk_stmts(body):
        for call in stmt_calls(stmt):
            names = chain(call)
            if any(k.name and "idempot" in k.name.lower() for k in call.kwargs) or \
                    any("idempot" in str(n.value).lower() for n in ir.walk_expr(call) if isinstance(n, ir.Const)):
                continue
            if names[-1:] == ["post"] and names[0] in ("requests", "httpx", "session", "client", "http"):
                return True
            if names[:1] == ["stripe"] and names[-1] == "create" or (names and names[-1] in ("charge", "capture")):
                return True
    return False


def _finding(module: ir.Module, node: ir.Expr | ir.Stmt, kind: str, title: str, code: str) -> Finding:
    why = {
        "unbounded": "When the dependency stays down, this never gives up: the worker is tied up forever and "
                     "every caller waits. 100 stuck requests exhaust a 100-thread pool and the service stops.",
        "no-backoff": "Immediate retries multiply load exactly when the dependency is struggling: 1,000 req/s "
                      "retried 5 times back to back is 6,000 req/s against a service that was already failing.",
        "non-idempotent": "If the first attempt succeeded but its response was lost, the retry creates or charges "
                          "a second time: a double charge, a duplicate order, a refund and a support ticket.",
    }[kind]
    line = getattr(node, "line", 1)
    return make_finding(
        "unsafe-retry", Location(module.path, line, getattr(node, "end_line", 0) or line), title, why,
        severity=Severity.HIGH if kind != "no-backoff" else Severity.MEDIUM,
        confidence=Confidence.HIGH if kind == "unbounded" and "no backoff" in title else Confidence.MEDIUM,
        fix=Fix("Bound the attempts, back off exponentially with jitter, and only retry idempotent calls "
                "(or send an idempotency key).", code, "python"),
        rule=RULE.id, key=f"{kind}:{module.line_text(line)}",
    )


RULE = Rule("py-unsafe-retry", frozenset({"unsafe-retry"}), "python", check)

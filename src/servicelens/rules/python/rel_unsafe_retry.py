"""Retries that hammer a failing dependency, never stop, or repeat a non-idempotent call.

## What it finds
- tenacity `@retry` without `stop=` (tenacity retries forever by default) or without
  `wait=` (no pause between attempts); `@backoff.on_exception` without `max_tries` /
  `max_time`;
- urllib3 `Retry(total=n)` without `backoff_factor`, or allowing POST/PATCH;
- hand-written retry loops (`while True:` / `for attempt in range(n):` around a call that
  breaks or returns on success) with no sleep between attempts, or `while True` with no
  attempt limit;
- Celery tasks declared with `autoretry_for=...` and `max_retries=None` (retried for ever);
- any of those retrying a POST or a payment call that carries no idempotency key (a POST sent by
  `requests`/`httpx` or by a client kept on an object, `self.session.post`, `self._client.post`; a
  key in the call or in a headers local built before the loop counts).

## Not reported
What the loop and the bound say decides, not the words in the code:
- a `for n in range(a, b)` whose counter is an argument of the call tried: each pass asks for
  something else (pages, ids), so it is an iteration, not a retry;
- a retry on a lost optimistic transaction (the handler catches a conflict: Redis
  `WatchError`, a serialization failure, a stale-version error): another writer won, and
  re-reading at once is the protocol;
- a retry on a taken key (the handler catches a uniqueness violation: `IntegrityError`,
  `UniqueViolation`, `DuplicateKeyError`): the loop draws a fresh short code or slug until one is
  free, and the store answered every attempt at once;
- no backoff with at most 3 attempts, counted from constants (`range(3)`,
  `stop_after_attempt(3)`, `tries_left = 2 if retry else 1` tested in the loop): a struggling
  dependency sees at most three times the load;
- tenacity `@retry(wait=...)` without `stop=` on a function that is itself a `while True` loop
  nothing leaves: a subscriber or listener meant to run for the life of the process, reconnected
  with backoff when it drops.

```python
for page in range(first, last):   # not a retry: each pass fetches another page
    try:
        pages.append(client.get(feed_url, params={"page": page}).json())
    except httpx.HTTPError:
        continue
```

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
reported. Celery's `autoretry_for` has bounded defaults (3 retries) and is reported only when
`max_retries=None` (on the decorator or in its `retry_kwargs`) removes the bound, and so is
`self.retry(...)` in a bound task declared `max_retries=None` or called with it. tenacity policies built without a decorator (`for attempt in Retrying(...)`,
`AsyncRetrying(...)`, `retry(...)(fn)`) are judged as the decorator is.
"""
from __future__ import annotations

import textwrap
from typing import Iterable

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.fixcode import strip_comment
from servicelens.fixcode.retry import (backoff_decorator, loop_as_decorator, retry_policy, tenacity_decorator,
                                       with_idempotency_key)
from servicelens.fixcode.routes import def_header
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, all_bodies
from servicelens.rules.python._common import call_name, is_test_path, words
from servicelens.rules.python.rel_shared import celery_task, chain, is_celery_task, stmt_calls
from servicelens.taint.scope import ModuleScope

_NON_IDEMPOTENT = frozenset({"POST", "PATCH"})
_SLEEPS = frozenset({"sleep", "wait", "backoff", "sleep_for"})


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
                yield _finding(module, decorator, *problem, _decorator_fix(module, decorator, function, problem[0]))
    for function in module.functions:
        for decorator in function.decorators:
            problem = _celery_problem(decorator)
            if problem is not None:
                yield _finding(module, decorator, *problem, None)
    for function in module.functions:
        yield from _celery_self_retries(module, function)
    index = file_index(module, scope)
    for function, body in all_bodies(module):
        for stmt in index.walk_stmts(body):
            for call in index.stmt_of_kind(stmt, ir.Call) if retry_libs else ():
                problem = _tenacity_call_problem(call, scope, function)
                if problem is not None:
                    yield _finding(module, call, *problem, None)
            for call in index.stmt_of_kind(stmt, ir.Call) if urllib3 else ():
                problem = _urllib3_problem(call, scope, function)
                if problem is not None:
                    yield _finding(module, call, *problem, retry_policy(_lines(module, call), problem[0] == "non-idempotent"))
            if isinstance(stmt, (ir.While, ir.For)):
                problem = _loop_problem(stmt, body)
                if problem is not None:
                    yield _finding(module, stmt, *problem, _loop_fix(module, stmt, function, problem[0]))


def _decorator_problem(decorator: ir.Expr, scope: ModuleScope, function: ir.Function) -> tuple[str, str] | None:
    call = decorator if isinstance(decorator, ir.Call) else None
    target = call.func if call else decorator
    name = scope.qualify(ir.dotted_name(target) or "", function, set()) or ""
    if name == "tenacity.retry":
        kwargs = {k.name for k in call.kwargs} if call else set()
        if "stop" not in kwargs:
            if "wait" in kwargs and _never_returns(function.body):
                return None  # a listener that runs for ever, reconnected with backoff when it drops
            return ("unbounded", "`@retry` without `stop=` retries forever (tenacity's default)")
        if "wait" not in kwargs and not _few_attempts(_stop_attempts(call.kwarg("stop"))):
            return ("no-backoff", "`@retry` without `wait=` retries immediately, with no backoff")
        if _calls_non_idempotent(function.body):
            return ("non-idempotent", f"`{function.name}` retries a POST/charge that carries no idempotency key")
    if name == "backoff.on_exception" and call is not None \
            and not {"max_tries", "max_time"} & {k.name for k in call.kwargs}:
        return ("unbounded", "`@backoff.on_exception` without `max_tries`/`max_time` retries forever")
    return None


# tenacity's policy objects, used without a decorator: `for attempt in Retrying(...): with attempt:`,
# `async for attempt in AsyncRetrying(...)`, `retry(...)(fn)`
_TENACITY_POLICIES = frozenset({"tenacity.Retrying", "tenacity.AsyncRetrying", "tenacity.retry"})


def _tenacity_call_problem(call: ir.Call, scope: ModuleScope, function: ir.Function | None) -> tuple[str, str] | None:
    """A tenacity policy built in code rather than as a decorator: the same defaults apply (no
    `stop=` retries for ever, no `wait=` retries back to back)."""
    name = scope.qualify(ir.dotted_name(call.func) or "", function, set()) or ""
    if name not in _TENACITY_POLICIES:
        return None
    kwargs = {k.name for k in call.kwargs}
    label = name.rsplit(".", 1)[-1]
    if "stop" not in kwargs:
        return ("unbounded", f"`{label}(...)` without `stop=` retries forever (tenacity's default)")
    if "wait" not in kwargs and not _few_attempts(_stop_attempts(call.kwarg("stop"))):
        return ("no-backoff", f"`{label}(...)` without `wait=` retries immediately, with no backoff")
    return None


def _task_max_retries(task: ir.Call) -> ir.Expr | None:
    """The task's retry bound: `max_retries=` on the decorator, or the `max_retries` entry of its
    `retry_kwargs={...}` (Celery documents both for `autoretry_for`)."""
    limit = task.kwarg("max_retries")
    options = task.kwarg("retry_kwargs")
    if limit is None and isinstance(options, ir.DictExpr):
        limit = next((v for k, v in zip(options.keys, options.values)
                      if isinstance(k, ir.Const) and k.value == "max_retries"), None)
    if limit is None and isinstance(options, ir.Call) and ir.last_name(options.func) == "dict":
        limit = options.kwarg("max_retries")
    return limit


def _celery_self_retries(module: ir.Module, function: ir.Function) -> Iterable[Finding]:
    """`raise self.retry(exc=exc)` in a bound task declared `max_retries=None`: Celery documents
    None as "retry for ever", so a dependency that stays down keeps the task (and a worker slot)
    cycling for good."""
    task = celery_task(function)
    if task is None:
        return
    limit = _task_max_retries(task)
    for stmt in ir.walk_stmts(function.body):
        for call in stmt_calls(stmt):
            own = call.kwarg("max_retries")  # `self.retry(exc=exc, max_retries=None)` overrides the task's
            bound = own if own is not None else limit
            if chain(call) == ["self", "retry"] and isinstance(bound, ir.Const) and bound.value is None:
                yield _finding(module, call, "unbounded", "`self.retry(...)` with `max_retries=None` retries for ever",
                               None)
                return


def _stop_attempts(stop: ir.Expr | None) -> int | None:
    """N of `stop=stop_after_attempt(N)`; None for any other stop condition."""
    if isinstance(stop, ir.Call) and ir.last_name(stop.func) == "stop_after_attempt" and stop.args \
            and isinstance(stop.args[0], ir.Const) and isinstance(stop.args[0].value, int):
        return stop.args[0].value
    return None


def _never_returns(body: tuple[ir.Stmt, ...]) -> bool:
    """The function is a `while True` loop nothing leaves: a listener or consumer meant to run
    for the life of the process, so retrying it for ever is reconnecting, not hammering."""
    loops = [s for s in body if isinstance(s, ir.While) and isinstance(s.test, ir.Const) and s.test.value is True]
    return bool(loops) and not any(isinstance(s, ir.Return) or (isinstance(s, ir.Jump) and s.kind == "break")
                                   for loop in loops for s in _same_loop_stmts(loop.body))


def _same_loop_stmts(body: tuple[ir.Stmt, ...]):
    """Statements of a loop body, not descending into nested loops (whose `break` is their own)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, (ir.While, ir.For)):
            continue
        for block in ir.child_blocks(stmt):
            yield from _same_loop_stmts(block)


def _celery_problem(decorator: ir.Expr) -> tuple[str, str] | None:
    """`@shared_task(autoretry_for=(Exception,), max_retries=None)`: Celery retries for ever."""
    if not is_celery_task(decorator) or decorator.kwarg("autoretry_for") is None:
        return None
    limit = _task_max_retries(decorator)
    if isinstance(limit, ir.Const) and limit.value is None:
        delay = decorator.kwarg("default_retry_delay")
        backoff = decorator.kwarg("retry_backoff")
        pace = ("" if backoff is not None and not (isinstance(backoff, ir.Const) and backoff.value in (False, None, 0))
                else f" every {delay.value} s" if isinstance(delay, ir.Const) and isinstance(delay.value, (int, float))
                else "")
        return ("unbounded", f"`autoretry_for` with `max_retries=None` retries the task for ever{pace}")
    return None


def _urllib3_problem(call: ir.Call, scope: ModuleScope, function: ir.Function | None) -> tuple[str, str] | None:
    name = call_name(call, scope, function)
    if not name.endswith("Retry") or not name.startswith(("urllib3", "requests.packages.urllib3", "requests.adapters")):
        return None
    methods = call.kwarg("allowed_methods") or call.kwarg("method_whitelist")
    listed = {str(n.value).upper() for n in ir.walk_expr(methods) if isinstance(n, ir.Const)} if methods else set()
    if listed & _NON_IDEMPOTENT or (isinstance(methods, ir.Const) and methods.value in (None, False)):
        return ("non-idempotent", "`Retry` also retries POST/PATCH: a timed-out create or charge runs twice")
    total = call.arg(0, "total")
    if call.kwarg("backoff_factor") is None and isinstance(total, ir.Const) and isinstance(total.value, int) \
            and not isinstance(total.value, bool) and total.value > 1:
        return ("no-backoff", f"`Retry(total={total.value})` without `backoff_factor` retries back to back")
    return None


def _loop_problem(loop: ir.While | ir.For, enclosing: tuple[ir.Stmt, ...] = ()) -> tuple[str, str] | None:
    tries = [s for s in loop.body if isinstance(s, ir.Try)]
    if not tries or not any(_exits(t.body + t.orelse) or _leaves_after(loop.body, t) for t in tries):
        return None  # not a retry loop: nothing leaves the loop on success
    if any(_stops(h.body) for t in tries for h in t.handlers):
        return None
    if isinstance(loop, ir.For) and (chain(loop.iter) or [""])[-1] != "range":
        return None  # iterating items, not attempts
    if isinstance(loop, ir.For) and _counter_feeds_calls(loop, tries):
        return None  # `for id in range(a, b): fetch(id)`: each pass asks for something else
    if any(_is_conflict(h.types) for t in tries for h in t.handlers):
        return None  # optimistic concurrency: another writer won, re-read and try again at once
    if any(_is_collision(h.types) for t in tries for h in t.handlers):
        return None  # a drawn key was taken: the next pass draws another, the store is answering
    if not any(_is_io(chain(c)) for t in tries for s in ir.walk_stmts(t.body) for c in stmt_calls(s)) \
            and not _calls_non_idempotent(tuple(s for t in tries for s in t.body)):
        return None  # retrying input(), parsing or local work is not a dependency retry (a payment SDK call is one)
    calls = [chain(c) for s in ir.walk_stmts(loop.body) for c in stmt_calls(s)]
    sleeps = any(names and names[-1] in _SLEEPS for names in calls)
    bounded = isinstance(loop, ir.For) or not (isinstance(loop.test, ir.Const) and loop.test.value is True) \
        or _has_limit(loop)
    if _non_idempotent_call(tuple(s for t in tries for s in t.body), enclosing) is not None:
        return ("non-idempotent", "retry loop repeats a POST/charge that carries no idempotency key")
    if not bounded:
        return ("unbounded", "`while True` retry loop with no attempt limit" + ("" if sleeps else " and no backoff"))
    if not sleeps and not _few_attempts(_loop_attempts(loop, enclosing)):
        return ("no-backoff", "retry loop retries immediately, with no backoff between attempts")
    return None


# at most this many attempts multiply a struggling dependency's load too little to matter
_FEW_ATTEMPTS = 3
# exceptions that say a concurrent writer won an optimistic transaction (Redis WATCH, a
# serializable transaction, an ORM version check): the retry re-reads, it does not hammer a
# failing dependency
_CONFLICT_WORDS = frozenset({"watch", "serialization", "serializable", "stale", "conflict", "deadlock",
                             "concurrent", "optimistic"})


# exceptions that say a unique key is already taken (`IntegrityError`, psycopg's `UniqueViolation`,
# pymongo's `DuplicateKeyError`): a loop that catches one is drawing a fresh random key or slug
# until it is free, and every failed pass was answered at once by a healthy store
_COLLISION_WORDS = frozenset({"integrity", "unique", "duplicate"})


def _is_collision(types: ir.Expr | None) -> bool:
    """The handler catches a uniqueness violation, judged by the exception classes' own names."""
    return _names_say(types, _COLLISION_WORDS)


def _few_attempts(attempts: int | None) -> bool:
    return attempts is not None and 0 < attempts <= _FEW_ATTEMPTS


def _is_conflict(types: ir.Expr | None) -> bool:
    """The handler catches a lost optimistic transaction: judged by the exception classes' own names
    (`redis.WatchError`), not by the modules they live in (`concurrent.futures.TimeoutError` is no conflict)."""
    return _names_say(types, _CONFLICT_WORDS)


def _names_say(types: ir.Expr | None, vocabulary: frozenset[str]) -> bool:
    """A word of an exception class's own name (`except (IntegrityError, redis.WatchError)`) is in
    `vocabulary`."""
    classes = types.elts if isinstance(types, ir.Seq) else (types,) if types is not None else ()
    return any(word in vocabulary for cls in classes for word in words(ir.last_name(cls) or ""))


def _counter_feeds_calls(loop: ir.For, tries: list[ir.Try]) -> bool:
    """The loop variable is an argument of the calls tried: an iteration over ids, not attempts."""
    if not isinstance(loop.target, ir.Name):
        return False
    counter = loop.target.id
    return any(isinstance(node, ir.Name) and node.id == counter
               for t in tries for s in ir.walk_stmts(t.body) for c in stmt_calls(s)
               for arg in (*c.args, *(k.value for k in c.kwargs)) for node in ir.walk_expr(arg))


def _loop_attempts(loop: ir.While | ir.For, enclosing: tuple[ir.Stmt, ...]) -> int | None:
    """How many attempts the loop makes, when the code says so with constants: `range(3)`,
    `while tries < 3`, or a counter set before the loop (`tries_left = 3 if retry else 1`)
    and tested inside it. None when unknown."""
    if isinstance(loop, ir.For):
        return _range_count(loop) or None
    tested = _names_in(loop.test) | {n for s in ir.walk_stmts(loop.body) if isinstance(s, ir.If)
                                      for n in _names_in(s.test)}
    changed = {t.id for s in ir.walk_stmts(loop.body) if isinstance(s, ir.Assign)
               for t in s.targets if isinstance(t, ir.Name)}
    counters = tested & changed
    if not counters:
        return None
    values = [v for s in enclosing if isinstance(s, ir.Assign) and s.line < loop.line and s.value is not None
              and any(isinstance(t, ir.Name) and t.id in counters for t in s.targets) for v in _int_consts(s.value)]
    values += [v for s in ir.walk_stmts(loop.body) if isinstance(s, ir.If) and _names_in(s.test) & counters
               for v in _int_consts(s.test)]
    if isinstance(loop.test, ir.Compare):
        values += _int_consts(loop.test)
    return max(values) if values else None


def _names_in(expr: ir.Expr) -> set[str]:
    return {n.id for n in ir.walk_expr(expr) if isinstance(n, ir.Name)}


def _int_consts(expr: ir.Expr) -> list[int]:
    return [n.value for n in ir.walk_expr(expr) if isinstance(n, ir.Const) and isinstance(n.value, int)
            and not isinstance(n.value, bool)]


_IO_WORDS = ("request", "http", "session", "client", "connect", "urlopen", "fetch", "send", "publish", "api",
             "get", "post", "put", "patch", "execute", "call", "invoke", "socket", "redis", "query", "download")


def _is_io(names: list[str]) -> bool:
    return bool(names) and names[-1] not in ("input", "print", "sleep") and \
        any(word in name.lower() for name in names for word in _IO_WORDS)


def _exits(body: tuple[ir.Stmt, ...]) -> bool:
    return any(isinstance(s, ir.Return) or (isinstance(s, ir.Jump) and s.kind == "break") for s in ir.walk_stmts(body))


def _leaves_after(body: tuple[ir.Stmt, ...], attempt: ir.Try) -> bool:
    """The attempt's handlers go round again (`continue`) and the loop body, after the `try`, ends in
    a `return` or `break` at its own level: a successful attempt falls through to it and leaves
    (`try: response = send() / except Timeout: continue / return response.json()`)."""
    position = next((i for i, stmt in enumerate(body) if stmt is attempt), None)  # by identity: no deep compare
    after = body[position + 1:] if position is not None else ()
    goes_round = any(isinstance(s, ir.Jump) and s.kind == "continue" for h in attempt.handlers for s in h.body)
    return goes_round and bool(after) and (isinstance(after[-1], ir.Return)
                                           or isinstance(after[-1], ir.Jump) and after[-1].kind == "break")


def _stops(body: tuple[ir.Stmt, ...]) -> bool:
    """A handler that gives up unconditionally ends the retry."""
    return any(isinstance(s, (ir.Raise, ir.Return)) or (isinstance(s, ir.Jump) and s.kind == "break") for s in body)


def _has_limit(loop: ir.While) -> bool:
    """An attempt counter checked inside the loop (`if attempt >= 5: raise`)."""
    return any(isinstance(s, ir.If) and isinstance(s.test, ir.Compare) and _stops(s.body) or
               isinstance(s, ir.Assign) and s.op == "+" for s in ir.walk_stmts(loop.body))


def _calls_non_idempotent(body: tuple[ir.Stmt, ...]) -> bool:
    return _non_idempotent_call(body) is not None


_HTTP_RECEIVERS = frozenset({"requests", "httpx", "session", "client", "http", "http_client", "api", "api_client"})


def _non_idempotent_call(body: tuple[ir.Stmt, ...], context: tuple[ir.Stmt, ...] = ()) -> ir.Call | None:
    """The first POST or charge in `body` that carries no idempotency key (in its keywords, or in a
    local of `context` it is handed: `headers = {"Idempotency-Key": key}` built before the loop)."""
    keyed = {name for stmt in ir.walk_stmts(context + body) if isinstance(stmt, ir.Assign) and stmt.value is not None
             and any("idempot" in str(n.value).lower() for n in ir.walk_expr(stmt.value) if isinstance(n, ir.Const))
             for target in stmt.targets if isinstance(target, ir.Name) for name in (target.id,)}
    for stmt in ir.walk_stmts(body):
        for call in stmt_calls(stmt):
            names = chain(call)
            if any(k.name and "idempot" in k.name.lower() for k in call.kwargs) or \
                    any("idempot" in str(n.value).lower() for n in ir.walk_expr(call) if isinstance(n, ir.Const)) or \
                    any(isinstance(n, ir.Name) and n.id in keyed for n in ir.walk_expr(call)):
                continue
            # `requests.post`, `session.post`, or a client kept on an object (`self.session.post`,
            # `self._http.post`): the receiver's last name says it is an HTTP client
            if names[-1:] == ["post"] and len(names) > 1 and (names[0] in _HTTP_RECEIVERS
                                                              or names[-2].lstrip("_").lower() in _HTTP_RECEIVERS):
                return call
            if names[:1] == ["stripe"] and names[-1] == "create" or (names and names[-1] in ("charge", "capture")):
                return call
    return None


# ---------------------------------------------------------------- fixes


def _lines(module: ir.Module, node: ir.Expr | ir.Stmt) -> str:
    line = getattr(node, "line", 1)
    return "\n".join(module.lines[line - 1:(getattr(node, "end_line", 0) or line)])


def _decorator_fix(module: ir.Module, decorator: ir.Expr, function: ir.Function, kind: str) -> str:
    """The decorator with the bound or backoff it lacks, or the retried call sending a key the
    caller makes once."""
    text = strip_comment(module.line_text(decorator.line))
    def_line = def_header(module.lines, function.line)
    if kind == "non-idempotent":
        call = _non_idempotent_call(function.body)
        sent = with_idempotency_key(_lines(module, call)) if call is not None and def_line else None
        if sent is None or "idempotency_key" in def_line:
            return ""
        head, _, tail = def_line.rpartition(")")
        signature = f"{head}, idempotency_key){tail}" if not head.endswith("(") else f"{head}idempotency_key){tail}"
        return (f"{text}\n{signature}  # the caller makes the key once, so every attempt sends the same one\n"
                f"{textwrap.indent(sent, '    ')}")
    if not def_line:
        return ""
    fixed = backoff_decorator(text, def_line) if "on_exception" in text else tenacity_decorator(text, def_line)
    return fixed or ""


def _loop_fix(module: ir.Module, loop: ir.While | ir.For, function: ir.Function | None, kind: str) -> str:
    """The request sending an idempotency key made before the loop, or the function as its try
    body under a bounded tenacity decorator."""
    tries = [s for s in loop.body if isinstance(s, ir.Try)]
    if kind == "non-idempotent":
        call = _non_idempotent_call(tuple(s for t in tries for s in t.body))
        sent = with_idempotency_key(_lines(module, call)) if call is not None else None
        return ("import uuid\n\nidempotency_key = str(uuid.uuid4())  # before the loop: every attempt sends the "
                f"same key\n{sent}") if sent else ""
    if function is None or len(loop.body) != 1 or len(tries) != 1 or not tries[0].body:
        return ""
    body = tries[0].body
    attempts = _range_count(loop) if isinstance(loop, ir.For) else 5
    text = "\n".join(module.lines[body[0].line - 1:body[-1].end_line])
    caught = [ir.dotted_name(h.types) or "" for h in tries[0].handlers]
    only = caught[0] if len(caught) == 1 and caught[0] not in ("", "Exception", "BaseException") else ""
    fixed = loop_as_decorator(def_header(module.lines, function.line), text, attempts or 5, only)
    return fixed or ""


def _range_count(loop: ir.For) -> int:
    """N of `for attempt in range(N)` (0 when it is not a literal)."""
    it = loop.iter
    if isinstance(it, ir.Call) and it.args and isinstance(it.args[-1], ir.Const) \
            and isinstance(it.args[-1].value, int) and not isinstance(it.args[-1].value, bool):
        return it.args[-1].value
    return 0


def _finding(module: ir.Module, node: ir.Expr | ir.Stmt, kind: str, title: str, code: str | None) -> Finding:
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
                "(or send an idempotency key).", code or "", "python" if code else ""),
        rule=RULE.id, key=f"{kind}:{module.line_text(line)}",
    )


RULE = Rule("py-unsafe-retry", frozenset({"unsafe-retry"}), "python", check)

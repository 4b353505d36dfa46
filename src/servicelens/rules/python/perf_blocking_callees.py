"""Blocking work in a synchronous helper of another module, called from an `async def`.

## What it finds
An `async def` that calls, without `await` and without handing it to a thread
(`asyncio.to_thread`, `loop.run_in_executor`, `run_in_threadpool`), a synchronous project function
defined in another module whose own body blocks: a `requests` call, `smtplib.SMTP(...)`,
`time.sleep`, a sync database driver or Django ORM query, file I/O, password hashing (the calls
py-perf-blocking-async recognises, which follows helpers of the same module only).

## Why it matters
The helper looks harmless at the call site (`send_confirmation(...)`), but while it talks to the
mail server or the partner API the event loop runs nothing else: every other request on the
worker waits for the slowest SMTP handshake.

## Example
```python
# services/notifications.py
def send_confirmation(to: str, body: str) -> None:
    with smtplib.SMTP(MAIL_HOST, timeout=20) as smtp:
        smtp.send_message(make_message(to, body))

# routes.py
async def confirm(request):
    send_confirmation(customer.email, text)
```

## Fix
`await asyncio.to_thread(send_confirmation, customer.email, text)`, or hand the work to a
background job, or use an async client (`aiosmtplib`, `httpx.AsyncClient`).

A coroutine its module runs alone with `asyncio.run(f(...))` (a CLI command owning its event loop)
is left out unless it starts other tasks or a server: nothing else waits on that loop.

As in py-perf-blocking-async: a call its caller's arguments switch off (`upload_info(user, file, None)`
with the fetch under `if url:`) reports the helper's costliest call outside such branches, or nothing;
a call after a first-run check (`if await tenants_exists(): return`) is paid once per installation
and left out; a caller that is a test double's method has reach `development`; a handler of an app its
module serves on 127.0.0.1 only is graded low.

Confidence is graded as in py-perf-blocking-async by what the helper blocks on (a remote call or
subprocess high; password hashing high where an anonymous caller reaches the async function at a rate
nothing limits and before any signed token is verified, else medium; a database round trip medium unless the helper or its call repeats it per row of a query, or
the caller is an HTTP middleware; low when the helper's blocking line silences a linter's
blocking-call check, `# noqa: ASYNC210`).

## Known problems
Only the helper's own body is judged (one call deep); a helper reached through an object of
unknown type is not followed. What the helper blocks on is recognised as in py-perf-blocking-async.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Finding, Fix, Location, TraceStep
from servicelens.analysis.file_index import FileIndex, file_index
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python._argument_guards import Arguments, Guard, arguments, switched_off, truthy_guards
from servicelens.rules.python._diagnostic_switch import mark_switched, switch_at, switched_spans
from servicelens.rules.python._loopback_servers import loopback_apps, mark_loopback, serves_on_loopback
from servicelens.rules.python._private_loops import private_loop_coroutines
from servicelens.rules.python._run_once import once_spans, runs_once
from servicelens.rules.python._stand_ins import mark_stand_in, stand_in_class
from servicelens.rules.python._verified_first import first_verification
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, calls_into, function_key
from servicelens.rules.python.perf_blocking_async import (
    _WHY, Blocking, _blocking, _sync_clients, cost_at, costliest, graded, hot_loop, runs_every_request,
)
from servicelens.rules.python.perf_common import PerfContext, iterated_here, reviewable
from servicelens.taint.scope import ModuleScope


@dataclass(frozen=True, slots=True)
class Blocker:
    """A synchronous function whose body blocks."""
    key: str
    module: str
    what: str
    instead: str
    path: str
    line: int
    code: str
    weight: str  # what the blocking call costs the loop (perf_blocking_async.graded)
    repeated: bool  # it runs once per row of a query in the helper (perf_blocking_async.hot_loop)
    accepted: bool  # its line silences a linter's blocking-call check (perf_blocking_async.accepted_by_linter)
    generator: bool = False  # its body yields: a call only builds the generator (ir.is_generator)
    # parameters the blocking call's branch needs truthy (rules/python/_argument_guards.py), and the
    # helper's costliest blocking call outside such a branch, for a caller that switches it off
    guards: tuple[Guard, ...] = ()
    otherwise: Blocker | None = None


@dataclass(frozen=True, slots=True)
class AsyncCall:
    """A plain call from an `async def` to a project function."""
    callee: str
    module: str  # the caller's module: helpers of the same module are py-perf-blocking-async's
    caller: str
    path: str
    line: int
    end_line: int
    def_line: int
    def_code: str
    code: str
    switch: str = ""  # the diagnostic switch the call runs under (rules/python/_diagnostic_switch.py)
    iterated: bool = False  # the async function iterates what the call returns itself (perf_common.iterated_here)
    repeated: bool = False  # the call runs once per row of a query (perf_blocking_async.hot_loop)
    every_request: bool = False  # the async function runs before every request (middleware, hook)
    args: Arguments | None = None  # what the call passes, for the helper's guarded branches
    loopback: bool = False  # a handler of an app its module serves on 127.0.0.1 only (rules/python/_loopback_servers.py)
    stand_in: str = ""  # the test-double class the async function is a method of (rules/python/_stand_ins.py)
    verified: bool = False  # the async function verified the request's signed token first (rules/python/_verified_first.py)


@dataclass(frozen=True, slots=True)
class CalleeFacts:
    blockers: tuple[Blocker, ...]
    calls: tuple[AsyncCall, ...]


_NOTHING = CalleeFacts((), ())


def collect(module: ir.Module, scope: ModuleScope) -> CalleeFacts | None:
    if not reviewable(module):
        return None
    ctx = PerfContext.shared(module, scope)
    clients = _sync_clients(ctx, scope)
    blockers: list[Blocker] = []
    calls: list[AsyncCall] = []
    index = file_index(module, scope)
    # asked only of async functions' calls: a module without one (most) skips the searches
    has_async = any(f.is_async for f in module.functions)
    alone = _run_alone(module, index) if has_async else frozenset()
    spans = switched_spans(module) if has_async else ()
    private = private_loop_coroutines(module, index)
    local = loopback_apps(module, scope) if has_async else frozenset()
    for function in module.functions:
        view = ctx.view(function)
        if not function.is_async:
            hits = list(_blocking(view, scope, function, clients))
            blocker = _blocker(module, scope, function, hits, ctx.is_generator(function)) if hits else None
            if blocker is not None:
                blockers.append(blocker)
            continue
        if function.name in alone and not _spawns(function, index) or function.qualname in private:
            continue  # the only coroutine of its own event loop: nothing else waits on it
        iterated = iterated_here(view)
        every = runs_every_request(module, function)
        # a call py-perf-blocking-async reports itself (`self.password_helper.hash(...)`): one finding per call
        direct = {id(hit.call) for hit in _blocking(view, scope, function, clients)}
        once = once_spans(scope.walk_stmts(function.body))
        verified = first_verification(function)
        for site in view.sites:
            if site.awaited or site.deferred or id(site.call) in direct or runs_once(function, once, site.call.line):
                continue  # awaited, handed to a thread, reported directly, or paid once (rules/python/_run_once.py)
            found = callee_name(site.call, scope, function)
            if found is not None:
                calls.append(AsyncCall(found[0], scope.name, function.name, module.path, site.call.line,
                                       site.call.end_line or site.call.line, function.line,
                                       module.line_text(function.line), module.line_text(site.call.line),
                                       switch_at(spans, site.call.line), id(site.call) in iterated,
                                       hot_loop(site, view, scope, function), every,
                                       args=arguments(site.call, found[1]), loopback=serves_on_loopback(function, local),
                                       stand_in=stand_in_class(function),
                                       verified=verified is not None and verified < site.call.line))
    return contribution(CalleeFacts(tuple(blockers), tuple(calls)), _NOTHING)


def _blocker(module: ir.Module, scope: ModuleScope, function: ir.Function, hits: list[Blocking],
             generator: bool) -> Blocker | None:
    """The helper's costliest blocking call; where a parameter guards it (`if url:`), also the
    costliest one no parameter guards, for the callers that switch the branch off."""
    hit = costliest(hits)
    if hit is None:
        return None
    guards = truthy_guards(function, hit.call.line)
    otherwise = None
    if guards:
        otherwise = _blocker(module, scope, function,
                             [h for h in hits if not truthy_guards(function, h.call.line)], generator)
    return Blocker(function_key(scope, function), scope.name, hit.what, hit.instead, module.path, hit.call.line,
                   module.line_text(hit.call.line), hit.weight, hit.repeated, hit.accepted, generator, guards, otherwise)


# calls that put other coroutines on the same loop (tasks, servers): then a block holds them up
_CONCURRENT = frozenset({"create_task", "gather", "ensure_future", "TaskGroup", "serve", "serve_forever",
                         "start_server", "run_app", "wait", "as_completed", "start"})


def _run_alone(module: ir.Module, index: FileIndex) -> frozenset[str]:
    """Coroutine functions this module runs with `asyncio.run(f(...))`: a command or script that owns
    its event loop (`asyncio.run(_create_admin(email))` in a CLI command)."""
    found = set()
    for function in (None, *module.functions):
        body = module.body if function is None else function.body
        for call in index.calls_named("run", body):
            if ir.dotted_name(call.func) in ("asyncio.run", "run") and call.args and isinstance(call.args[0], ir.Call):
                name = ir.dotted_name(call.args[0].func)
                if name:
                    found.add(name.rsplit(".", 1)[-1])
    return frozenset(found)


def _spawns(function: ir.Function, index: FileIndex) -> bool:
    return any(ir.last_name(call.func) in _CONCURRENT for call in index.block_of_kind(function.body, ir.Call))


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, CalleeFacts)]
    blockers: CalleeIndex[Blocker] = CalleeIndex((b.key, b) for f in facts for b in f.blockers)
    calls = (call for fact in facts for call in fact.calls)
    for call, blocker in calls_into(calls, blockers, _not_run_here):
        ran = _run_by(call, blocker)
        if ran is not None:
            yield mark_stand_in(mark_switched(mark_loopback(_finding(call, ran), call.loopback), call.switch),
                                call.stand_in)


def _not_run_here(call: AsyncCall, blocker: Blocker) -> bool:
    """Helpers of the caller's own module are py-perf-blocking-async's; a generator helper's body
    runs only where its generator is iterated (a `StreamingResponse` iterates a sync one in a
    worker thread), so only a call the async function iterates itself blocks its loop."""
    return blocker.module == call.module or (blocker.generator and not call.iterated) or _run_by(call, blocker) is None


def _run_by(call: AsyncCall, blocker: Blocker | None) -> Blocker | None:
    """The helper's blocking call this call runs: the costliest, unless the call's arguments switch
    off the branch it sits in (`upload_info(user, file, None)` never runs `if url:`), then the
    costliest outside such a branch, if any."""
    while blocker is not None and call.args is not None and switched_off(blocker.guards, call.args):
        blocker = blocker.otherwise
    return blocker


def _finding(call: AsyncCall, blocker: Blocker) -> Finding:
    name = blocker.key.rsplit(".", 1)[-1]
    return make_finding(
        "blocking-call-in-async", Location(call.path, call.line, call.end_line),
        f"{blocker.what.split(',')[0].capitalize()} (inside {name}()) in async {call.caller}()", _WHY,
        confidence=graded(blocker.weight, blocker.repeated or call.repeated, call.every_request, blocker.accepted,
                          call.verified),
        evidence=(TraceStep(Location(call.path, call.def_line), f"async def {call.caller}", call.def_code),
                  TraceStep(Location(call.path, call.line), f"calls {name}() without await", call.code),
                  TraceStep(Location(blocker.path, blocker.line), f"{name}() does {blocker.what}", blocker.code)),
        fix=Fix(f"Run it off the event loop: `await asyncio.to_thread({name}, ...)`, or make {name} async "
                f"({blocker.instead}).", "", ""),
        rule=RULE.id, key=f"{call.caller}:{name}", cost_at=cost_at(blocker.weight, call.every_request),
    )


RULE = Rule("py-perf-blocking-async-callees", frozenset({"blocking-call-in-async"}), "python", no_findings,
            collect=collect, combine=combine)

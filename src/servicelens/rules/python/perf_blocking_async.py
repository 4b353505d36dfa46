"""Synchronous I/O, sleep or CPU-heavy hashing inside an `async def` (or a sync helper it calls).

## What it finds
In an `async def`, or in a function of the same module that it calls directly:
`requests` calls and httpx's synchronous API (`httpx.get(...)`, calls on an `httpx.Client`),
`urllib.request.urlopen`, `smtplib.SMTP`, `time.sleep`, `subprocess.run`/`os.system`,
sync DB drivers (`psycopg2`, `pymysql`, `sqlite3` connects and their cursors), calls on a sync
`redis.Redis` client, Django ORM queries (`Order.objects.get(...)`), a sync SQLAlchemy
`Session` (`db.query(...)`, `db.commit()` not awaited, nor handed to asyncio's own functions as a
coroutine: `await asyncio.shield(session.rollback())`), `open()` file I/O and password
hashing (`bcrypt.hashpw`, `hashlib.pbkdf2_hmac`, passlib/Django `make_password`). The calls and
what each costs the loop are data: models/vocabulary/blocking_calls.yaml.

A text-mode `open()` whose handle only carries one serialised document (`json.dump(state, f)`,
`json.load(f)`, `f.write(json.dumps(state))`, YAML/TOML alike) is left out: it is the service's
own settings or state, a few kilobytes from the page cache, and readers of public code judged
every such finding negligible. A file whose text is read out or written piecemeal, or one in
binary mode (images, uploads, archives), carries data whose size the user decides and stays
reported.

A read of a file the code ships with (a path rooted at the module's own `__file__`, directly or
through a module constant or local: `open(Path(__file__).parent / "templates" / name)`,
`os.path.join(PRESETS_DIR, name)` with `PRESETS_DIR` built from `os.path.dirname(__file__)`) is
left out too: a template, preset or bundled data file whose size the release fixes, served from the
page cache. A write there, and a file found anywhere else (a data directory, the working
directory, a path the client sends), stay reported.

A call that runs only while an operator's diagnostic switch is on (`if settings.PROFILING_ENABLED:`,
`if is_prompt_trace_enabled():`, `if DEBUG:`, rules/python/_diagnostic_switch.py) is still reported,
with reach `development`: the profile holds it back, since profiling and tracing are off in a normal
deployment and their cost is the operator's choice. A flag the client sends (`?debug=1`) is no switch.

Work a helper remembers is paid once (rules/python/_run_once.py): a call in a function that caches
its result (`@functools.cache`, `@lru_cache`, `@cached_property`), or in a branch that fills an empty
slot it tests (`if self._git_available is None: subprocess.run(["git", "--version"]);
self._git_available = True`), runs on the first call of the process or instance only and is left
out. A branch that tests a slot without filling it, or fills a local, runs every time and stays reported.

A coroutine that runs only on an event loop a synchronous function makes for it and runs to completion
(`loop = asyncio.new_event_loop(); loop.run_until_complete(run_tasks())`), and the coroutines it starts
there, are left out (rules/python/_private_loops.py): that loop serves nothing else, so a blocking call holds
up only its sibling tasks, and the function's caller waits for the whole run anyway.

A first-run set-up is paid once per installation (rules/python/_run_once.py): what follows a leading
`if await tenants_exists(): return ...` (a check that takes no argument, so it asks whether any record
exists, not whether the caller's does) runs only until the first record is made, and is left out.

A method of a test double (a class named `MockAgentService`, `FakeMailer`, `StubClient`, `DummyCache`,
rules/python/_stand_ins.py) stands in for the real service in tests or in a development mode a setting
turns on; its `time.sleep(1)` imitates latency. It is still reported, with reach `development`, which
the profile holds back.

A helper's blocking call in a branch the caller's arguments switch off is not that caller's cost
(rules/python/_argument_guards.py): `upload_info(user, file, None)` never runs the `if url:` fetch of
`def upload_info(user_id, file, url=None)`, nor does a call that leaves `url` to its falsy default. The
helper's costliest call outside such branches is reported instead, if it has one. A variable argument
(the client's URL) may be truthy and keeps the branch.

A handler of an app its own module serves on the loopback interface only (`uvicorn.run(studio_api,
host="127.0.0.1")` in a CLI command, `Config(app=create_app(), host="127.0.0.1")` run on a thread, or a
host parameter defaulting to `127.0.0.1`; rules/python/_loopback_servers.py) blocks one local user, a
developer's tool or a sandbox's viewer, not a service's clients: graded low. A server bound to `0.0.0.0`
or to a host from the environment is a served one.

Calling a generator function (a helper whose body yields) runs none of its body: it only builds the
generator. Its blocking work happens wherever the generator is iterated: in the async function itself
(`for frame in frames():`, `list(rows())`, through `enumerate`/`zip`...), which is reported, or by
whoever receives it (`StreamingResponse(frames())` iterates a sync generator in a worker thread), which
is not. The same holds for helpers of other modules (py-perf-blocking-async-callees).

## Confidence
Graded by what the call does (`graded`), so the default profile can admit the calls that reliably hurt
without the ones that rarely do: a remote call (`requests`, SMTP, FTP, a socket, a `requests.Session`),
a subprocess or `time.sleep` is high wherever it runs; a pause the code spells out as under 50 ms
(`time.sleep(0.01)` between two writes to a socket), or as under a second where no loop repeats it (one
`time.sleep(0.5)` to let a child process start), is bounded on its line and graded like one database round
trip: readers of public code judged such one-off pauses on rare actions and status polls negligible. A pause
in a loop (`if (i + 1) % 10 == 0: time.sleep(0.5)` per batch of messages) or of a length the code does not
spell out (a `Retry-After`, a backoff) stays high. Password hashing (~250 ms of CPU by design) is
high where an anonymous caller reaches it, since an attacker repeats it at will: a login, a sign-up, a
password reset, a key checked in a hook every request runs. Where every route to it requires a signed-in
user (changing one's own password), or it runs offline or nobody can tell who calls it (one hash per newly
provisioned account), it is medium: the rule marks the finding (`cost_at` ANONYMOUS_CALLERS) and the
profile grades it by the reach's least privileged caller (analysis/profiles.graded_by_callers). An anonymous
caller who can repeat it only at a limited rate pays for a bounded stall too: a handler the rate-limit rule
finds limited (a limiter on it or on every route, a lockout it handles: rules/python/rate_limit.attempt_limits)
is graded medium, and so is hashing the async function runs only after it verified the request's signed token
(`payload = jwt.decode(token, KEY, ...)` in a password reset, rules/python/_verified_first.py): once per
token the server issued, not once per attempt. One database or cache round
trip (Django ORM, a sync SQLAlchemy `Session`, a sync Redis or DB-API connection) is a millisecond,
negligible in a deliberately synchronous, low-traffic service: medium, and high when it repeats per row
of a query (a loop around it, in the async function or in the helper it calls, iterates stored rows,
whose number grows with a table; not when its branch leaves the loop right after it, as query-in-loop
judges it) or when the async function is an HTTP middleware (`@app.middleware("http")`,
`BaseHTTPMiddleware.dispatch`) or a before-request hook, which every request pays. File I/O is
medium: its cost is the file's size, which the code does not show. A call whose line silences the
project's own linter check for it (`subprocess.run([...])  # noqa: ASYNC221`, flake8-async and Ruff's
ASYNC rules; the codes are in models/vocabulary/blocking_calls.yaml) was seen and kept by the maintainers,
a deliberate choice: low. A suppression of other checks on the same line (`# noqa: S603`) says nothing
about blocking.

## Why it matters
An event loop runs one thing at a time. A 200 ms blocking call in a handler stalls every
other request on that worker for 200 ms: at 50 requests/s one slow partner API turns a
p99 of 20 ms into seconds, and health checks start failing. A Django ORM call in async
code raises `SynchronousOnlyOperation` instead.

## Example
```python
@router.get("/rates")
async def rates():
    return requests.get(RATES_URL, timeout=5).json()
```

## Fix
```python
async with httpx.AsyncClient(timeout=5) as client:
    return (await client.get(RATES_URL)).json()
```
or push the sync work to a thread: `await asyncio.to_thread(requests.get, RATES_URL, timeout=5)`;
Django: `await Order.objects.aget(pk=pk)` or `sync_to_async`.

## Known problems
A literal pause under a second outside any loop is graded medium even in a handler a busy client calls
many times a second, where half a second per call does matter. An `httpx.Client` or `requests.Session`
built in another module and reached through an attribute (`self.http.get(...)`) is not recognised.
A class named for a test double that is in fact the production implementation (a `DummyCache` used in
every deployment) has its findings held back. An app served on loopback by its module but also started
elsewhere on a public interface (a Dockerfile's `uvicorn module:app --host 0.0.0.0`) is graded low.
A first-run check whose name says `exists` but asks about something else (`if cache_exists(): return`)
hides what follows it.
Helpers in other modules are followed by py-perf-blocking-async-callees; a package directory named by a constant of another
module (`from app.config import PACKAGE_ROOT`) is not known to be shipped (still reported). A JSON document that grows with use (a whole
export serialised with `json.dump`) is left out like a small state file (false negative). A sync `Session` is recognised by its name
(`db`, `session`, `*_session`) and by not being awaited. Password hashing in a handler that checks the credentials
itself under a name that is not a sign-in's (`/sessions/verify`) counts its route as signed-in, and is graded medium.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.analysis.receiver_bindings import rebound
from servicelens.endpoints.per_request import registers_per_request
from servicelens.model.concerns import make_finding
from servicelens.model.finding import ANONYMOUS_CALLERS, Confidence, Finding, Fix, Location, Severity, TraceStep
from servicelens.rules.base import Rule
from servicelens.rules.python._argument_guards import arguments, switched_off, truthy_guards
from servicelens.rules.python._blocking_calls import FILE, HASHING, HEAVY, ROUND_TRIP, blocking_vocabulary
from servicelens.rules.python._common import const_str, module_constants
from servicelens.rules.python._diagnostic_switch import mark_switched, switch_at, switched_spans
from servicelens.rules.python._loopback_servers import loopback_apps, mark_loopback, serves_on_loopback
from servicelens.rules.python._private_loops import private_loop_coroutines
from servicelens.rules.python._run_once import once_spans, runs_once
from servicelens.rules.python._shipped_files import shipped_path
from servicelens.rules.python._stand_ins import mark_stand_in, stand_in_class
from servicelens.rules.python._verified_first import first_verification
from servicelens.rules.python.perf_common import (
    FunctionView, PerfContext, Site, call_name, iterated_here, method_of, receiver, reviewable,
)
from servicelens.rules.python.perf_query_in_loop import over_stored_rows, repeats_per_item
from servicelens.taint.scope import ModuleScope

# what a blocking call costs the loop, which grades the finding's confidence (`graded`); the calls and
# their costs are data (models/vocabulary/blocking_calls.yaml, rules/python/_blocking_calls.py)
_WHY = ("The event loop runs one task at a time: while this call blocks, every other request on the worker waits. "
        "A 200 ms call at 50 requests/s queues 10 requests behind it, p99 latency jumps to seconds and health "
        "checks start to time out.")


@dataclass(frozen=True, slots=True)
class Blocking:
    """One blocking call and what it costs the event loop."""

    call: ir.Call
    what: str
    instead: str
    weight: str  # HEAVY / HASHING / ROUND_TRIP / FILE
    repeated: bool = False  # once per row of a query (`hot_loop`)
    accepted: bool = False  # the line silences a linter's blocking-call check (a `noqa: ASYNC230` comment)


def graded(weight: str, repeated: bool, every_request: bool, accepted: bool = False,
           verified: bool = False) -> Confidence:
    """How sure the finding is to matter, from what the call does: a remote peer, a child process,
    a sleep or password hashing blocks for tens of milliseconds to seconds wherever it runs (high);
    one database or cache round trip is a millisecond, a nit in a deliberately synchronous,
    low-traffic service, and matters when it is repeated per row of a query or runs before every
    request the app serves (high) and not otherwise (medium); file I/O costs what the file's size
    costs, which the code does not show (medium). A call whose line silences a linter's own blocking-call
    check (`# noqa: ASYNC221`, flake8-async and Ruff's ASYNC rules) was seen and accepted by the
    maintainers, a deliberate choice whatever it costs (low). Password hashing the async function runs
    only after it verified the request's signed token (`verified`, rules/python/_verified_first.py) is
    paid once per token the server issued, not once per attempt (medium)."""
    if accepted:
        return Confidence.LOW
    if weight == HASHING and verified and not every_request:
        return Confidence.MEDIUM
    if weight in (HEAVY, HASHING) or (weight == ROUND_TRIP and (repeated or every_request)):
        return Confidence.HIGH
    return Confidence.MEDIUM


def cost_at(weight: str, every_request: bool) -> str:
    """Where the finding's cost falls (Finding.cost_at): password hashing outside a per-request hook
    costs what its callers can make the service repeat, so the default profile keeps it high only
    where an anonymous caller reaches it (analysis/profiles.graded_by_callers); a hook every request
    runs pays it for every request, whoever sends them."""
    return ANONYMOUS_CALLERS if weight == HASHING and not every_request else ""


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if not reviewable(module) or not any(f.is_async for f in module.functions):
        return
    ctx = PerfContext.shared(module, scope)
    clients = _sync_clients(ctx, scope)
    by_name = {f.qualname: f for f in module.functions}
    spans = switched_spans(module)
    private = private_loop_coroutines(module, file_index(module, scope))
    local = loopback_apps(module, scope)
    for function in module.functions:
        if not function.is_async or function.qualname in private:
            continue
        view = ctx.view(function)
        every = runs_every_request(module, function)
        double = stand_in_class(function)
        alone = serves_on_loopback(function, local)
        verified = first_verification(function)
        for hit in _blocking(view, scope, function, clients):
            confidence = graded(hit.weight, hit.repeated, every, hit.accepted,
                                verified is not None and verified < hit.call.line)
            finding = _finding(module, function, hit.call, hit.what, hit.instead, (), confidence, cost_at(hit.weight, every))
            yield mark_stand_in(mark_switched(mark_loopback(finding, alone), switch_at(spans, hit.call.line)), double)
        iterated: frozenset[int] | None = None
        for site, callee in _sync_callees(view, scope, function, by_name):
            call = site.call
            if ctx.is_generator(callee):  # its body runs only where the generator is iterated
                iterated = iterated_here(view) if iterated is None else iterated
                if id(call) not in iterated:
                    continue
            passed = arguments(call, 1 if callee.class_name and (ir.dotted_name(call.func) or "").startswith("self.") else 0)
            inner = costliest(hit for hit in _blocking(ctx.view(callee), scope, callee, clients)
                              if not switched_off(truthy_guards(callee, hit.call.line), passed))
            if inner is not None:
                step = TraceStep(Location(module.path, inner.call.line), f"{callee.name}() does {inner.what}",
                                 module.line_text(inner.call.line))
                repeated = inner.repeated or hot_loop(site, view, scope, function)
                finding = _finding(module, function, call, f"{inner.what} (inside {callee.name}())",
                                   f"make {callee.name} async ({inner.instead}) or await asyncio.to_thread({callee.name}, ...)",
                                   (step,), graded(inner.weight, repeated, every, inner.accepted,
                                                   verified is not None and verified < call.line),
                                   cost_at(inner.weight, every))
                yield mark_stand_in(mark_switched(mark_loopback(finding, alone), switch_at(spans, call.line)), double)


def costliest(hits: Iterable[Blocking]) -> Blocking | None:
    """The helper's blocking call that costs its caller most: the first graded high on its own
    (a remote call, a round trip per row), else the first."""
    first = None
    for hit in hits:
        if graded(hit.weight, hit.repeated, False, hit.accepted) is Confidence.HIGH:
            return hit
        if first is None or (first.accepted and not hit.accepted):
            first = hit
    return first


def runs_every_request(module: ir.Module, function: ir.Function) -> bool:
    """An HTTP middleware (`@app.middleware("http")`, a `BaseHTTPMiddleware.dispatch`) or a
    before-request hook: it runs for every request the app serves, so its cost is paid by all of them."""
    if any(registers_per_request(d) for d in function.decorators):
        return True
    if function.name != "dispatch" or function.class_name is None:
        return False
    owner = next((c for c in module.classes if c.qualname == function.class_name), None)
    return owner is not None and any(ir.last_name(base) == "BaseHTTPMiddleware" for base in owner.bases)


def hot_loop(site: Site, view: FunctionView, scope: ModuleScope, function: ir.Function) -> bool:
    """The call runs once per row of a query: a loop around it iterates stored rows, whose number
    grows with a table (perf_query_in_loop.over_stored_rows), and query-in-loop would call it repeated
    (perf_query_in_loop.repeats_per_item: not a loop the call's own branch leaves right after it).
    A loop over one request's items or one object's children stays as small as they are."""
    return over_stored_rows(site, view, scope, function) and \
        repeats_per_item(site, view.loops, scope.module, function, file_index(scope.module, scope))


def _finding(module: ir.Module, function: ir.Function, call: ir.Call, what: str, instead: str,
             steps: tuple[TraceStep, ...], confidence: Confidence, cost: str = "") -> Finding:
    light = "file I/O" in what or "hashing" in what
    return make_finding(
        "blocking-call-in-async", Location(module.path, call.line, call.end_line or call.line),
        f"{what.split(',')[0].capitalize()} in async {function.name}()", _WHY,
        confidence=confidence,
        severity=Severity.MEDIUM if light else None,
        evidence=(TraceStep(Location(module.path, function.line), f"async def {function.name}", module.line_text(function.line)),) + steps,
        fix=Fix(f"Use the async equivalent: {instead}.", f"# was: {module.line_text(call.line)}\n# use: {instead}", "python"),
        rule=RULE.id, key=f"{function.qualname}:{ir.dotted_name(call.func) or ''}", cost_at=cost,
    )


def _blocking(view: FunctionView, scope: ModuleScope, function: ir.Function,
              clients: Mapping[str, str]) -> Iterator[Blocking]:
    once: tuple[tuple[int, int], ...] | None = None  # laid out only once a call blocks (most bodies: never)
    vocabulary = blocking_vocabulary()
    for site in view.sites:
        if site.awaited or site.deferred:
            continue
        call = site.call
        name = call_name(call, scope, function)
        recv = receiver(call)
        recv_name = (ir.dotted_name(recv) if recv is not None else None) or ""
        found: tuple[str, str, str] | None = None
        known = vocabulary.calls.get(name)
        if known is not None:
            if known.cost == FILE and (_state_file(call, function, view) or _shipped_read(call, view, scope)):
                continue
            bounded = known.cost == HEAVY and _bounded_pause(call, name, site.loop is not None)
            found = (known.what, known.instead, ROUND_TRIP if bounded else known.cost)
        elif recv_name in clients and method_of(call) not in vocabulary.client_builders \
                and not rebound(recv_name, view.assigns, lambda value: isinstance(value, ir.Call) and (
                    call_name(value, scope, function) in vocabulary.clients or method_of(value) == "cursor")):
            found = ("a call on a synchronous client", "its asyncio client (redis.asyncio, httpx.AsyncClient, asyncpg)",
                     clients[recv_name])
        elif _is_orm_run(call):
            found = ("a synchronous Django ORM query", f"await ...a{method_of(call)}(...) or sync_to_async", ROUND_TRIP)
        elif method_of(call) in vocabulary.session_io and _is_session_name(recv_name):
            found = ("a synchronous SQLAlchemy Session call", "AsyncSession with await", ROUND_TRIP)
        elif method_of(call) in vocabulary.hasher_methods and \
                any(w in recv_name.lower() for w in vocabulary.hasher_receiver_words):
            found = ("CPU-heavy password hashing", "await asyncio.to_thread(...)", HASHING)
        if found is not None:
            if once is None:
                once = once_spans(scope.walk_stmts(function.body))
            if runs_once(function, once, call.line):
                continue  # memoised: the first call of the process or instance pays it, no later one
            what, instead, weight = found
            yield Blocking(call, what, instead, weight, weight == ROUND_TRIP and hot_loop(site, view, scope, function),
                           accepted_by_linter(scope.module.line_text(call.line), vocabulary.linter_codes))


def accepted_by_linter(line: str, codes: tuple[str, ...]) -> bool:
    """`subprocess.run([...])  # noqa: ASYNC221, S607`: the line silences a linter's check for this very
    call (flake8-async, Ruff's ASYNC rules), so the maintainers saw it block the loop and kept it."""
    marker = _NOQA.search(line)
    return marker is not None and any(code.strip().upper().startswith(codes) for code in marker.group(1).split(","))


_NOQA = re.compile(r"#\s*noqa\s*:\s*([A-Za-z0-9, ]+)")


# a pause the code spells out as shorter than this (seconds) costs what one round trip costs
_SHORT_PAUSE = 0.05
# a pause spelled out as shorter than this (seconds), paid once per call (in no loop), is bounded on its line
_ONE_OFF_PAUSE = 1.0


def _bounded_pause(call: ir.Call, name: str, in_loop: bool) -> bool:
    """`time.sleep(0.01)` between two writes, or one `time.sleep(0.5)` to let a child process come
    up: a literal pause whose cost is on the line, paid once per call. A few milliseconds anywhere,
    or under a second outside any loop, stalls the loop no more than a query does on a rare action:
    graded like one round trip (heavy only per row of a query or before every request). A pause in a
    loop multiplies by its iterations, and a pause of a variable length (a `Retry-After`, a backoff)
    is as long as a peer or a counter decides: both stay heavy."""
    pause = call.arg(0, "secs") if name == "time.sleep" else None
    if not isinstance(pause, ir.Const) or not isinstance(pause.value, (int, float)) or isinstance(pause.value, bool):
        return False
    return pause.value < _SHORT_PAUSE or (not in_loop and pause.value < _ONE_OFF_PAUSE)


# (de)serialisers of a whole document: a file only they touch holds a structured state value
_DOCUMENT_IO = frozenset({"json.dump", "json.load", "yaml.dump", "yaml.safe_dump", "yaml.load", "yaml.safe_load",
                          "toml.dump", "toml.load", "tomllib.load", "tomli.load", "tomli_w.dump"})
_DOCUMENT_TEXT = frozenset({"json.dumps", "yaml.dump", "yaml.safe_dump", "toml.dumps", "tomli_w.dumps"})


def _state_file(call: ir.Call, function: ir.Function, view: FunctionView) -> bool:
    """A text-mode `open()` whose handle only carries a serialised document (`json.dump(state, f)`,
    `json.load(f)`, `f.write(json.dumps(state))`): the service's own settings or state, a few
    kilobytes served from the page cache in microseconds. A file whose text is read out
    (`fh.read()` into a response) or that is opened in binary mode (images, uploads, archives)
    carries data whose size the user decides, and stays reported."""
    mode = const_str(call.arg(1, "mode")) if call.arg(1, "mode") is not None else "r"
    if mode is None or "b" in mode:
        return False
    handles = {ir.dotted_name(item.target) for stmt in ir.walk_stmts(function.body) if isinstance(stmt, ir.With)
               for item in stmt.items if item.context is call and item.target is not None}
    handles |= {name for name, value in view.assigns.items() if value is call}
    handles.discard(None)
    uses = [site.call for site in view.sites if site.call is not call and _touches(site.call, call, handles)]
    return bool(uses) and all(_document_io(use, handles) for use in uses)


def _shipped_read(call: ir.Call, view: FunctionView, scope: ModuleScope) -> bool:
    """Reading a file the code ships with (`open(Path(__file__).parent / "presets" / name)`): a
    template, preset or bundled data file whose size the release fixes, read from the page cache.
    A write there, or a file found anywhere else (a data directory, an upload), stays reported."""
    mode = const_str(call.arg(1, "mode")) if call.arg(1, "mode") is not None else "r"
    if mode is None or any(c in mode for c in "wax+"):
        return False
    constants = scope.memo("module-constant-values", lambda: {
        name: stmt.value for name, stmt in module_constants(scope.module).items() if stmt.value is not None})
    return shipped_path(call.arg(0, "file"), view.assigns, constants)


def _touches(use: ir.Call, opened: ir.Call, handles: set[str | None]) -> bool:
    recv = receiver(use)
    if recv is not None and (ir.dotted_name(recv) in handles or recv is opened):
        return True
    return any(arg is opened or (isinstance(arg, ir.Name) and arg.id in handles) for arg in use.args)


def _document_io(use: ir.Call, handles: set[str | None]) -> bool:
    name = ir.dotted_name(use.func) or ""
    if name in _DOCUMENT_IO:
        return True
    recv = receiver(use)
    if method_of(use) == "write" and recv is not None and ir.dotted_name(recv) in handles and use.args:
        written = use.args[0]
        return isinstance(written, ir.Call) and (ir.dotted_name(written.func) or "") in _DOCUMENT_TEXT
    return False


def _is_orm_run(call: ir.Call) -> bool:
    if method_of(call) not in blocking_vocabulary().orm_runs:
        return False
    node = receiver(call)
    while isinstance(node, (ir.Call, ir.Attr)):
        if isinstance(node, ir.Attr) and node.attr == "objects":
            return isinstance(node.value, ir.Name) and node.value.id[:1].isupper()
        node = node.func if isinstance(node, ir.Call) else node.value
    return False


def _is_session_name(name: str) -> bool:
    last = name.rsplit(".", 1)[-1].lower()
    return last in blocking_vocabulary().session_names or last.endswith("_session")


def _sync_callees(view: FunctionView, scope: ModuleScope, function: ir.Function,
                  by_name: dict[str, ir.Function]) -> Iterator[tuple[Site, ir.Function]]:
    once = once_spans(scope.walk_stmts(function.body))
    for site in view.sites:
        if site.awaited or site.deferred or runs_once(function, once, site.call.line):
            continue
        raw = ir.dotted_name(site.call.func) or ""
        qualname = raw if raw in by_name else (
            f"{function.class_name}.{raw.split('.', 1)[1]}" if raw.startswith("self.") and function.class_name else "")
        callee = by_name.get(qualname)
        if callee is not None and not callee.is_async and callee is not function:
            yield site, callee


def _sync_clients(ctx: PerfContext, scope: ModuleScope) -> dict[str, str]:
    """Names bound to a synchronous client or connection (`r = redis.Redis(...)`), each with what a
    call on it costs: an HTTP session talks to a remote service (HEAVY), a cache or database
    connection makes one round trip (ROUND_TRIP)."""
    found: dict[str, str] = {}
    clients = blocking_vocabulary().clients
    for function, view in ctx.bodies():
        for name, value in view.assigns.items():
            if isinstance(value, ir.Call) and (client := call_name(value, scope, function)) in clients:
                found[name] = clients[client]
            elif isinstance(value, ir.Call) and method_of(value) == "cursor" and \
                    (ir.dotted_name(receiver(value) or ir.Name(0, 0, "")) or "") in found:
                found[name] = ROUND_TRIP
    return found


RULE = Rule("py-perf-blocking-async", frozenset({"blocking-call-in-async"}), "python", check)

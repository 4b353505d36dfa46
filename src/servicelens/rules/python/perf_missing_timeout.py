"""Outbound HTTP, database, Redis, SMTP or task-result call that can wait forever.

## What it finds
- `requests.get/post/...` and calls on a `requests.Session()` without `timeout=`;
- `urllib.request.urlopen`, `http.client.HTTP(S)Connection`, `smtplib.SMTP`,
  `socket.create_connection` without a timeout;
- `httpx` calls or clients with `timeout=None` (httpx defaults to 5 s, so only an explicit
  `None` is reported);
- `urllib3.PoolManager()` / `HTTP(S)ConnectionPool` built without a default timeout when
  the requests made through them pass none either (those of the same function, or for a
  client built to be used elsewhere, as in `__init__`, those of the module, inside a
  deadline block or not);
- `redis.Redis(...)` / `redis.from_url(...)` / `redis.ConnectionPool(...)` without
  `socket_timeout` (a client built on a pool, `Redis(connection_pool=pool)`, is judged at
  the pool);
- `psycopg2.connect` / `psycopg.connect` without `connect_timeout` (in the call or the DSN);
- Celery `.delay(...).get()` / `AsyncResult(...).get()` without `timeout=`.

## What it leaves out, and why
- A call whose receiver is a name the function binds itself (an assignment, a loop target, a
  parameter): `requests = container.get("resources", {}).get("requests", {})` then
  `requests.get("cpu")` reads a mapping, whatever library the name spells.
- A request on a `requests` session that mounts a transport adapter filling in a default timeout
  (`session.mount(prefix, adapter)` with an `HTTPAdapter` subclass whose `send` does
  `kwargs.setdefault("timeout", ...)`, `if timeout is None: timeout = self.timeout`, ...: read
  from the body, whatever the class is called, its own `send` or an inherited one, wherever in
  the project it is defined), when the request's URL is under the mounted prefix: requests sends
  it through that adapter. The prefix must cover the URL as written (_session_mounts.py): a
  session-wide `"https://"`/`"http://"` mount covers any URL, a named prefix (`self.api_base_url`)
  covers URLs built from that same value at their start (`f"{self.api_base_url}{path}"`), while a
  URL built from a shorter base (`f"{self.base_url}/auth/token"`) goes through the default
  adapter and is still reported; so is a request on a session with only a plain
  `HTTPAdapter(max_retries=3)`, or an adapter whose `send` sets no timeout, and one on an
  OAuth session (`requests_oauthlib.OAuth1Session`) with no adapter mounted.
- A Redis client (a cache or broker the deployment runs beside the service) built once at
  start-up (module level) whose address comes from the service's own configuration
  (settings, environment, a module constant, a config object, followed through assignments)
  or is the local machine (no host, a `localhost` literal, a socket path): the process's
  connection to its own infrastructure, which readers of public code judged negligible. A
  client built inside a function (per request, per lock, memoised on first use), one whose
  address is handed in (a parameter, `self.host`) and one to a literal remote host are still
  reported (analysis/client_peer.py). A configured one built inside a function is marked as
  worth a comment only on a request path (`cost_at` REQUEST_ONLY): the default profile shows it
  where a handler reaches the function and holds it back elsewhere, since readers judged such
  clients nits off the request path (a status page, a start-up probe, a worker's cache) and worth
  a timeout on it. A field `__init__` binds from its parameter (`self.uri`) comes from wherever
  the module's own constructions of the class got it (`redisw = RedisWrapper(settings.REDIS_URI)`,
  or `RedisHandler()` with defaults read from the app's config); no construction in the module, or
  one handing in another address, keeps it handed in (a construction in another module is not seen).
- A Redis client told how to find a dead peer without a read timeout (`health_check_interval=`,
  `socket_keepalive=True`, `socket_connect_timeout=`): the half-open connection the finding warns
  about is caught, and the read side is left open on purpose (blocking reads and subscriptions
  wait as long as the server has nothing to send); readers judged such clients nits or false.
- A request to a host the URL names as this machine (`http://localhost:8005/...`: a sidecar
  the deployment runs beside the service) is likewise marked REQUEST_ONLY: readers judged it a
  nit from a background job (the model runs long anyway, only the job waits) and worth a
  timeout on a request path (a wedged sidecar pins web workers).
- Nothing about where a kept client is built: a client constructor (`httpx.AsyncClient(timeout=None)`,
  a pool, a Redis client to a peer) is marked `cost_at` USES, so one built once at start-up (a
  lifespan handler, `AppConfig.ready`) is still reported for the requests that use it, while a
  call that waits (`requests.get`) in start-up code is a nit like any other start-up cost.

## Why it matters
With no timeout a call waits as long as the peer (or a dead TCP connection) lets it: minutes
with the OS defaults, for ever on a half-open socket. Every stuck call holds a worker; a
service with 8 gunicorn workers stops answering once 8 requests hang on a slow dependency,
and the outage spreads upstream.

## Example
```python
resp = requests.get(f"{BILLING_URL}/invoices/{invoice_id}")
sessions = redis.Redis(host=tenant.cache_host)  # an address the caller handed in
```

## Fix
```python
resp = requests.get(f"{BILLING_URL}/invoices/{invoice_id}", timeout=(3.05, 10))
```
Set the timeout once on long-lived clients (`httpx.Client(timeout=10)`,
`aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))`,
`redis.Redis(socket_timeout=5, socket_connect_timeout=2)`).
A `requests` session has no timeout setting of its own: each request on one carries, besides
its own fix, the session's construction (the finding's `group`, _session_origins.py: a local, a
field bound in `__init__` or a base class's, a module-level name, a factory's return), with the
fix there: mount an adapter whose `send` fills in a timeout the call did not pass. Two or more
requests on one session read as one recommendation at that place (docs/report-format.md).

## Known problems
`aiohttp.ClientSession()` is not reported: aiohttp stops every request after a 300 s total
default (readers of public code judged "no timeout" false there), though a deadline below
your own is still better. An explicit `ClientTimeout(total=None)` at the session is not seen
either (one handed into a project factory that builds the session is: py-perf-factory-timeout).
A `requests.Session` subclass that injects a default timeout is not seen. A standard-library
socket client (`urlopen`, `http.client`, `smtplib`, `socket.create_connection`) after a
`socket.setdefaulttimeout(n)` earlier in its block, or in a module that sets one at import, is
left out (_socket_default.py); one set in another module, or by a caller before it calls, is not
seen, and `requests` ignores it (it passes its own `None` to the socket). Sessions built by a factory function or method of the same module
(`self.http = http or make_session()`, where `make_session` returns a `requests.Session()` it
configured, or a `cached_property` returning one) are followed, with the adapters the factory
mounts, and so are sessions handed in through a parameter annotated `requests.Session` (an
adapter mounted on such a session in another module is not seen: false positive); an
unannotated session passed in from another module is not (false negative). A function that binds
a session's name itself to something else (`async with httpx.AsyncClient(timeout=5) as session:` where
another function has `session = requests.Session()`) calls its own client
(analysis/receiver_bindings.py). Where in the code
an adapter is mounted is not weighed against when the request is sent. An explicit `timeout=None` is reported like a
missing one.
A call inside a `with`/`async with` deadline block (`asyncio.timeout(5)`, `async_timeout`,
anyio `fail_after`/`move_on_after`) is not reported: the block is cancelled at the deadline.
A deadline set further up (the caller's block, `asyncio.wait_for` around the coroutine) is
not seen. A configured Redis client built at module level and used on every request is left
out (false negative where the deployment's Redis is remote or overloaded); Postgres DSNs from
configuration are still reported (a hung database pins workers, and the default DSN of most
projects sets no `connect_timeout`). A connect given a connection string that a function of the
project assembles (`psycopg.connect(manager.create_connection_string(db, user))`) is left out when
the project writes the parameter as data somewhere (`{"connect_timeout": 10}` in a parameter
table, a default or a form): the assembled string may carry it, and only the data says whether
it does (false negative where that data leaves it out for this connection).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Callable, Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.analysis.client_peer import (
    Origin, constructed_fields, names_local_host, own_infrastructure, written_start,
)
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.analysis.excerpt import quote_line
from servicelens.model.finding import REQUEST_ONLY, USES, Confidence, Construction, Finding, Fix, Location
from servicelens.analysis.file_index import file_index
from servicelens.analysis.node_dispatch import sites
from servicelens.analysis.receiver_bindings import rebound
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python._adapter_timeouts import AdapterClass, AdapterIndex, adapter_classes
from servicelens.rules.python._common import const_str
from servicelens.rules.python._http_clients import http_clients
from servicelens.rules.python._session_mounts import SessionMounts, is_property
from servicelens.rules.python._session_origins import SessionOrigin, session_origin
from servicelens.rules.python._socket_default import SOCKET_DEFAULT_CLIENTS, sets_default_at_import, socket_default_spans
from servicelens.rules.python.rel_shared import file_tokens
from servicelens.rules.python.perf_common import (
    FunctionView, PerfContext, call_name, has_kwarg, is_none, local_receiver, method_of, receiver, reviewable,
    with_kwarg,
)
from servicelens.taint.scope import ModuleScope

_HTTP = http_clients()
_VERBS, _REQUESTS, _SESSIONS = _HTTP.verbs, _HTTP.requests, _HTTP.sessions
_HTTPX_CLIENTS, _HTTPX = _HTTP.httpx_clients, _HTTP.httpx
# callee -> (keyword names that count as a timeout, what the default is, suggested keyword)
_NEEDS = {
    "urllib.request.urlopen": (("timeout",), "the socket default: no timeout", "timeout=10"),
    "http.client.HTTPConnection": (("timeout",), "no timeout", "timeout=10"),
    "http.client.HTTPSConnection": (("timeout",), "no timeout", "timeout=10"),
    "smtplib.SMTP": (("timeout",), "no timeout", "timeout=10"),
    "smtplib.SMTP_SSL": (("timeout",), "no timeout", "timeout=10"),
    "socket.create_connection": (("timeout",), "no timeout", "timeout=5"),
    "redis.Redis": (("socket_timeout",), "no socket timeout", "socket_timeout=5, socket_connect_timeout=2"),
    "redis.StrictRedis": (("socket_timeout",), "no socket timeout", "socket_timeout=5, socket_connect_timeout=2"),
    "redis.from_url": (("socket_timeout",), "no socket timeout", "socket_timeout=5, socket_connect_timeout=2"),
    "redis.Redis.from_url": (("socket_timeout",), "no socket timeout", "socket_timeout=5, socket_connect_timeout=2"),
    "redis.asyncio.Redis": (("socket_timeout",), "no socket timeout", "socket_timeout=5, socket_connect_timeout=2"),
    "redis.asyncio.from_url": (("socket_timeout",), "no socket timeout", "socket_timeout=5, socket_connect_timeout=2"),
    # a client built on a pool (`Redis(connection_pool=pool)`) takes its socket options from it
    "redis.ConnectionPool": (("socket_timeout",), "no socket timeout", "socket_timeout=5, socket_connect_timeout=2"),
    "redis.BlockingConnectionPool": (("socket_timeout",), "no socket timeout",
                                     "socket_timeout=5, socket_connect_timeout=2"),
    "redis.asyncio.ConnectionPool": (("socket_timeout",), "no socket timeout",
                                     "socket_timeout=5, socket_connect_timeout=2"),
    "psycopg2.connect": (("connect_timeout",), "no connect timeout", "connect_timeout=5"),
    "psycopg.connect": (("connect_timeout",), "no connect timeout", "connect_timeout=5"),
}
# clients of a backing store a deployment runs beside the service (its cache, its broker): built
# at start-up from the service's own configuration or on the local machine, a missing socket
# timeout there hangs only on a half-open connection inside the deployment (analysis/client_peer.py)
_BACKING_STORES = frozenset(name for name in _NEEDS if name.startswith("redis."))
# clients whose requests may carry the timeout instead of the constructor
_CLIENTS = {
    "urllib3.PoolManager": ("no timeout", "timeout=urllib3.Timeout(connect=2.0, read=10.0)"),
    "urllib3.HTTPConnectionPool": ("no timeout", "timeout=urllib3.Timeout(connect=2.0, read=10.0)"),
    "urllib3.HTTPSConnectionPool": ("no timeout", "timeout=urllib3.Timeout(connect=2.0, read=10.0)"),
}
_WHY = ("With no timeout this call waits as long as the peer lets it: minutes with OS defaults, for ever on a "
        "half-open connection. Each stuck call pins a worker; with 8 workers, 8 hung calls take the service down "
        "and the outage spreads to its callers.")


@dataclass(frozen=True, slots=True)
class TimeoutFacts:
    """Per file: the calls without a timeout (each with the adapter classes its session sends it
    through, when the session mounts any at a prefix its URL is written under, and the connection
    parameter its assembled connection string could carry instead), the classes of the file that
    may be such adapters, and the connection parameters the file names as data. `combine` drops a
    call one of whose adapters fills in a timeout in its `send` (_adapter_timeouts.py), wherever in
    the project that class is, and a connect whose assembled string may carry a parameter the
    project names as data."""
    candidates: tuple[tuple[Finding, tuple[str, ...], str], ...]
    adapters: tuple[AdapterClass, ...]
    data_keys: frozenset[str] = frozenset()


_NOTHING = TimeoutFacts((), ())


def collect(module: ir.Module, scope: ModuleScope) -> TimeoutFacts | None:
    if not reviewable(module):
        return None
    return contribution(TimeoutFacts(tuple(_candidates(module, scope)), adapter_classes(module, scope),
                                     _data_keys(module)), _NOTHING)


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, TimeoutFacts)]
    adapters = AdapterIndex.of(a for fact in facts for a in fact.adapters)
    data_keys = frozenset(key for fact in facts for key in fact.data_keys)
    for fact in facts:
        for finding, through, assembled_key in fact.candidates:
            if assembled_key and assembled_key in data_keys:
                continue
            if settings.enabled(finding.concern) and not any(adapters.sets_timeout(a) for a in through):
                yield finding


# connection parameters a connection string may carry in place of a keyword argument
_DSN_KEYS = frozenset(key for name, (keys, _, _) in _NEEDS.items() if name.startswith("psycopg") for key in keys)


def _data_keys(module: ir.Module) -> frozenset[str]:
    """The connection parameters (`connect_timeout`) this file writes as a string in code: a key
    of a parameter table, a default, a form field. A project that treats the parameter as data
    may put it in every connection string it assembles; the text is read first, the IR only
    when the name is there (a comment or docstring does not count)."""
    keys = [key for key in _DSN_KEYS if any(key in line for line in module.lines)]
    if not keys:
        return frozenset()
    found: set[str] = set()
    bodies = [module.body, *(function.body for function in module.functions)]
    for body in bodies:
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.value, ir.Const):
                continue  # a docstring
            for expr in ir.stmt_exprs(stmt):
                for sub in ir.walk_expr(expr):
                    if isinstance(sub, ir.Const) and sub.value in keys:
                        found.add(sub.value)
    return frozenset(found)


def _assembled_key(call: ir.Call, name: str, assigns: Mapping[str, ir.Expr]) -> str:
    """The connection parameter (`connect_timeout`) a database connect may receive through a
    connection string the project assembles in a function of its own
    (`dsn = manager.create_connection_string(db, user)`), "" for any other call: a string
    written here (a literal, an f-string, `"...".format(...)`) shows every key it has, and one
    read from the environment or settings is the deployment's default DSN, which rarely sets one."""
    if name not in _NEEDS or not name.startswith("psycopg"):
        return ""
    dsn = call.arg(0, "conninfo") or call.arg(0, "dsn")
    if isinstance(dsn, ir.Name):
        dsn = assigns.get(dsn.id, dsn)
    if not isinstance(dsn, ir.Call) or isinstance(dsn.func, ir.Attr) and isinstance(dsn.func.value, ir.Const):
        return ""
    head = (ir.dotted_name(dsn.func) or "").split(".", 1)[0]
    if head in _CONFIG_HOLDERS or ir.last_name(dsn.func) in _CONFIG_READS:
        return ""
    return _NEEDS[name][0][0]


# how a deployment's DSN is read (`os.environ.get("DATABASE_URL")`, `env.str(...)`, `config("DSN")`)
_CONFIG_READS = frozenset({"get", "getenv", "str", "url", "config", "env", "environ", "format", "getattr"})
_CONFIG_HOLDERS = frozenset({"os", "settings", "config", "env", "environ"})


def _candidates(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[Finding, tuple[str, ...], str]]:
    ctx = PerfContext.shared(module, scope)
    sessions = _session_names(ctx, scope)
    module_times = cache(lambda: _requests_timed_in_module(ctx))
    fields = cache(lambda: _instance_fields(ctx))
    mounted = cache(lambda: SessionMounts.shared(ctx, scope) if any(
        method_of(site.call) == "mount" for _, view in ctx.bodies() for site in view.sites) else None)
    origins = cache(lambda: SessionMounts.shared(ctx, scope))
    traced: dict[tuple[str, str], SessionOrigin | None] = {}  # a receiver's construction, per function
    at_import = cache(lambda: sets_default_at_import(module, scope))
    for function, view in ctx.bodies():
        bounded: list[tuple[int, int]] | None = None  # walked only once a call lacks a timeout
        defaulted: list[tuple[int, int]] | None = None  # lines after a `socket.setdefaulttimeout(n)`
        for call, default, kwarg, confidence, cost_at in _missing(view, scope, function, sessions, module_times,
                                                                   fields):
            body = function.body if function is not None else module.body
            if bounded is None:
                bounded = _deadline_scopes(body)
            if any(start <= call.line <= end for start, end in bounded):
                continue  # the whole block runs under a deadline: the call cannot outlive it
            if call_name(call, scope, function) in SOCKET_DEFAULT_CLIENTS:
                if defaulted is None:
                    defaulted = socket_default_spans(body, scope, function)
                if at_import() or any(start <= call.line <= end for start, end in defaulted):
                    continue  # its socket takes the process-wide default timeout set before it
            on_session = _on_session(call, sessions, view.assigns, scope, function)
            mounts = mounted() if on_session else None
            through = mounts.covering(call, _url_of(call), function) if mounts is not None else ()
            origin = _origin_of(call, function, traced, lambda: session_origin(
                call, function, ctx, origins(), lambda made, where: call_name(made, scope, where) in _SESSIONS)) \
                if on_session else None
            assembled = _assembled_key(call, call_name(call, scope, function), view.assigns)
            yield make_finding(
                "missing-timeout", Location(module.path, call.line, call.end_line or call.line),
                f"{ir.dotted_name(call.func) or 'call'}() without a timeout", f"Default: {default}. " + _WHY,
                confidence=confidence,
                fix=Fix(f"Pass {kwarg.split('=')[0]}= (connect and read budgets below your own request deadline).",
                        with_kwarg(module, call, kwarg), "python"),
                rule=RULE.id, key=ir.dotted_name(call.func) or "", cost_at=cost_at,
                group=_session_group(module, origin) if origin is not None else None,
            ), through, assembled


# what the fix at a session's construction mounts: requests has no session-wide timeout, and an
# adapter's `send` receives `timeout=None` from every call that passes none
_TIMEOUT_ADAPTER = (
    "class TimeoutAdapter(requests.adapters.HTTPAdapter):\n"
    "    def send(self, request, **kwargs):\n"
    "        if kwargs.get(\"timeout\") is None:\n"
    "            kwargs[\"timeout\"] = (3.05, 10)\n"
    "        return super().send(request, **kwargs)\n\n"
)


def _session_group(module: ir.Module, origin: SessionOrigin) -> Construction:
    """The recommendation at a session's construction, written with its own names: one adapter
    mounted there gives every request on it a timeout, so the calls listed need no change."""
    made = origin.call
    line = quote_line(module.lines, made.line)
    maker = ir.dotted_name(made.func) or "Session"
    if origin.bound:
        name, lines = origin.bound, [line]
        indent = "    " if line.rstrip().endswith(":") else ""  # `with requests.Session() as s:`
    else:  # `return requests.Session()`: bind it first
        name, indent = "session", ""
        lines = [f"session = {maker}()"]
    lines += [f'{indent}{name}.mount("{scheme}", TimeoutAdapter())' for scheme in ("https://", "http://")]
    if not origin.bound:
        lines.append("return session")
    where = origin.function
    if not origin.bound:
        subject = f"the session {where.name}() returns" if where is not None else maker
    elif where is not None and not origin.bound.startswith("self."):
        subject = f"{origin.bound} in {where.name}()"  # a local: made per call of the function
    else:
        subject = origin.bound
    return Construction(
        Location(module.path, made.line, made.end_line or made.line), line, subject,
        f"{subject} ({maker}()) sends requests without a timeout",
        Fix("requests has no session-wide timeout: mount an adapter that gives every request on the session "
            "one unless the call passes its own, where the session is made; the calls listed then need no change.",
            _TIMEOUT_ADAPTER + "\n".join(lines), "python"))


def _url_of(call: ir.Call) -> ir.Expr | None:
    """The URL a request is sent to: `session.get(url)`, `session.request(method, url)`."""
    return call.arg(1, "url") if method_of(call) == "request" else call.arg(0, "url")


def _missing(view: FunctionView, scope: ModuleScope, function: ir.Function | None, sessions: _Sessions,
             module_times: Callable[[], bool], fields: Callable[[], Mapping[str, Mapping[str, Origin]]]) \
        -> Iterator[tuple[ir.Call, str, str, Confidence, str]]:
    """(call, the library's default, the keyword to pass, confidence, where the cost falls): a call
    that waits here costs wherever this line runs; a client built here costs its users (USES),
    and one of the deployment's own backing store only where a request path builds it (REQUEST_ONLY)."""
    timed_requests = any(_timed(site.call) for site in view.sites)
    # a client built here and used elsewhere (`self.pool = urllib3.PoolManager()` in
    # `__init__`) is judged by the module's requests; one used here, by this function's
    makes_requests = any(method_of(site.call) in _VERBS | {"urlopen", "ws_connect"} for site in view.sites)
    for site in view.sites:
        call = site.call
        name = "" if local_receiver(call, view.assigns, function) else call_name(call, scope, function)
        if name in _REQUESTS or _on_session(call, sessions, view.assigns, scope, function):
            if not has_kwarg(call, "timeout") or is_none(call.kwarg("timeout")):
                yield (call, "requests sets no timeout at all", "timeout=(3.05, 10)", Confidence.HIGH,
                       REQUEST_ONLY if names_local_host(call.arg(0, "url"), view.assigns) else "")
        elif name in _HTTPX:
            if is_none(call.kwarg("timeout")):
                yield (call, "timeout=None disables httpx's 5 s default", "timeout=10", Confidence.HIGH,
                       USES if name in _HTTPX_CLIENTS else "")
        elif name in _NEEDS:
            keys, default, kwarg = _NEEDS[name]
            if has_kwarg(call, *keys) or _dsn_has(call, keys) or _positional_timeout(name, call) \
                    or has_kwarg(call, "connection_pool") \
                    or _written_scheme(call.arg(0, "url"), view.assigns) == "data:":  # an inline payload, no peer
                continue
            if name not in _BACKING_STORES:
                yield call, default, kwarg, Confidence.HIGH, ""
            elif _liveness_checked(call):
                continue  # a dead peer is found by the connect deadline, keepalive probes or health checks
            elif not own_infrastructure(_store_address(call), view.assigns, _parameters(function),
                                        fields().get(function.class_name or "", {}) if function is not None else {}):
                yield call, default, kwarg, Confidence.MEDIUM, USES
            elif function is not None:  # built at start-up (module level) from the service's own configuration: left out
                yield call, default, kwarg, Confidence.MEDIUM, REQUEST_ONLY
        elif name in _CLIENTS:
            default, kwarg = _CLIENTS[name]
            if not has_kwarg(call, "timeout") and not timed_requests and (makes_requests or not module_times()):
                yield call, default, kwarg, Confidence.MEDIUM, USES
        elif _is_task_result_get(call, scope, function):
            if not has_kwarg(call, "timeout"):
                yield call, "a task result waits for ever", "timeout=10", Confidence.HIGH, ""


# what a backing-store client may be given instead of a read timeout: a connect deadline, TCP
# keepalive probes, a ping before reusing an idle connection (redis-py's documented options)
_LIVENESS = ("socket_connect_timeout", "socket_keepalive", "health_check_interval")


def _liveness_checked(call: ir.Call) -> bool:
    """The client is told how to find a dead peer (`health_check_interval=30`, `socket_keepalive=True`,
    `socket_connect_timeout=10`) and left without a read timeout: the half-open connection the finding
    is about is caught, and the read side is open on purpose (blocking reads, subscriptions wait for
    as long as the server has nothing to say)."""
    for key in _LIVENESS:
        value = call.kwarg(key)
        if value is not None and not is_none(value) and not (isinstance(value, ir.Const) and value.value in (False, 0)):
            return True
    return False


def _instance_fields(ctx: PerfContext) -> dict[str, Mapping[str, Origin]]:
    """Per class of the module, where each field its `__init__` binds comes from, judged by what
    the module's own constructions of the class hand it (`redisw = RedisWrapper(settings.REDIS_URI)`,
    or `RedisHandler()` taking defaults read from the app's config): a client a method builds from
    `self.uri` then connects to the deployment's configured store, not to an address handed in."""
    inits = {f.class_name: f for f in ctx.module.functions
             if f.name == "__init__" and f.class_name and "<locals>" not in f.qualname and f.params}
    if not inits:
        return {}
    built: dict[str, list[tuple[ir.Call, Mapping[str, ir.Expr], frozenset[str]]]] = {}
    for function, view in ctx.bodies():
        for site in view.sites:
            name = ir.dotted_name(site.call.func) or ""
            if name in inits:
                built.setdefault(name, []).append((site.call, view.assigns, _parameters(function)))
    return {name: constructed_fields(init, ctx.view(init).assigns, built[name])
            for name, init in inits.items() if name in built}


def _parameters(function: ir.Function | None) -> frozenset[str]:
    """A function's parameter names (`self` included): an address bound to one is handed in."""
    return frozenset(p.name for p in function.params) if function is not None else frozenset()


# `async with asyncio.timeout(5):`, `async_timeout.timeout`, anyio `fail_after`/`move_on_after`,
# trio's: the block is cancelled at the deadline, whatever the calls inside do
_DEADLINE_CONTEXTS = frozenset({"timeout", "timeout_at", "fail_after", "fail_at", "move_on_after", "move_on_at"})


def _timed(call: ir.Call) -> bool:
    """A request that carries its own timeout (`session.get(url, timeout=5)`)."""
    return method_of(call) in _VERBS | {"urlopen", "ws_connect"} and call.kwarg("timeout") is not None \
        and not is_none(call.kwarg("timeout"))


def _requests_timed_in_module(ctx: PerfContext) -> bool:
    """A client built without a default timeout is fine when the module's requests carry one, or
    run inside a deadline block (`async with async_timeout.timeout(self.timeout): await
    self.session.request(...)` in the client's own `_request` helper)."""
    for function, view in ctx.bodies():
        requests = [site.call for site in view.sites if method_of(site.call) in _VERBS | {"urlopen", "ws_connect"}]
        if any(_timed(call) for call in requests):
            return True
        if requests:
            scopes = _deadline_scopes(function.body if function is not None else ctx.module.body)
            if any(start <= call.line <= end for call in requests for start, end in scopes):
                return True
    return False


def _deadline_scopes(body: tuple[ir.Stmt, ...]) -> list[tuple[int, int]]:
    """Line ranges of `with <timeout context>:` blocks whose deadline is not None."""
    return [(stmt.line, stmt.end_line) for stmt in ir.walk_stmts(body)
            if isinstance(stmt, ir.With) and any(
                isinstance(item.context, ir.Call)
                and (ir.dotted_name(item.context.func) or "").rpartition(".")[2] in _DEADLINE_CONTEXTS
                and not is_none(item.context.arg(0, "delay"))
                for item in stmt.items)]


@dataclass(frozen=True, slots=True)
class _Sessions:
    """The module's names bound to a requests session, and its functions that build one."""
    names: frozenset[str] = frozenset()
    factories: frozenset[str] = frozenset()


def _on_session(call: ir.Call, sessions: _Sessions, assigns: Mapping[str, ir.Expr], scope: ModuleScope,
                function: ir.Function | None) -> bool:
    """A request on a name the module binds to a session, unless this function binds the name itself
    to something else (`async with httpx.AsyncClient() as session:`): analysis/receiver_bindings.py."""
    recv = receiver(call)
    name = (ir.dotted_name(recv) or "") if recv is not None else ""
    return method_of(call) in _VERBS and name in sessions.names and not rebound(
        name, assigns, lambda value: _builds_session(value, scope, function, sessions.factories)
        or (ir.dotted_name(value) or "") in sessions.names)


def _session_names(ctx: PerfContext, scope: ModuleScope) -> _Sessions:
    """Names (`session`, `self.http`) bound to a `requests.Session()` anywhere in the module, built
    directly, by a factory function or method of the module (`self.http = http or make_session()`,
    `self.session = self._build_session()`), served by a `property`/`cached_property` of the class
    that returns one (`self.session`), or handed in as a parameter declared `requests.Session`
    (`def __init__(self, session: requests.Session): self._session = session`): wherever it was
    built, a plain Session has no default timeout."""
    if not _may_name_requests(ctx, scope):
        return _Sessions()
    factories = _session_factories(ctx, scope)
    found: set[str] = {name for name in factories if name.startswith("self.") and name in _properties(ctx)}
    for function, view in ctx.bodies():
        typed = _session_params(function, scope)
        found |= typed
        for name, value in view.assigns.items():
            if _builds_session(value, scope, function, factories) or \
                    (isinstance(value, ir.Name) and value.id in typed):
                found.add(name)
    return _Sessions(frozenset(found - {""}), factories)


def _may_name_requests(ctx: PerfContext, scope: ModuleScope) -> bool:
    """Can a callee or annotation of this file qualify to one of `_SESSIONS` (each starts with
    `requests`)? Only through an import, the module's own name (`self.x`, a local function or
    class), or a spelling starting with it (a builtin, an unresolved name): asked once per file
    before every assignment's callee is qualified."""
    return "requests" in scope.name or any("requests" in target for target in scope.imports.values()) \
        or "requests" in file_tokens(ctx.module, scope)


def _origin_of(call: ir.Call, function: ir.Function | None, traced: dict[tuple[str, str], SessionOrigin | None],
               trace: Callable[[], SessionOrigin | None]) -> SessionOrigin | None:
    """The session construction of `call`, traced once per receiver name and function: forty
    calls on `self.session` share one answer (what the name stands for does not depend on the line)."""
    name = ir.dotted_name(call.func.value) if isinstance(call.func, ir.Attr) else None
    if name is None:
        return trace()
    key = (name, function.qualname if function is not None else "")
    if key not in traced:
        traced[key] = trace()
    return traced[key]


def _properties(ctx: PerfContext) -> frozenset[str]:
    """`self.<name>` of the module's methods read as attributes (`@property`, `@cached_property`)."""
    return frozenset(f"self.{f.name}" for f in ctx.module.functions if f.class_name and is_property(f))


def _session_params(function: ir.Function | None, scope: ModuleScope) -> frozenset[str]:
    """Parameters annotated `requests.Session` (or `Session | None`, `Optional[Session]`)."""
    if function is None:
        return frozenset()
    names = set()
    for param in function.params:
        if param.annotation is None:
            continue
        spelled = {ir.dotted_name(node) or "" for node in ir.walk_expr(param.annotation)}
        if any((scope.qualify(raw, function, set()) or raw) in _SESSIONS for raw in spelled if raw):
            names.add(param.name)
    return frozenset(names)


def _builds_session(value: ir.Expr, scope: ModuleScope, function: ir.Function | None,
                    factories: frozenset[str]) -> bool:
    """`requests.Session()`, `make_session()`, or either side of `given or make_session()`."""
    if isinstance(value, ir.BoolOp):
        return any(_builds_session(v, scope, function, factories) for v in value.values)
    if isinstance(value, ir.IfExp):
        return any(_builds_session(v, scope, function, factories) for v in (value.body, value.orelse))
    if not isinstance(value, ir.Call):
        return False
    return call_name(value, scope, function) in _SESSIONS or (ir.dotted_name(value.func) or "") in factories


def _session_factories(ctx: PerfContext, scope: ModuleScope) -> frozenset[str]:
    """Functions of the module that return a `requests.Session` they built (`def make_client():
    s = requests.Session(); s.headers.update(...); return s`), and functions returning theirs, by
    the name they are called with: `make_client`, or `self._build_session` for a method."""
    # the returns of the module's functions, by function in the module's order and in walk order
    # within each (dispatch by node kind: the file's return statements, not a walk per function)
    returns = [(site.function, site.node) for site in sites(file_index(ctx.module, scope), (ir.Return,))
               if site.function is not None and "<locals>" not in site.function.qualname
               and site.node.value is not None]  # type: ignore[attr-defined]
    factories: set[str] = set()
    for _ in range(3):  # a factory may call a factory
        before = len(factories)
        for function, stmt in returns:
            value = stmt.value  # type: ignore[attr-defined]
            if isinstance(value, ir.Name):
                value = ctx.view(function).assigns.get(value.id, value)
            if _builds_session(value, scope, function, frozenset(factories)):
                factories.add(f"self.{function.name}" if function.class_name else function.name)
        if len(factories) == before:
            break
    return frozenset(factories)


def _store_address(call: ir.Call) -> ir.Expr | None:
    """What a Redis client connects to: its URL (`from_url(url)`), host (`Redis(host=...)`, first
    positional) or socket path; None when it takes the library's default (localhost)."""
    return call.arg(0, "url") or call.kwarg("host") or call.kwarg("unix_socket_path")


def _dsn_has(call: ir.Call, keys: tuple[str, ...]) -> bool:
    dsn = const_str(call.arg(0, "dsn")) or const_str(call.arg(0, "url")) or const_str(call.arg(0, "conninfo")) or ""
    return any(key in dsn for key in keys)


def _written_scheme(url: ir.Expr | None, assigns: Mapping[str, ir.Expr]) -> str:
    """The scheme a URL is written with (`"data:image/png;base64," + payload` -> "data:"); "" when it
    is not written out. `urlopen` of a `data:` URI decodes the text it is given and opens no connection."""
    scheme, colon, _ = written_start(url, assigns).partition(":")
    return f"{scheme.lower()}:" if colon and scheme.isalpha() else ""


def _positional_timeout(name: str, call: ir.Call) -> bool:
    """urlopen(url, data, timeout) and HTTPConnection(host, port, timeout) take it positionally."""
    position = {"urllib.request.urlopen": 2, "http.client.HTTPConnection": 2, "http.client.HTTPSConnection": 2,
                "socket.create_connection": 1, "smtplib.SMTP": 3, "smtplib.SMTP_SSL": 3}.get(name)
    return position is not None and len(call.args) > position


def _is_task_result_get(call: ir.Call, scope: ModuleScope, function: ir.Function | None) -> bool:
    recv = receiver(call)
    if method_of(call) != "get" or call.args or not isinstance(recv, ir.Call):
        return False
    inner = method_of(recv)
    return inner in ("delay", "apply_async") or call_name(recv, scope, function).endswith("AsyncResult")


RULE = Rule("py-perf-missing-timeout", frozenset({"missing-timeout"}), "python", no_findings,
            collect=collect, combine=combine)

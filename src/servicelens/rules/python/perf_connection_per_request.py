"""Engine, pool, client or connection created per request (or per task) instead of reused.

## What it finds
Inside a request handler (Django/DRF view, Flask or FastAPI route) or a Celery task:
`create_engine`/`create_async_engine`, `sessionmaker`, `psycopg2.connect`/`psycopg.connect`/
`asyncpg.connect`/`asyncpg.create_pool`/`pymysql.connect`, `redis.Redis(...)`/`ConnectionPool`,
`pymongo.MongoClient`, `httpx.Client`/`AsyncClient`, `aiohttp.ClientSession`,
`requests.Session()`, `boto3.client`/`resource`, PyJWT's `PyJWKClient` (its signing-key cache lives on
the instance), and the documented alternative constructors and
pools of the same clients (`redis.Redis.from_url`, `psycopg_pool.ConnectionPool`, aiopg/aiomysql
connects and pools, `urllib3.PoolManager`).

## Why it matters
Each new client pays DNS, TCP and TLS handshakes (and database authentication: 5-20 ms with
SCRAM) before doing any work, and throws its keep-alive connections away afterwards. At 200
requests/s that is 200 new database connections per second: Postgres' default
`max_connections = 100` is exhausted by a traffic spike, and an engine per request leaks a
whole pool each time.

## Example
```python
@app.get("/users/{user_id}")
async def get_user(user_id: int):
    engine = create_async_engine(DATABASE_URL)
```

## Fix
Create it once at start-up (module level, the app factory or a FastAPI lifespan) and share
it: `engine = create_async_engine(DATABASE_URL, pool_size=10)` at module level and a
per-request session from `async_sessionmaker(engine)`; one `httpx.AsyncClient` in
`app.state`; Django's own connection handling (`CONN_MAX_AGE`) instead of raw connects.

A FastAPI dependency (a function any file hands to `Depends(...)`, directly or through an
`Annotated[..., Depends(get_cache)]` alias) runs once per request too: a client built in it
(`return Redis.from_url(settings.redis_url)`) is built per request, unless the function is cached
(`@lru_cache`).

A factory, service method or helper a request runs, in any module and up to four calls below the
handler (analysis/request_paths.py), builds a client per request too when it keeps it nowhere: it is
reported where the client is built. A client stored where the next call finds it (`self._client`,
a module global assigned under `global`, a dict entry) or a cached factory (`@lru_cache`,
`@cached_property`) is built once; so is one built by a factory whose caller keeps it, on the way from
the handler (`_connection = Wrapper(_build_client())` under `global`, `self._engine = get_engine()`,
`_clients[key] = client` after `client = make_client()`: analysis/request_paths.py's `KEPT`); a helper
only a command, a job or a test calls is not reported.

## Known problems
A client created
per request on purpose (per-tenant credentials) is still reported, at medium confidence.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.config.settings import Settings
from servicelens.endpoints.principals import depends_targets
from servicelens.analysis.file_index import file_index
from servicelens.rules.base import Rule, contribution
from servicelens.analysis.request_paths import EMPTY, KEPT, RequestPaths, Route
from servicelens.rules.python._kept_values import is_cached_function, keeps_result
from servicelens.rules.python._project_calls import function_key
from servicelens.rules.python.perf_common import PerfContext, call_name, reviewable
from servicelens.taint.scope import ModuleScope
from servicelens.fixcode import strip_comment

# constructor -> (what it is, how to share it)
_CLIENTS = {
    "sqlalchemy.create_engine": ("a SQLAlchemy engine (a whole connection pool)", "create the engine once at module level"),
    "sqlalchemy.ext.asyncio.create_async_engine": ("a SQLAlchemy engine (a whole connection pool)", "create the engine once at module level"),
    "sqlmodel.create_engine": ("a SQLAlchemy engine (a whole connection pool)", "create the engine once at module level"),
    "psycopg2.connect": ("a new Postgres connection", "use a pool (psycopg2.pool / psycopg_pool) created at start-up"),
    "psycopg.connect": ("a new Postgres connection", "use psycopg_pool.ConnectionPool created at start-up"),
    "asyncpg.connect": ("a new Postgres connection", "use asyncpg.create_pool() once in the app lifespan"),
    "asyncpg.create_pool": ("a new Postgres pool", "create the pool once in the app lifespan"),
    "pymysql.connect": ("a new MySQL connection", "use a pooled engine created at start-up"),
    "MySQLdb.connect": ("a new MySQL connection", "use a pooled engine created at start-up"),
    "redis.Redis": ("a new Redis client and pool", "create one client at module level and reuse it"),
    "redis.StrictRedis": ("a new Redis client and pool", "create one client at module level and reuse it"),
    "redis.from_url": ("a new Redis client and pool", "create one client at module level and reuse it"),
    "redis.ConnectionPool": ("a new Redis pool", "create the pool once at module level"),
    # the documented classmethod constructors build the same client and pool as the class call
    "redis.Redis.from_url": ("a new Redis client and pool", "create one client at module level and reuse it"),
    "redis.StrictRedis.from_url": ("a new Redis client and pool", "create one client at module level and reuse it"),
    "redis.ConnectionPool.from_url": ("a new Redis pool", "create the pool once at module level"),
    "redis.asyncio.Redis.from_url": ("a new Redis client and pool", "create one client at start-up and reuse it"),
    "psycopg_pool.ConnectionPool": ("a new Postgres pool", "create the pool once at start-up"),
    "psycopg_pool.AsyncConnectionPool": ("a new Postgres pool", "create the pool once in the app lifespan"),
    "aiopg.connect": ("a new Postgres connection", "use aiopg.create_pool() once at start-up"),
    "aiopg.create_pool": ("a new Postgres pool", "create the pool once at start-up"),
    "aiomysql.connect": ("a new MySQL connection", "use aiomysql.create_pool() once at start-up"),
    "aiomysql.create_pool": ("a new MySQL pool", "create the pool once at start-up"),
    "boto3.resource": ("a new AWS resource client (credential and endpoint resolution per call)", "create it once at module level"),
    "urllib3.PoolManager": ("a new HTTP connection pool (no connection reuse)", "create the pool manager once at module level"),
    "redis.asyncio.Redis": ("a new Redis client and pool", "create one client at start-up and reuse it"),
    "redis.asyncio.from_url": ("a new Redis client and pool", "create one client at start-up and reuse it"),
    "pymongo.MongoClient": ("a new MongoDB client (pool + monitor threads)", "create one MongoClient per process"),
    "motor.motor_asyncio.AsyncIOMotorClient": ("a new MongoDB client", "create one client per process"),
    "httpx.Client": ("a new HTTP client (no connection reuse)", "share one client, e.g. in app.state"),
    "httpx.AsyncClient": ("a new HTTP client (no connection reuse)", "share one client created in the app lifespan"),
    "aiohttp.ClientSession": ("a new HTTP session (no connection reuse)", "share one session created at start-up"),
    "requests.Session": ("a new HTTP session (no connection reuse)", "create the session once at module level"),
    "boto3.client": ("a new AWS client (credential and endpoint resolution per call)", "create the client once at module level"),
    # PyJWT's JWKS client keeps the identity provider's signing keys in a cache on the instance:
    # a new one fetches the JWKS document over HTTP again for every token it checks
    "jwt.PyJWKClient": ("a new JWKS client (its signing-key cache lives on the instance, so the identity provider's "
                        "keys are fetched over HTTP for every token)", "create the JWKS client once at module level"),
    "jwt.jwks_client.PyJWKClient": ("a new JWKS client (its signing-key cache lives on the instance, so the identity "
                                    "provider's keys are fetched over HTTP for every token)",
                                    "create the JWKS client once at module level"),
}
_TASK_DECORATORS = ("shared_task", "task", "periodic_task", "actor")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if not reviewable(module):
        return
    ctx = PerfContext.shared(module, scope)
    for function in module.functions:
        where = _per_call_context(function, scope)
        if where is None:
            continue
        for site in ctx.view(function).sites:
            name = call_name(site.call, scope, function)
            if name in _CLIENTS:
                yield _finding(module, function, site.call, name, where)


@dataclass(frozen=True, slots=True)
class Built:
    """A client built in a function that is neither a handler nor a task, and keeps it nowhere (no
    cache decorator, no attribute or global it is stored in): built anew on every call."""
    key: str  # the function's key (module.qualname)
    dependency_finding: Finding  # the finding when FastAPI runs the function as a dependency
    path: str
    line: int
    end_line: int
    function: str
    name: str  # the client constructor
    code: str  # the constructor's line


@dataclass(frozen=True, slots=True)
class DependencyFacts:
    """Clients built in functions below the handlers, and the functions this file hands to
    FastAPI's `Depends(...)`, which FastAPI calls once per request."""
    built: tuple[Built, ...]
    dependencies: frozenset[str]


def collect(module: ir.Module, scope: ModuleScope) -> DependencyFacts | None:
    if not reviewable(module):
        return None
    ctx = PerfContext.shared(module, scope)
    built = []
    for function in module.functions:
        if _per_call_context(function, scope) is not None or is_cached_function(function) \
                or function.name == "__init__":
            continue
        for site in ctx.view(function).sites:
            name = call_name(site.call, scope, function)
            if name in _CLIENTS and not keeps_result(function, site.call, file_index(module, scope)):
                built.append(Built(function_key(scope, function),
                                   _finding(module, function, site.call, name, "request", dependency=True),
                                   module.path, site.call.line, site.call.end_line or site.call.line,
                                   function.qualname, name, module.line_text(site.call.line)))
    targets = frozenset(_dependency_targets(module, scope))
    return contribution(DependencyFacts(tuple(built), targets), DependencyFacts((), frozenset()))


def _dependency_targets(module: ir.Module, scope: ModuleScope) -> Iterable[str]:
    """Everything this file hands to `Depends(...)`: in parameters, defaults and Annotated aliases."""
    for function in module.functions:
        for param in function.params:
            yield from depends_targets(param.default, module, scope.imports)
            yield from depends_targets(param.annotation, module, scope.imports)
    for stmt in module.body:
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            yield from depends_targets(stmt.value, module, scope.imports)
        elif isinstance(stmt, ir.Assign) and stmt.annotation is not None:
            yield from depends_targets(stmt.annotation, module, scope.imports)


def combine(per_file: Mapping[str, object], settings: Settings, paths: RequestPaths = EMPTY) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, DependencyFacts)]
    dependencies = frozenset().union(*(f.dependencies for f in facts))
    for fact in facts:
        for built in fact.built:
            if built.key in dependencies:
                yield built.dependency_finding
                continue
            # a factory, service method or helper a request runs (analysis/request_paths.py)
            # a route through a function that keeps what it calls for (a lazy singleton, a cached
            # factory: KEPT) builds it once per process, not per request
            route = paths.unguarded(built.key, KEPT)
            if route is not None:
                yield _reached_finding(built, route)


def _reached_finding(built: Built, route: Route) -> Finding:
    what, share = _CLIENTS[built.name]
    entry = route.entry
    chain = " -> ".join(f"`{name}`" for name in (entry.name, *(k.rsplit(".", 1)[-1] for k in route.layers)))
    return make_finding(
        "connection-per-request", Location(built.path, built.line, built.end_line),
        f"{what.split(' (')[0].capitalize()} created on every request that reaches {built.function}()",
        f"Each request runs {chain}, which builds {what} and discards it afterwards: each one pays DNS, TCP and "
        "TLS (and database authentication) before any work. At 200 requests/s that is 200 new connections per "
        "second, enough to exhaust Postgres' default max_connections=100 during a spike.",
        confidence=Confidence.HIGH if "engine" in what or "pool" in what.lower() else Confidence.MEDIUM,
        evidence=(TraceStep(Location(entry.path, entry.line), f"request entry point `{entry.name}`"),
                  TraceStep(Location(entry.path, route.call_line), f"calls {chain}"),
                  TraceStep(Location(built.path, built.line), "built here on every call", built.code)),
        fix=Fix(f"Create it once and reuse it: {share}.",
                f"# module level / app start-up\n{_shared(strip_comment(built.code))}", "python"),
        rule=RULE.id, key=f"{built.function}:{built.name}",
    )


def _finding(module: ir.Module, function: ir.Function, call: ir.Call, name: str, where: str,
             dependency: bool = False) -> Finding:
    """`dependency`: the function is a FastAPI dependency, which FastAPI calls on every request."""
    what, share = _CLIENTS[name]
    runs = f"{function.name} is a FastAPI dependency: it runs on every request that depends on it" if dependency \
        else f"{function.name} runs per {where}"
    return make_finding(
        "connection-per-request", Location(module.path, call.line, call.end_line or call.line),
        f"{what.split(' (')[0].capitalize()} created on every {where} in {function.name}()",
        f"This builds {what} on every {where} and discards it afterwards: each one pays DNS, TCP and TLS "
        "(and database authentication) before any work. At 200 requests/s that is 200 new connections per "
        "second, enough to exhaust Postgres' default max_connections=100 during a spike.",
        confidence=Confidence.HIGH if "engine" in what or "pool" in what.lower() else Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, function.line), runs, module.line_text(function.line)),),
        fix=Fix(f"Create it once and reuse it: {share}.",
                f"# module level / app start-up\n{_shared(strip_comment(module.line_text(call.line)))}", "python"),
        rule=RULE.id, key=f"{function.qualname}:{name}",
    )


def _per_call_context(function: ir.Function, scope: ModuleScope) -> str | None:
    if function.qualname in scope.handlers:
        return "request"
    for decorator in function.decorators:
        target = decorator.func if isinstance(decorator, ir.Call) else decorator
        if (ir.dotted_name(target) or "").rsplit(".", 1)[-1] in _TASK_DECORATORS:
            return "task run"
    return None


def _shared(line: str) -> str:
    text = line.strip()
    for prefix in ("async with ", "with "):
        if text.startswith(prefix):
            expr, _, name = text[len(prefix):].rstrip(":").rpartition(" as ")
            return f"{name.strip() or 'client'} = {expr.strip()}"
    return text
RULE = Rule("py-perf-connection-per-request", frozenset({"connection-per-request"}), "python", check,
            collect=collect, combine=combine, paths=True)

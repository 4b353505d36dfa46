"""Caches that never expire, per-process caches of database rows, and hot cache-aside reads
that let every concurrent miss recompute the same expensive value.

## What it finds
- `@lru_cache` / `@cache` on a function that queries the database: the rows are frozen for
  the life of the process, and each worker process holds its own copy;
- a Redis cache-aside (`r.get(key)` ... `r.set(key, value)`) whose `set` has no `ex=`/`px=`
  and no `expire` follows;
- a Django `cache.set(key, value, None)` / `timeout=None` after a `cache.get` of the key,
  and `cache.set(key, value)` with no timeout when the project's `CACHES` sets
  `"TIMEOUT": None`;
- in a request handler, a cache-aside whose miss path makes an outbound HTTP call or an
  aggregate query, with no lock (`cache.add`, `set(nx=True)`, a lock) and no jitter.

## Why it matters
A value with no TTL is wrong forever after its source changes, and the cache grows without
bound; `lru_cache` keeps stale rows in every worker, invisible to the others. When a hot
key expires, every request in flight misses at once and runs the expensive call: at 500
requests/s and a 2 s recomputation that is ~1,000 identical calls against the dependency.

## Example
```python
value = r.get(key)
if value is None:
    value = compute_report(account_id)
    r.set(key, value)
```

## Fix
```python
r.set(key, value, ex=300 + random.randint(0, 30))  # TTL plus jitter
```
and for hot, expensive keys a short lock so one request recomputes:
`if cache.add(f"{key}:lock", 1, 30): value = compute(); cache.set(key, value, 300)`.

## Known problems
Redis clients are recognised by their constructor or a name containing "redis". Cache
helpers of the same module are followed one level: a `_store(key, value, ttl=None)` that passes
its `ttl` as `ex=` is reported where a cache-aside calls it without one; helpers in another
module, or whose TTL default is not `None`, are not. "Expensive" means an outbound HTTP call or an aggregate query
in the same function.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.fixcode import strip_comment
from servicelens.fixcode.caching import expiring_decorator, single_flight, with_ttl
from servicelens.fixcode.routes import def_header
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule
from servicelens.rules.python._cache_calls import CacheCall, cache_call, redis_clients, shape
from servicelens.rules.python._common import const_str, is_settings_module
from servicelens.rules.python.perf_common import FunctionView, PerfContext, Site, call_name, method_of, reviewable
from servicelens.taint.scope import ModuleScope

_TTL_KWARGS = ("ex", "px", "exat", "pxat", "keepttl", "timeout")
_LOCKS = frozenset({"lock", "add", "setnx", "acquire", "get_or_set"})
_EXPENSIVE = re.compile(r"^(requests|httpx|urllib\.request|aiohttp)\.|\.(aggregate|annotate)$")
_DB_CALLS = frozenset({"execute", "exec", "scalars", "query", "raw"})


@dataclass(frozen=True, slots=True)
class DefaultTimeoutSet:
    """`cache.set(key, value)` in cache-aside code: never expires if CACHES' TIMEOUT is None."""

    path: str
    line: int
    text: str


@dataclass(frozen=True, slots=True)
class CacheFacts:
    timeout_none: bool | None  # this file's CACHES default TIMEOUT is None (None: not set here)
    default_sets: tuple[DefaultTimeoutSet, ...]


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if not reviewable(module):
        return
    ctx = PerfContext.shared(module, scope)
    redis_names = redis_clients(((f, v.assigns) for f, v in ctx.bodies()), lambda e, f: call_name(e, scope, f))
    getters, setters = _cache_wrappers(ctx, scope, redis_names)
    for function, view in ctx.bodies():
        if function is not None:
            yield from _lru_on_queries(module, function, view)
            yield from _wrapped_no_ttl(module, view, getters, setters)
        for get, put in _cache_aside(view, scope, function, redis_names):
            yield from _no_ttl(module, view, get, put, scope, function)
            if function is not None and function.qualname in scope.handlers:
                yield from _stampede(module, view, get, put, scope, function)


def _lru_on_queries(module: ir.Module, function: ir.Function, view: FunctionView) -> Iterator[Finding]:
    decorator = next((d for d in function.decorators if (ir.dotted_name(d.func if isinstance(d, ir.Call) else d)
                                                          or "").rsplit(".", 1)[-1] in ("lru_cache", "cache")), None)
    if decorator is None:
        return
    query = next((s.call for s in view.sites if _is_db_call(s.call)), None)
    if query is None:
        return
    yield make_finding(
        "cache-stampede", Location(module.path, decorator.line),
        f"`{function.name}` caches database rows with lru_cache: stale forever, one copy per process",
        "lru_cache has no expiry: the first result is served until the process restarts, after the rows change, "
        "and each worker holds its own copy, so two requests can see different data.",
        severity=Severity.MEDIUM, confidence=Confidence.HIGH, rule=RULE.id, key=function.qualname,
        fix=_fix("Use the shared cache with a TTL (or cachetools.TTLCache for a per-process copy that expires).",
                 expiring_decorator(strip_comment(module.line_text(decorator.line)),
                                    def_header(module.lines, function.line))),
    )


def _is_db_call(call: ir.Call) -> bool:
    """`Model.objects...` or `session.execute/query(...)` / `cursor.execute(...)`."""
    receiver = ir.dotted_name(call.func.value) if isinstance(call.func, ir.Attr) else None
    if method_of(call) in _DB_CALLS and receiver and re.search(r"(?i)(session|^db$|\.db$|cursor|conn)", receiver):
        return True
    node: ir.Expr = call.func
    while isinstance(node, (ir.Attr, ir.Call)):
        if isinstance(node, ir.Attr) and node.attr == "objects":
            return isinstance(node.value, ir.Name) and node.value.id[:1].isupper()
        node = node.value if isinstance(node, ir.Attr) else node.func
    return False


def _cache_aside(view: FunctionView, scope: ModuleScope, function: ir.Function | None,
                 redis_names: set[str]) -> Iterator[tuple[Site, Site]]:
    """(get, set) pairs on the same cache receiver and the same key expression, get first."""
    gets: dict[tuple[str, object], Site] = {}
    for site in view.sites:
        command = _cache_command(site.call, scope, function, redis_names)
        if command is None:
            continue
        if command.method == "get":
            gets.setdefault((command.client, command.key), site)
        elif command.method == "set" and (command.client, command.key) in gets:
            yield gets[(command.client, command.key)], site


def _cache_command(call: ir.Call, scope: ModuleScope, function: ir.Function | None,
                   redis_names: set[str]) -> CacheCall | None:
    """A get/set on Django's cache or a Redis client (not on any client of a store module: a cache
    here must be known to be one)."""
    if not isinstance(call.func, ir.Attr) or call.func.attr not in ("get", "set"):
        return None
    return cache_call(call, scope, function, redis_names, kinds=("django", "redis"))


def _cache_kind(call: ir.Call, scope: ModuleScope, function: ir.Function | None, redis_names: set[str]) -> str | None:
    command = _cache_command(call, scope, function, redis_names)
    return command.kind if command is not None else None


def _key_text(call: ir.Call) -> object | None:
    """The position-free shape of the call's key argument (`key=` / `name=` or the first)."""
    key = call.arg(0, "key") or call.arg(0, "name")
    return shape(key) if key is not None else None


def _no_ttl(module: ir.Module, view: FunctionView, get: Site, put: Site, scope: ModuleScope,
            function: ir.Function | None) -> Iterator[Finding]:
    call = put.call
    kind = _cache_kind(call, scope, function, set()) or "redis"
    if kind == "redis":
        if any(kw.name in _TTL_KWARGS or kw.name is None for kw in call.kwargs) or len(call.args) > 2 \
                or any(method_of(s.call) in ("expire", "pexpire", "expireat") for s in view.sites):
            return
    else:
        timeout = call.arg(2, "timeout")
        if not (isinstance(timeout, ir.Const) and timeout.value is None):
            return
    yield make_finding(
        "cache-stampede", Location(module.path, call.line, call.end_line or call.line),
        "Cached value is written without a TTL: it never expires",
        "Without an expiry the value stays after its source changes (stale reads until someone deletes the key) "
        "and the cache only grows; under memory pressure the eviction policy, not the code, decides what is lost.",
        severity=Severity.MEDIUM, confidence=Confidence.HIGH, rule=RULE.id, key=module.line_text(call.line),
        fix=_fix("Give the entry a TTL, with a little jitter so keys written together do not expire together.",
                 with_ttl(_text(module, call), kind == "redis")),
    )


@dataclass(frozen=True, slots=True)
class _Setter:
    ttl: str  # the wrapper's TTL parameter
    index: int  # its position


def _cache_wrappers(ctx: PerfContext, scope: ModuleScope, redis_names: set[str]
                    ) -> tuple[frozenset[str], dict[str, _Setter]]:
    """Module helpers around the cache: `async def _cached(key): return await redis.get(key)` and
    `async def _store(key, value, ttl=None): await redis.set(key, value, ex=ttl)`, whose TTL is
    off unless the caller passes one."""
    getters: set[str] = set()
    setters: dict[str, _Setter] = {}
    for function, view in ctx.bodies():
        if function is None or function.class_name is not None or "<locals>" in function.qualname:
            continue
        params = [p.name for p in function.params]
        for site in view.sites:
            kind = _cache_kind(site.call, scope, function, redis_names)
            key = site.call.arg(0, "key") or site.call.arg(0, "name")
            if kind is None or not isinstance(key, ir.Name) or key.id not in params:
                continue
            if method_of(site.call) == "get":
                getters.add(function.name)
                continue
            ttl = next((kw.value for kw in site.call.kwargs if kw.name in _TTL_KWARGS), None) if kind == "redis" \
                else site.call.arg(2, "timeout")
            param = next((p for p in function.params if isinstance(ttl, ir.Name) and p.name == ttl.id), None)
            if param is not None and isinstance(param.default, ir.Const) and param.default.value is None:
                setters[function.name] = _Setter(param.name, params.index(param.name))
    return frozenset(getters), setters


def _wrapped_no_ttl(module: ir.Module, view: FunctionView, getters: frozenset[str],
                    setters: dict[str, _Setter]) -> Iterator[Finding]:
    """`hit = await _cached(key)` ... `await _store(key, payload)`: the wrapper's TTL defaults to none."""
    read: set[str] = set()
    for site in view.sites:
        name = ir.dotted_name(site.call.func) or ""
        key = _key_text(site.call)
        if name in getters and key is not None:
            read.add(key)
        setter = setters.get(name)
        if setter is None or key not in read:
            continue
        ttl = site.call.kwarg(setter.ttl) or (site.call.args[setter.index] if len(site.call.args) > setter.index
                                              else None)
        if ttl is not None and not (isinstance(ttl, ir.Const) and ttl.value is None):
            continue
        call = site.call
        yield make_finding(
            "cache-stampede", Location(module.path, call.line, call.end_line or call.line),
            f"Cached value is written through `{name}` without a TTL: it never expires",
            f"`{name}` only sets an expiry when the caller passes `{setter.ttl}`, and this call does not: the entry "
            "stays after its source changes (stale reads until someone deletes the key) and the cache only grows.",
            severity=Severity.MEDIUM, confidence=Confidence.HIGH, rule=RULE.id, key=module.line_text(call.line),
            fix=_fix(f"Pass `{setter.ttl}=` here (or give `{name}` a finite default).", None),
        )


def _text(module: ir.Module, call: ir.Call) -> str:
    return "\n".join(module.lines[call.line - 1:(call.end_line or call.line)])


def _fix(description: str, code: str | None) -> Fix:
    return Fix(description, code or "", "python" if code else "")


def _stampede(module: ir.Module, view: FunctionView, get: Site, put: Site, scope: ModuleScope,
              function: ir.Function) -> Iterator[Finding]:
    between = [s for s in view.sites if get.call.line < s.call.line < put.call.line]
    expensive = next((s for s in between if _EXPENSIVE.search(call_name(s.call, scope, function))
                      or method_of(s.call) in ("aggregate", "annotate")), None)
    guarded = any(method_of(s.call) in _LOCKS or s.call.kwarg("nx") is not None
                  or "random" in (ir.dotted_name(s.call.func) or "") for s in view.sites)
    if expensive is None or guarded:
        return
    yield make_finding(
        "cache-stampede", Location(module.path, get.call.line),
        f"Hot cache-aside read in `{function.name}` with no stampede protection",
        f"When this key expires every concurrent request misses and runs `{module.line_text(expensive.call.line)}` "
        "at once: at 500 requests/s and a 1 s recomputation that is ~500 identical calls against the dependency "
        "in the second the key is missing.",
        severity=Severity.LOW, confidence=Confidence.MEDIUM, rule=RULE.id, key=f"{function.qualname}:stampede",
        fix=_fix("Let one request recompute: take a short lock with cache.add (or SET NX), serve the stale value "
                 "meanwhile, and add jitter to the TTL.",
                 single_flight(_text(module, get.call), _text(module, expensive.call), _text(module, put.call),
                               (_cache_kind(put.call, scope, function, set()) or "redis") == "redis")),
    )


def collect(module: ir.Module, scope: ModuleScope) -> CacheFacts | None:
    timeout_none = _settings_timeout_none(module) if is_settings_module(module) else None
    sets: list[DefaultTimeoutSet] = []
    if reviewable(module):
        for function, view in PerfContext.shared(module, scope).bodies():
            for _get, put in _cache_aside(view, scope, function, set()):
                if _cache_kind(put.call, scope, function, set()) == "django" and put.call.arg(2, "timeout") is None \
                        and not any(kw.name is None for kw in put.call.kwargs):
                    sets.append(DefaultTimeoutSet(module.path, put.call.line, module.line_text(put.call.line)))
    return CacheFacts(timeout_none, tuple(sets)) if timeout_none is not None or sets else None


def _settings_timeout_none(module: ir.Module) -> bool | None:
    """CACHES = {"default": {..., "TIMEOUT": None}} or CACHES["default"]["TIMEOUT"] = None."""
    for stmt in ir.walk_stmts(module.body):
        if not isinstance(stmt, ir.Assign) or stmt.value is None:
            continue
        text = " ".join(ir.dotted_name(t) or repr(t) for t in stmt.targets)
        if "CACHES" not in text:
            continue
        if "TIMEOUT" in text:
            return isinstance(stmt.value, ir.Const) and stmt.value.value is None
        for node in ir.walk_expr(stmt.value):
            if isinstance(node, ir.DictExpr):
                for key, value in zip(node.keys, node.values):
                    if const_str(key) == "TIMEOUT":
                        return isinstance(value, ir.Const) and value.value is None
    return None


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for f in per_file.values() if isinstance(f, CacheFacts)]
    if {f.timeout_none for f in facts if f.timeout_none is not None} != {True}:
        return
    for fact in facts:
        for put in fact.default_sets:
            yield make_finding(
                "cache-stampede", Location(put.path, put.line),
                "cache.set without a timeout while CACHES sets TIMEOUT None: the value never expires",
                "The project's CACHES default TIMEOUT is None, so this entry stays until deleted: stale after its "
                "source changes, and the cache grows without bound.",
                severity=Severity.MEDIUM, confidence=Confidence.HIGH, rule=RULE.id, key=put.text,
                fix=_fix("Pass a timeout (with jitter).", with_ttl(put.text, redis=False)),
            )


RULE = Rule("py-perf-cache-stampede", frozenset({"cache-stampede"}), "python", check, collect=collect, combine=combine,
            requires=("cache", "redis"))

"""Missing timeout through a client factory: `timeout=None` handed to a project function that
passes its `timeout` parameter on to an HTTP client or request.

## What it finds
A call of a function of the project with an explicit `timeout=None`
(`build_http_client(timeout=None, headers=...)`) where that function hands its `timeout`
parameter to `httpx.Client(...)`, `httpx.AsyncClient(...)`, an `httpx` or `requests` request
(`timeout=timeout`): the factory sets a deadline for every other client it builds, and this
caller switches it off. The same for a timeout object whose every limit is None
(`aiohttp.ClientTimeout(total=None)`, `aiohttp.ClientTimeout()`, `httpx.Timeout(None)`; the classes
and their limits are data, models/vocabulary/http_clients.yaml) handed to a factory that passes it
to `aiohttp.ClientSession(timeout=...)` or one of the above, under any keyword or positionally
(`make_session(url, headers, aiohttp.ClientTimeout(total=None))`: the argument is bound to the
factory's parameter by its index; a class by its `__init__`). A bare None handed on to an aiohttp
session is not reported: aiohttp keeps its 300 s default.

A call that leaves the timeout out is reported the same way when the factory's parameter defaults
to None (`def build_client(name, *, timeout: httpx.Timeout | None = None)` then
`build_client("carrier", base_url=...)`; a class whose `__init__` forwards it, `PartnerApi(url)`):
the default the author wrote switches the deadline off for every caller that trusts it.

## Why it matters
The factory looks safe (it takes a timeout), and so does the call site (it names one). Together
they build a client whose requests wait as long as the peer lets them: a slow customer endpoint
or a half-open connection holds the worker or the background task for ever.

## Example
```python
def build_client(timeout: float = 10.0) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=timeout)

webhooks = build_client(timeout=None)
```
Use instead:
```python
webhooks = build_client(timeout=httpx.Timeout(10.0, connect=3.0))
```

## Fix
Pass a finite budget (connect and read) below your own deadline; for slow peers raise the read
budget, never remove it.

## Known problems
Only a factory that hands its own parameter straight to the client's or request's `timeout=`
is followed, one call deep; the call must name `timeout=None` (a None under another keyword name
is not followed), hand over a timeout object with no limit written at the call, or leave out a
parameter whose default is None (a `None` or unlimited object from a setting or a variable is not
seen: false negative; arguments after a `*args`, and a call through `**kwargs`, are not judged). A factory that rebinds the parameter first (`timeout = timeout or
DEFAULT`) is trusted to set its own deadline.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import USES, Confidence, Finding, Fix, Location, TraceStep
from servicelens.analysis.file_index import file_index
from servicelens.rules.base import Rule, contribution, no_findings
from servicelens.rules.python._http_clients import http_clients
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, function_key
from servicelens.rules.python.perf_common import call_name, reviewable
from servicelens.taint.scope import ModuleScope

# the clients and requests a factory may hand its `timeout` parameter to (one list with perf_missing_timeout's)
_TIMED = http_clients().httpx | http_clients().requests | http_clients().aiohttp
_UNLIMITED = dict(http_clients().unlimited)


@dataclass(frozen=True, slots=True)
class Forwarder:
    """A function that passes its parameter `param` on as the `timeout` of `client`."""
    param: str
    client: str
    path: str
    line: int
    position: int | None = None  # the parameter's index when it may be passed positionally
    default_none: bool = False  # `timeout: httpx.Timeout | None = None`: a caller that leaves it out gets None
    rebound: bool = False  # the body sets its own value first (`timeout = timeout or DEFAULT`): None never reaches it
    takes_none: bool = True  # a bare None switches the client's deadline off (not aiohttp's: it keeps 300 s)


@dataclass(frozen=True, slots=True)
class NoneTimeout:
    """A call of a project function with `timeout=None`, or a timeout object with no limit
    (`aiohttp.ClientTimeout(total=None)`), by keyword or at parameter index `position`."""
    callee: str
    keyword: str
    path: str
    line: int
    end_line: int
    position: int | None = None  # passed positionally: the parameter index it binds (keyword "")
    unlimited: bool = False  # a timeout object with no limit rather than None


@dataclass(frozen=True, slots=True)
class OmittedTimeout:
    """A call of a project function that names no timeout: it gets the callee's default."""
    callee: str
    bound: int  # parameters bound positionally (the implicit `self` included)
    keywords: frozenset[str]
    path: str
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class FactoryFacts:
    forwarders: tuple[tuple[str, Forwarder], ...]
    calls: tuple[NoneTimeout, ...]
    omitted: tuple[OmittedTimeout, ...] = ()


_NOTHING = FactoryFacts((), ())


def collect(module: ir.Module, scope: ModuleScope) -> FactoryFacts | None:
    if not reviewable(module):
        return None
    forwarders = []
    calls = []
    omitted = []
    index = file_index(module, scope)
    for function in module.functions:
        params = {p.name: p for p in function.params}
        for call in index.block_of_kind(function.body, ir.Call):
            timeout = call.kwarg("timeout")
            name = call_name(call, scope, function)
            if name in _TIMED and isinstance(timeout, ir.Name) and timeout.id in params:
                forwarders.append((function_key(scope, function), _forwarder(function, params[timeout.id], name,
                                                                             module.path, call.line)))
            if name in _TIMED:
                continue
            calls.extend(_no_deadline_args(call, scope, function, module.path))
            if not any(kw.name is None or "timeout" in kw.name for kw in call.kwargs) \
                    and not any(isinstance(a, ir.Starred) for a in call.args):
                callee = callee_name(call, scope, function)
                if callee is not None:
                    omitted.append(OmittedTimeout(callee[0], callee[1] + len(call.args),
                                                  frozenset(kw.name for kw in call.kwargs if kw.name),
                                                  module.path, call.line, call.end_line or call.line))
    return contribution(FactoryFacts(tuple(forwarders), tuple(calls), tuple(omitted)), _NOTHING)


def _no_deadline(value: ir.Expr, scope: ModuleScope, function: ir.Function) -> bool | None:
    """None for a value that sets a deadline (or may); False for `None`; True for a timeout
    object whose every limit is None, named so or left to its default (`ClientTimeout(total=None)`)."""
    if isinstance(value, ir.Const):
        return False if value.value is None else None
    if not isinstance(value, ir.Call):
        return None
    limits = _UNLIMITED.get(call_name(value, scope, function) or "")
    if limits is None or any(isinstance(a, ir.Starred) for a in value.args) or len(value.args) > len(limits):
        return None
    given = list(value.args) + [kw.value for kw in value.kwargs if kw.name is None or kw.name in limits]
    return True if all(isinstance(v, ir.Const) and v.value is None for v in given) else None


def _no_deadline_args(call: ir.Call, scope: ModuleScope, function: ir.Function, path: str) -> list[NoneTimeout]:
    """The arguments of a call of a project function that switch a timeout off: a timeout object
    with no limit under any keyword, None under a `*timeout*` keyword, or either positionally (bound
    to the factory's parameter by its index later)."""
    found: list[NoneTimeout] = []
    callee = None
    end = call.end_line or call.line
    for kw in call.kwargs:
        unlimited = _no_deadline(kw.value, scope, function) if kw.name else None
        if unlimited or (unlimited is not None and "timeout" in kw.name):  # a None only to a `*timeout*` keyword
            callee = callee or callee_name(call, scope, function)
            if callee is not None:
                found.append(NoneTimeout(callee[0], kw.name, path, call.line, end, unlimited=unlimited))
    for i, arg in enumerate(call.args):
        if isinstance(arg, ir.Starred):
            break
        if (unlimited := _no_deadline(arg, scope, function)) is not None:
            callee = callee or callee_name(call, scope, function)
            if callee is not None:
                found.append(NoneTimeout(callee[0], "", path, call.line, end, callee[1] + i, unlimited))
    return found


def _forwarder(function: ir.Function, param: ir.Param, client: str, path: str, line: int) -> Forwarder:
    """`rebound`: the body rebinds the parameter (`timeout = timeout or DEFAULT_TIMEOUT`, `if timeout is
    None: timeout = 10`), so a None from the caller never reaches the client."""
    position = function.params.index(param) if param.kind == "positional" else None
    rebound = any(isinstance(stmt, ir.Assign) and any(isinstance(t, ir.Name) and t.id == param.name for t in stmt.targets)
                  for stmt in ir.walk_stmts(function.body))
    default_none = isinstance(param.default, ir.Const) and param.default.value is None
    return Forwarder(param.name, client, path, line, position, default_none, rebound,
                     client not in http_clients().aiohttp)


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, FactoryFacts)]
    grouped: dict[str, list[Forwarder]] = {}
    for fact in facts:
        for key, forwarder in fact.forwarders:
            grouped.setdefault(key, []).append(forwarder)
    index: CalleeIndex[list[Forwarder]] = CalleeIndex(grouped.items())
    for fact in facts:
        for call in fact.calls:
            forwarder = _switched_off(index, call)
            if forwarder is not None:
                yield _finding(call if call.keyword else dataclasses.replace(call, keyword=forwarder.param), forwarder)
        for omitted in fact.omitted:
            forwarder = _defaulted(index, omitted)
            if forwarder is not None:
                yield _finding(NoneTimeout(omitted.callee, forwarder.param, omitted.path, omitted.line,
                                           omitted.end_line), forwarder, by_default=True)


def _switched_off(index: CalleeIndex[list[Forwarder]], call: NoneTimeout) -> Forwarder | None:
    """The forwarder of the callee whose parameter this call's None or unlimited timeout binds
    (by name, or by position; a class through its `__init__`, which binds `self` first)."""
    targets = [(index.get(call.callee), 0)]
    if call.callee.rpartition(".")[2][:1].isupper():
        targets.append((index.get(call.callee + ".__init__"), 1))
    for forwarders, shift in targets:
        for forwarder in forwarders or ():
            binds = forwarder.param == call.keyword if call.keyword else \
                call.position is not None and forwarder.position == call.position + shift
            if binds and not forwarder.rebound and (call.unlimited or forwarder.takes_none):
                return forwarder
    return None


def _defaulted(index: CalleeIndex[list[Forwarder]], call: OmittedTimeout) -> Forwarder | None:
    """The forwarder of the callee whose None-default timeout this call leaves to its default; a
    class is called through its `__init__`, which binds `self` first."""
    targets = [(index.get(call.callee), call.bound)]
    if call.callee.rpartition(".")[2][:1].isupper():
        targets.append((index.get(call.callee + ".__init__"), call.bound + 1))
    for forwarders, bound in targets:
        for forwarder in forwarders or ():
            if forwarder.default_none and forwarder.takes_none and not forwarder.rebound and forwarder.param not in call.keywords \
                    and (forwarder.position is None or bound <= forwarder.position):
                return forwarder
    return None


def _finding(call: NoneTimeout, forwarder: Forwarder, by_default: bool = False) -> Finding:
    """`by_default`: the call names no timeout and the factory's parameter defaults to None."""
    factory = call.callee.rsplit(".", 1)[-1]
    passes = (f"this call leaves `{call.keyword}` out, so it gets the default None," if by_default
              else "this call passes a timeout whose every limit is None," if call.unlimited else "this call passes None,")
    given = f"`{call.keyword}` with no limit" if call.unlimited else f"`{call.keyword}=None`"
    budget = _budget(forwarder)
    return make_finding(
        "missing-timeout", Location(call.path, call.line, call.end_line),
        f"`{factory}(...)` without `{call.keyword}` {'builds a' if 'Client' in forwarder.client else 'sends a'} "
        f"{forwarder.client} with no timeout" if by_default
        else f"`{factory}({call.keyword}=None)` builds a {forwarder.client} with no timeout" if not call.unlimited
        else f"`{factory}(...)` is handed a `{call.keyword}` with no limit: it builds a {forwarder.client} with no timeout",
        f"`{factory}` hands its `{forwarder.param}` to `{forwarder.client}(timeout=...)`, and {passes} "
        "which switches the deadline off: requests through it wait as long as the peer lets them, and each "
        "stuck one pins a worker or a background task.",
        confidence=Confidence.HIGH,
        evidence=(TraceStep(Location(call.path, call.line), f"no `{call.keyword}` handed to `{factory}` (default None)"
                            if by_default else f"{given} handed to `{factory}`"),
                  TraceStep(Location(forwarder.path, forwarder.line),
                            f"`{factory}` passes `{forwarder.param}` to `{forwarder.client}`")),
        fix=Fix("Pass a finite budget below your own deadline.",
                # passed by position: the keyword is not in the code, so the fix names the call it changes
                f"{factory}(..., {call.keyword}={budget})" if by_default or call.position is not None
                else f"{call.keyword}={budget}", "python"),
        rule=RULE.id, key=f"{factory}:{call.keyword}", cost_at=USES if "Client" in forwarder.client else "",
    )


def _budget(forwarder: Forwarder) -> str:
    """A finite timeout in the form the client the factory builds takes."""
    if not forwarder.takes_none or forwarder.client.startswith("aiohttp"):
        return "aiohttp.ClientTimeout(total=30, connect=5)"
    if forwarder.client.startswith("httpx"):
        return "httpx.Timeout(10.0, connect=3.0)"
    return "10"  # seconds: requests and the standard library take a number


RULE = Rule("py-perf-factory-timeout", frozenset({"missing-timeout"}), "python", no_findings,
            collect=collect, combine=combine, requires=("timeout",))

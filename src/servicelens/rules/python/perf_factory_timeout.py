"""Missing timeout through a client factory: `timeout=None` handed to a project function that
passes its `timeout` parameter on to an HTTP client or request.

## What it finds
A call of a function of the project with an explicit `timeout=None`
(`build_http_client(timeout=None, headers=...)`) where that function hands its `timeout`
parameter to `httpx.Client(...)`, `httpx.AsyncClient(...)`, an `httpx` or `requests` request
(`timeout=timeout`): the factory sets a deadline for every other client it builds, and this
caller switches it off.

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
is followed, one call deep, and the call must name `timeout=None` (a `None` from a setting is
not seen: false negative).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import USES, Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule, contribution, iter_calls, no_findings
from servicelens.rules.python._http_clients import http_clients
from servicelens.rules.python._project_calls import CalleeIndex, callee_name, function_key
from servicelens.rules.python.perf_common import call_name, reviewable
from servicelens.taint.scope import ModuleScope

# the clients and requests a factory may hand its `timeout` parameter to (one list with perf_missing_timeout's)
_TIMED = http_clients().httpx | http_clients().requests


@dataclass(frozen=True, slots=True)
class Forwarder:
    """A function that passes its parameter `param` on as the `timeout` of `client`."""
    param: str
    client: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class NoneTimeout:
    """A call of a project function with `timeout=None`."""
    callee: str
    keyword: str
    path: str
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class FactoryFacts:
    forwarders: tuple[tuple[str, Forwarder], ...]
    calls: tuple[NoneTimeout, ...]


_NOTHING = FactoryFacts((), ())


def collect(module: ir.Module, scope: ModuleScope) -> FactoryFacts | None:
    if not reviewable(module):
        return None
    forwarders = []
    calls = []
    for function in module.functions:
        params = {p.name for p in function.params}
        for call in iter_calls(function.body):
            timeout = call.kwarg("timeout")
            name = call_name(call, scope, function)
            if name in _TIMED and isinstance(timeout, ir.Name) and timeout.id in params:
                forwarders.append((function_key(scope, function), Forwarder(timeout.id, name, module.path, call.line)))
            for kw in call.kwargs:
                if kw.name and "timeout" in kw.name and isinstance(kw.value, ir.Const) and kw.value.value is None \
                        and name not in _TIMED:
                    callee = callee_name(call, scope, function)
                    if callee is not None:
                        calls.append(NoneTimeout(callee[0], kw.name, module.path, call.line, call.end_line or call.line))
    return contribution(FactoryFacts(tuple(forwarders), tuple(calls)), _NOTHING)


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [f for _, f in sorted(per_file.items()) if isinstance(f, FactoryFacts)]
    grouped: dict[str, list[Forwarder]] = {}
    for fact in facts:
        for key, forwarder in fact.forwarders:
            grouped.setdefault(key, []).append(forwarder)
    index: CalleeIndex[list[Forwarder]] = CalleeIndex(grouped.items())
    for fact in facts:
        for call in fact.calls:
            forwarder = next((f for f in index.get(call.callee) or () if f.param == call.keyword), None)
            if forwarder is not None:
                yield _finding(call, forwarder)


def _finding(call: NoneTimeout, forwarder: Forwarder) -> Finding:
    factory = call.callee.rsplit(".", 1)[-1]
    return make_finding(
        "missing-timeout", Location(call.path, call.line, call.end_line),
        f"`{factory}({call.keyword}=None)` builds a {forwarder.client} with no timeout",
        f"`{factory}` hands its `{forwarder.param}` to `{forwarder.client}(timeout=...)`, and this call passes "
        "None, which switches the deadline off: requests through it wait as long as the peer lets them, and each "
        "stuck one pins a worker or a background task.",
        confidence=Confidence.HIGH,
        evidence=(TraceStep(Location(call.path, call.line), f"`{call.keyword}=None` handed to `{factory}`"),
                  TraceStep(Location(forwarder.path, forwarder.line),
                            f"`{factory}` passes `{forwarder.param}` to `{forwarder.client}`")),
        fix=Fix("Pass a finite budget below your own deadline.", f"{call.keyword}=httpx.Timeout(10.0, connect=3.0)",
                "python"),
        rule=RULE.id, key=f"{factory}:{call.keyword}", cost_at=USES if "Client" in forwarder.client else "",
    )


RULE = Rule("py-perf-factory-timeout", frozenset({"missing-timeout"}), "python", no_findings,
            collect=collect, combine=combine, requires=("timeout",))

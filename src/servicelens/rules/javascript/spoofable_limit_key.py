"""A rate limit or lockout keyed by the leftmost X-Forwarded-For address, which the client writes.

## What it finds
A function that reads the `X-Forwarded-For` header and keeps its first comma-separated entry
(`header.split(',')[0]`, in the function or in a helper of the same file it hands the header to),
when its result keys a limiter anywhere in the project: it is passed, directly or through a local
(`const ip = getClientIp(headers) || req.ip`), to a call whose name says it limits
(`checkRateLimit(ip, 'login', 10)`, `limiter.consume(ip)`, `throttle(ip)`). Reported on the line
that reads the header; as auth-brute-force when a sign-in, password or one-time-code function keys a
limiter with it, as missing-rate-limit otherwise.

## Why it matters
Proxies append the address they saw to the end of `X-Forwarded-For`; everything before it is what
the client sent. Keyed by the first entry, the limit counts whatever address the client puts in
the header: a new value per request and the login limit never trips.

## Example
```js
const ip = String(req.headers['x-forwarded-for']).split(',')[0];
await checkRateLimit(ip, 'login', 10);
```
Use instead:
```js
app.set('trust proxy', 1);  // the number of proxies in front of the service
await checkRateLimit(req.ip, 'login', 10);
```

## Fix
Take the address the nearest trusted proxy saw: Express's `trust proxy` with the number of proxies
(`req.ip`), Fastify's `trustProxy`, or the entry that many places from the end of the header.

## Known problems
A proxy that overwrites the header with the address it saw (nginx `proxy_set_header
X-Forwarded-For $remote_addr`) makes the first entry trustworthy; the review cannot see that
configuration. A key built in one function and used in another file through a variable other than a
local or an argument is not followed.
"""
from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping

from servicelens import ir
from servicelens.config.settings import Settings
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule, iter_calls, no_findings
from servicelens.rules.javascript._attempt_limits import project_callee
from servicelens.rules.python._common import is_dev_path
from servicelens.rules.python.account_enumeration import AUTH_FUNCTION
from servicelens.taint.scope import ModuleScope

_HEADER = "x-forwarded-for"
_LIMITS = re.compile(r"(?i)(rate_?limit|ratelimit|throttl|limiter|lockout|brute|consume|attempts?)")

# (readers: (function, line of the header read), keys: (reader called, keys a sign-in limit))
Collected = tuple[tuple[tuple[str, int], ...], tuple[tuple[str, bool], ...]]


def collect(module: ir.Module, scope: ModuleScope) -> Collected | None:
    if is_dev_path(module.path):
        return None
    readers = tuple(_leftmost_readers(module))
    keys = tuple(_limit_keys(module, scope))
    return (readers, keys) if readers or keys else None


def _leftmost_readers(module: ir.Module) -> Iterator[tuple[str, int]]:
    """Functions reading the header and keeping its first entry: here, or in a local helper given it."""
    takes_first = {f.qualname for f in module.functions if f.params and _keeps_first(f.body)}
    by_name = {f.name: f.qualname for f in module.functions}
    for function in module.functions:
        for stmt in ir.walk_stmts(function.body):
            for root in ir.stmt_exprs(stmt):
                header = next((n for n in ir.walk_expr(root) if isinstance(n, ir.Const)
                               and isinstance(n.value, str) and n.value.lower() == _HEADER), None)
                if header is None:
                    continue
                helped = any(isinstance(n, ir.Call) and isinstance(n.func, ir.Name)
                             and by_name.get(n.func.id) in takes_first for n in ir.walk_expr(root))
                if helped or _keeps_first(function.body):
                    yield f"{module.module_name}.{function.qualname}", stmt.line
                    break
            else:
                continue
            break


def _keeps_first(body: tuple[ir.Stmt, ...]) -> bool:
    """`value.split(',')[0]`: the first comma-separated entry."""
    for stmt in ir.walk_stmts(body):
        for root in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(root):
                if isinstance(node, ir.Subscript) and isinstance(node.index, ir.Const) and node.index.value == 0 \
                        and isinstance(node.value, ir.Call) and isinstance(node.value.func, ir.Attr) \
                        and node.value.func.attr == "split" and node.value.args \
                        and isinstance(node.value.args[0], ir.Const) and node.value.args[0].value in (",", ", "):
                    return True
    return False


def _limit_keys(module: ir.Module, scope: ModuleScope) -> Iterator[tuple[str, bool]]:
    """(function whose result keys a limiter, whether the limit guards a sign-in) per use."""
    own = {function.qualname for function in module.functions}
    for function in module.functions:
        sign_in = bool(AUTH_FUNCTION.search(function.qualname))
        assigned: dict[str, list[ir.Expr]] = {}
        for stmt in ir.walk_stmts(function.body):
            if isinstance(stmt, ir.Assign) and stmt.value is not None:
                for target in stmt.targets:
                    if isinstance(target, ir.Name):
                        assigned.setdefault(target.id, []).append(stmt.value)
        for call in iter_calls(function.body):
            if not _LIMITS.search(ir.dotted_name(call.func) or ""):
                continue
            for arg in call.args:
                sources = assigned.get(arg.id, []) if isinstance(arg, ir.Name) else [arg]
                for source in sources:
                    for node in ir.walk_expr(source):
                        if isinstance(node, ir.Call):
                            callee = project_callee(module, scope, function, node, own)
                            if callee:
                                yield callee, sign_in


def combine(per_file: Mapping[str, object], settings: Settings) -> Iterable[Finding]:
    facts = [(path, f) for path, f in sorted(per_file.items()) if isinstance(f, tuple) and len(f) == 2]
    keyed: dict[str, bool] = {}
    for _, (_, keys) in facts:
        for callee, sign_in in keys:
            keyed[callee] = keyed.get(callee, False) or sign_in
    for path, (readers, _) in facts:
        for reader, line in readers:
            if reader not in keyed:
                continue
            concern = "auth-brute-force" if keyed[reader] else "missing-rate-limit"
            if not settings.enabled(concern):
                continue
            yield make_finding(
                concern, Location(path, line),
                f"`{reader.rsplit('.', 1)[-1]}` keys a rate limit by the first X-Forwarded-For entry, which the client writes",
                "Proxies append the address they saw to the end of X-Forwarded-For; a client that sends its own "
                "header gets a fresh limit per request.",
                severity=Severity.MEDIUM, confidence=Confidence.MEDIUM,
                fix=Fix("Key the limit by the address the nearest trusted proxy saw (`trust proxy` and `req.ip`, "
                        "or the entry that many places from the end of the header).",
                        "app.set('trust proxy', 1);\nawait checkRateLimit(req.ip, 'login', 10);", "typescript"),
                rule=RULE.id, key=f"{reader}|{concern}",
            )


RULE = Rule("js-spoofable-limit-key", frozenset({"auth-brute-force", "missing-rate-limit"}), "javascript", no_findings,
            collect=collect, combine=combine, requires=("forwarded", "limit", "throttl", "lockout", "brute", "consume", "attempt"))

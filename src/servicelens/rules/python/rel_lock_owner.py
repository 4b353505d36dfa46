"""A lock in a key-value store released by deleting its key, without checking who holds it.

## What it finds
A lock taken with `SET key token NX` and an expiry (`r.set(key, token, nx=True, ex=30)`, `r.setnx(key, token)`
then `r.expire(key, 30)`), whose result the code tests or returns (was the lock taken?), and released, in the same class or module, by `r.delete(key)` of the same key on the same client,
in a function that never reads the key back: the release deletes whatever the key holds.

## Why it matters
The lock expires (`ex=`/`px=`) so a crashed holder cannot block everyone forever. But a holder
that stalls past the expiry (a long GC pause, a slow call, a lost heartbeat) has lost the lock to
the next worker, and its `DELETE` then removes the other worker's lock: a third one acquires it,
and two workers run the section the lock exists to serialise. The token stored by the `SET NX`
is there to tell holders apart; a release that does not compare it throws that away.

## Example
```python
def acquire(self):
    return r.set(self.key, self.token, nx=True, ex=60)

def release(self):
    r.delete(self.key)
```

## Fix
```python
_RELEASE = r.register_script(
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0")

def release(self):
    _RELEASE(keys=[self.key], args=[self.token])
```
Or use the client's own lock (`r.lock(name, timeout=...)`), which releases by token.

## Known problems
The acquire and the release are paired by the client as written and the key's expression, within
one class (or among a module's functions); a lock whose key is built differently in the two places
is not paired. A release that reads the key first (`if r.get(key) == token: r.delete(key)`) is
trusted, although the check and the delete are two commands; a Lua script or a WATCH in the
releasing function is trusted too. A client wrapper whose methods take the key as a parameter
(`def set_if_absent(self, key, value)`, `def delete(self, key)`) is no lock: its callers are not followed.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule
from servicelens.rules.python._cache_calls import CacheCall, cache_call, imports_store
from servicelens.rules.python._common import is_test_path
from servicelens.taint.scope import ModuleScope

_RELEASES = frozenset({"delete", "unlink"})
# commands that give a key an expiry after it is set (`setnx` takes none of its own)
_EXPIRES = frozenset({"expire", "pexpire", "expireat", "pexpireat"})
# commands that read the key back or run the check atomically in the store
_CHECKS = frozenset({"get", "getdel", "eval", "evalsha", "register_script", "watch", "transaction", "pipeline"})


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or not imports_store(scope):
        return
    groups: dict[str | None, list[ir.Function]] = {}
    for function in module.functions:
        if function.parent is None:
            groups.setdefault(function.class_name, []).append(function)
    for functions in groups.values():
        yield from _group_findings(module, scope, functions)


def _group_findings(module: ir.Module, scope: ModuleScope, functions: list[ir.Function]) -> Iterable[Finding]:
    commands = [(function, command) for function in functions for call in ir.calls_in_body(function.body)
                if (command := cache_call(call, scope, function, kinds=("redis", "store"))) is not None
                and not _handed_key(call, function)]
    tested = {id(call) for function in functions for call in _tested_calls(function)}
    expiring = {(command.client, command.key) for _, command in commands if command.method in _EXPIRES}
    acquires = {(command.client, command.key): command for _, command in commands
                if id(command.call) in tested and _acquires(command)
                and (_expires(command.call) or (command.client, command.key) in expiring)}
    if not acquires:
        return
    checked = {function.qualname for function, command in commands if command.method in _CHECKS}
    checked |= {function.qualname for function in functions
                if any(isinstance(call.func, ir.Attr) and call.func.attr in _CHECKS for call in ir.calls_in_body(function.body))}
    for function, command in commands:
        acquire = acquires.get((command.client, command.key))
        if command.method in _RELEASES and acquire is not None and function.qualname not in checked \
                and len(command.call.args) == 1:
            yield _finding(module, function, command, acquire)


def _handed_key(call: ir.Call, function: ir.Function) -> bool:
    """The key is the function's parameter as it stands (`def delete(self, key): r.delete(key)`): a
    wrapper around the client, whose callers say which key; two wrappers share no lock."""
    key = call.arg(0, "name")
    return isinstance(key, ir.Name) and any(p.name == key.id for p in function.params)


def _tested_calls(function: ir.Function) -> Iterable[ir.Call]:
    """Calls whose result the function uses (tests, returns, keeps): a lock taken is asked whether it
    was; a cache filled with `SET NX` and left alone is no lock."""
    for stmt in ir.walk_stmts(function.body):
        bare = stmt.value if isinstance(stmt, ir.ExprStmt) else None
        bare = bare.value if isinstance(bare, ir.Await) else bare
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Call) and node is not bare:
                    yield node


def _acquires(command: CacheCall) -> bool:
    """`set(key, token, nx=True ...)` or `setnx(key, token)` with a token that is not a literal."""
    call = command.call
    if command.method == "setnx":
        value = call.arg(1, "value")
    elif command.method == "set" and isinstance(nx := call.kwarg("nx"), ir.Const) and nx.value is True:
        value = call.arg(1, "value")
    else:
        return False
    return value is not None and not isinstance(value, ir.Const)


def _expires(call: ir.Call) -> bool:
    """`set(key, token, nx=True, ex=30)` (or `px=`, `exat=`, `pxat=`): a lock that never expires is
    never lost by a holder that stalls, so its holder's DELETE removes only its own lock."""
    given = (call.arg(2, "ex"), call.arg(3, "px"), call.kwarg("exat"), call.kwarg("pxat"))
    return any(value is not None and not (isinstance(value, ir.Const) and value.value is None) for value in given)


def _finding(module: ir.Module, function: ir.Function, release: CacheCall, acquire: CacheCall) -> Finding:
    call = release.call
    key = module.line_text(call.line)
    return make_finding(
        "race-condition", Location(module.path, call.line, call.end_line or call.line),
        f"Lock released with `{release.client}.{release.method}` without checking it still holds it",
        f"`{function.name}` deletes the lock key that line {acquire.call.line} sets with NX and a token, without "
        "comparing the stored token: a holder that outlived the expiry deletes the next holder's lock, and two "
        "workers then run what the lock serialises.",
        confidence=Confidence.MEDIUM,
        evidence=(TraceStep(Location(module.path, acquire.call.line), "the lock is taken with a token",
                            module.line_text(acquire.call.line)),
                  TraceStep(Location(module.path, call.line), "it is released without comparing the token", key)),
        fix=Fix("Release by token in one step: a Lua script that deletes the key only if it still holds this "
                "holder's token (or the client's own `lock()`, which does so).",
                "release = r.register_script(\n"
                "    \"if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0\")\n"
                "release(keys=[key], args=[token])\n", "python"),
        rule=RULE.id, key=f"{function.qualname}:{release.client}",
    )


RULE = Rule("py-lock-release-without-owner", frozenset({"race-condition"}), "python", check,
            requires=("redis",))

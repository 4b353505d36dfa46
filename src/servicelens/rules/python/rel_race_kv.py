"""Lost update in a key-value store: a counter is read with GET and written back with SET.

## What it finds
In one function, `left = int(r.get(key))` then `r.set(key, left - qty)` (also `hget`/`hset`,
`setex`, awaited clients, Django's cache API): the same key on the same client, written with a
value computed in Python from what was read, with no WATCH on the key and no lock taken.

A counter whose local, key or function names a held quantity (`stock:{sku}`, `quota:{user}`) or
attempts at a secret (`{token}_code_tries` in a code check) is high; any other counter (a soft
e-mail throttle, a cached failure count, page views) is low: a lost increment there lets one more
e-mail through or costs one more lookup.

## Why it matters
Redis runs each command atomically, not the pair. Two requests that overlap by a millisecond
both GET 10, both SET 9: one sale of the last items is lost and stock oversells; a view or
quota counter drifts under load. This is the read-modify-write the store's own atomic commands
exist to avoid.

## Example
```python
left = int(r.get(f"stock:{sku}") or 0)
if left >= qty:
    r.set(f"stock:{sku}", left - qty)
```

## Fix
Let the store do the arithmetic: `r.decrby(key, qty)` / `r.incrby(key, n)` / `r.hincrby(...)`
(`cache.incr`/`cache.decr` in Django), undoing a decrement that went below zero, or a Lua script
(`register_script`) that checks and decrements in one step; or WATCH the key in a pipeline and
retry on `WatchError`.

## Known problems
Only a GET and a SET of the same key expression on the same client name, in one function, are
paired; a value read in one function and written in another is not followed. A function that
calls `watch` or takes any lock (`r.lock(...)`, a `with lock:`) is trusted as a whole. Values
that are whole documents (`json.loads(r.get(k))`, changed and stored back) are not judged.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from servicelens import ir
from servicelens.analysis.file_index import file_index
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, TraceStep
from servicelens.rules.base import Rule
from servicelens.rules.python._cache_calls import CacheCall, cache_call, cache_vocabulary, imports_store, write_value
from servicelens.rules.python._common import is_test_path, words
from servicelens.rules.python._race_stakes import Stakes, stakes
from servicelens.rules.python.rel_shared import chain, is_script_path, render
from servicelens.taint.scope import ModuleScope

_LOCK_WORDS = frozenset({"lock", "locked", "mutex", "watch", "semaphore"})


@dataclass(frozen=True, slots=True)
class _Read:
    line: int
    command: CacheCall

    @property
    def client(self) -> str:
        return self.command.client

    @property
    def method(self) -> str:
        return self.command.method


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or is_script_path(module.path) \
            or not imports_store(scope):
        return
    index = file_index(module, scope)
    for function in module.functions:
        calls = list(index.block_of_kind(function.body, ir.Call))
        if any(_LOCK_WORDS & set(words(name)) for call in calls for name in chain(call)[1:]):
            continue  # WATCH/MULTI, `r.lock(...)`: the function serialises its writes
        yield from _function_findings(module, function, index, scope)


def _function_findings(module: ir.Module, function: ir.Function, index, scope: ModuleScope) -> Iterable[Finding]:
    reads: dict[str, _Read] = {}  # local -> the GET it holds (directly, converted, or computed from)
    computed: set[str] = set()  # locals holding arithmetic on a read (`remaining = left - qty`)
    for stmt in index.walk_stmts(function.body):
        if isinstance(stmt, ir.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ir.Name) \
                and stmt.value is not None:
            name = stmt.targets[0].id
            read, derived = _read_in(stmt.value, stmt.line, scope, function), _derived(stmt.value, reads)
            reads.pop(name, None)
            computed.discard(name)
            if read is not None or derived is not None:
                reads[name] = read or derived  # type: ignore[assignment]
                if read is None:
                    computed.add(name)
            continue
        for call in index.stmt_of_kind(stmt, ir.Call):
            hit = _write_back(call, reads, computed, scope, function)
            if hit is not None:
                django = hit[0].command.kind == "django"
                held = tuple(name for name, read in reads.items() if read is hit[0])
                at_stake = stakes(held + _key_words(module, function, hit[0]), (function.name, hit[0].client))
                yield _finding(module, function, call, hit, django, at_stake)
                return


def _read_in(value: ir.Expr, line: int, scope: ModuleScope, function: ir.Function) -> _Read | None:
    """`r.get(k)`, `int(r.get(k) or 0)`, `await r.hget(h, f)`: a GET whose result the local holds."""
    for node in ir.walk_expr(value):
        if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) \
                and node.func.attr in cache_vocabulary().reads and node.args:
            command = cache_call(node, scope, function)
            if command is not None:
                return _Read(line, command)
    return None


def _derived(value: ir.Expr, reads: dict[str, _Read]) -> _Read | None:
    """A local computed from a held read (`remaining = left - qty`)."""
    for node in ir.walk_expr(value):
        if isinstance(node, ir.BinOp) and node.op in ("+", "-"):
            for side in (node.left, node.right):
                name = _held_name(side)
                if name in reads:
                    return reads[name]
    return None


def _held_name(expr: ir.Expr) -> str:
    """`left`, `int(left)`, `float(left)`: the local a side of an arithmetic stands for."""
    if isinstance(expr, ir.Call) and len(expr.args) == 1 and not expr.kwargs:
        expr = expr.args[0]
    return expr.id if isinstance(expr, ir.Name) else ""


def _write_back(call: ir.Call, reads: dict[str, _Read], computed: set[str], scope: ModuleScope,
                function: ir.Function) -> tuple[_Read, ir.Expr] | None:
    """`r.set(k, left - qty)` where `left` holds `r.get(k)`: same client, same key, a new value
    computed from the old one. `nx=True` only creates a missing key and is no overwrite."""
    if not isinstance(call.func, ir.Attr) or any(k.name in ("nx", "xx") for k in call.kwargs):
        return None
    write = cache_call(call, scope, function)
    if write is None:
        return None
    for read in reads.values():
        value = write_value(write, read.command)
        if value is not None and _from_read(value, read, reads, computed):
            return read, value
    return None


def _from_read(value: ir.Expr, read: _Read, reads: dict[str, _Read], computed: set[str]) -> bool:
    """The stored value is arithmetic on the read, inline or through a local; a local that holds
    the read itself (`r.set(k, v)` after `v = r.get(k)`) writes back what it read: nothing is lost."""
    if isinstance(value, ir.Name):
        return reads.get(value.id) is read and value.id in computed
    return any(isinstance(node, ir.BinOp) and node.op in ("+", "-")
               and any(reads.get(_held_name(side)) is read for side in (node.left, node.right))
               for node in ir.walk_expr(value))


def _key_words(module: ir.Module, function: ir.Function, read: _Read) -> tuple[str, ...]:
    """What the key says it holds: its text (`f"stock:{sku}"`), or, for a key in a local
    (`cache_key = f"email_rate:{recipient}"`), the text of the local's last binding before the read."""
    if not read.command.call.args:
        return ()
    key = read.command.call.args[0]
    texts = [_arg_text(module, key)]
    if isinstance(key, ir.Name):
        bound = [s for s in ir.walk_stmts(function.body) if isinstance(s, ir.Assign) and s.line < read.line
                 and any(isinstance(t, ir.Name) and t.id == key.id for t in s.targets)]
        if bound:
            texts.append(module.line_text(bound[-1].line))
    return tuple(texts)


def _arg_text(module: ir.Module, expr: ir.Expr) -> str:
    """The source of one call argument on its line: up to the first comma or closing bracket at
    its own depth, outside string literals."""
    raw = module.lines[expr.line - 1] if 0 < expr.line <= len(module.lines) else ""
    depth, quote = 0, ""
    for index in range(expr.col, len(raw)):
        char = raw[index]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
        elif char in ",)]}" and not depth:
            return raw[expr.col:index].strip()
    return raw[expr.col:].strip()


def _delta(module: ir.Module, value: ir.Expr) -> tuple[str, str]:
    """("-" or "+", the amount's source) of the arithmetic the written value does on the read."""
    for node in ir.walk_expr(value):
        if isinstance(node, ir.BinOp) and node.op in ("+", "-"):
            other = node.right if _held_name(node.left) else node.left
            return node.op, (render(other) if not isinstance(other, ir.FormattedString) else _arg_text(module, other))
    return "-", "n"


def _finding(module: ir.Module, function: ir.Function, call: ir.Call, hit: tuple[_Read, ir.Expr],
             django: bool = False, at_stake: Stakes = Stakes.HELD) -> Finding:
    """`django`: the client is Django's cache, whose atomic commands are `incr`/`decr`. `at_stake`: what
    the value counts; a tally (a soft e-mail throttle, a cached failure count) drifting by one is low."""
    read, value = hit
    key = _arg_text(module, read.command.call.args[0]) or "key"
    op, amount = _delta(module, value)
    up, down = ("incr", "decr") if django else ("incrby", "decrby")
    if op == "-":
        code = (f"left = {read.client}.{down}({key}, {amount})\nif left < 0:\n"
                f"    {read.client}.{up}({key}, {amount})  # not enough: undo, then reject\n")
    else:
        code = f"{read.client}.{up}({key}, {amount})\n"
    return make_finding(
        "race-condition", Location(module.path, call.line, call.end_line or call.line),
        f"Lost update: `{read.client}.{read.method}` then `{call.func.attr}` of a value computed from it",  # type: ignore[union-attr]
        f"`{function.name}` reads a value at line {read.line} and writes back `{render(value)}` at line {call.line}. "
        "Each command is atomic, the pair is not: two overlapping requests both read 10 and both write 9, so one "
        "decrement is lost (stock oversells, counters drift, quotas are exceeded).",
        confidence=Confidence.LOW if at_stake is Stakes.TALLY else Confidence.HIGH,
        evidence=(TraceStep(Location(module.path, read.line), "the value is read", module.line_text(read.line)),
                  TraceStep(Location(module.path, call.line), "a value computed from it is written back",
                            module.line_text(call.line))),
        fix=Fix("Let the store do the arithmetic in one command (INCRBY/DECRBY, HINCRBY, Django `cache.incr`), "
                "or check and change in one Lua script, or WATCH the key in a pipeline and retry on WatchError.",
                code, "python"),
        rule=RULE.id, key=f"{function.qualname}:{read.client}",
    )


RULE = Rule("py-race-kv-read-modify-write", frozenset({"race-condition"}), "python", check,
            requires=("redis", "cache"))

"""Module-level mutable state changed by request handlers.

## What it finds
A handler that writes to a module-level list, dict, set or counter
(`ORDERS.append(order)`, `SESSIONS[token] = user`, `global hits; hits += 1`) when the
module holds no lock for it.

## Why it matters
Every worker process has its own copy. With 4 gunicorn workers a client sees one of
4 different carts/sessions/counters depending on which worker answers, and a deploy or
restart wipes them all. With threaded workers `hits += 1` is a read-modify-write: two
threads read 41 and both write 42, so increments are lost.

## Example
```python
RESERVED = {}

@app.post("/reserve")
def reserve(seat: str):
    RESERVED[seat] = current_user.id
```

## Fix
Keep shared state in the shared store the service already uses (a database row, Redis
`INCR`/`SETNX`), so every worker sees the same value and updates are atomic.

## Not reported
A collection of live objects of this process: open websockets, pending futures, running
tasks. They exist only in the event loop that made them, so no shared store can hold them and a
per-process registry is the design. The code says what the elements are: a value put into the
collection or taken out of it that the same function awaits (`await fut`, `await ws.prepare(...)`,
`async for msg in ws`), or that the function made with the event loop's constructors (`task =
asyncio.create_task(...)` kept in a set until it is done, as asyncio's documentation asks).
```python
PENDING = {}

@routes.post("/jobs/{id}/wait")
async def wait(request):
    fut = PENDING[request.match_info["id"]]
    return web.json_response(await fut)
```

## Known problems
Names that announce a per-process cache (`_cache`, `memo`, `registry`) are skipped: a
cache that differs per worker is usually intended. Handlers are recognised from routing
decorators and Django view shapes only.
"""
from __future__ import annotations

from typing import Iterable

from servicelens import ir
from servicelens.fixcode.shared_state import in_redis
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity
from servicelens.rules.base import Rule
from servicelens.rules.python._common import is_test_path, module_constants
from servicelens.rules.python._live_objects import live_collections
from servicelens.rules.python.rel_shared import chain, stmt_calls
from servicelens.taint.scope import ModuleScope

_MUTABLE_CALLS = frozenset({"dict", "list", "set", "defaultdict", "Counter", "OrderedDict", "deque"})
_MUTATORS = frozenset({"append", "extend", "add", "update", "pop", "setdefault", "remove", "clear", "insert",
                       "discard", "popitem", "appendleft", "__setitem__"})
_BENIGN = ("cache", "memo", "registry", "lru", "compiled", "loaded")


def check(module: ir.Module, scope: ModuleScope) -> Iterable[Finding]:
    if is_test_path(module.path) or not scope.handlers:
        return
    state = _module_state(module)
    live = live_collections(module, frozenset(name for name, kind in state.items() if kind == "collection"))
    state = {name: kind for name, kind in state.items() if name not in live}
    if not state or _module_has_lock(module):
        return
    for function in module.functions:
        if function.qualname not in scope.handlers:
            continue
        declared = {n for s in ir.walk_stmts(function.body) if isinstance(s, ir.Global) for n in s.names}
        for stmt in ir.walk_stmts(function.body):
            hit = _mutation(stmt, state, declared)
            if hit is not None:
                yield _finding(module, stmt, hit, state[hit])
                break  # one finding per handler is enough to make the point


def _module_state(module: ir.Module) -> dict[str, str]:
    """name -> kind ("collection" | "counter") for module-level mutable bindings."""
    out: dict[str, str] = {}
    for name, stmt in module_constants(module).items():
        if any(word in name.lower() for word in _BENIGN) or name == "__all__":
            continue
        value = stmt.value
        if isinstance(value, ir.DictExpr) or (isinstance(value, ir.Seq) and value.kind in ("list", "set")):
            out[name] = "collection"
        elif isinstance(value, ir.Call) and (chain(value) or [""])[-1] in _MUTABLE_CALLS:
            out[name] = "collection"
        elif isinstance(value, ir.Const) and type(value.value) in (int, float):
            out[name] = "counter"
    return out


def _module_has_lock(module: ir.Module) -> bool:
    return any("Lock" in (chain(stmt.value) or [""])[-1] for stmt in module.body
               if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call))


def _mutation(stmt: ir.Stmt, state: dict[str, str], declared: set[str]) -> str | None:
    if isinstance(stmt, ir.Assign):
        for target in stmt.targets:
            if isinstance(target, ir.Subscript) and isinstance(target.value, ir.Name) and target.value.id in state \
                    and state[target.value.id] == "collection":
                return target.value.id
            if isinstance(target, ir.Name) and target.id in declared and target.id in state:
                return target.id
    if isinstance(stmt, ir.Delete):
        for target in stmt.targets:
            if isinstance(target, ir.Subscript) and isinstance(target.value, ir.Name) and target.value.id in state:
                return target.value.id
    for call in stmt_calls(stmt):
        names = chain(call)
        if len(names) == 2 and names[0] in state and names[1] in _MUTATORS and isinstance(call.func, ir.Attr) \
                and isinstance(call.func.value, ir.Name):
            return names[0]
    return None


def _finding(module: ir.Module, stmt: ir.Stmt, name: str, kind: str) -> Finding:
    counter = kind == "counter"
    why = ("Each worker process holds its own copy of `{0}`: with 4 workers a client sees whichever copy "
           "its request lands on, and a restart or deploy wipes it. ").format(name)
    why += ("With threads, `{0} += 1` is read-modify-write: two requests read 41 and both write 42, "
            "so increments are lost.".format(name) if counter else
            "Two requests mutating it at once can also interleave (check-then-set on a dict is not atomic).")
    code = in_redis("\n".join(module.lines[stmt.line - 1:stmt.end_line]), name) or ""
    return make_finding(
        "race-condition", Location(module.path, stmt.line, stmt.end_line),
        f"Handler mutates module-level `{name}`: per-process state shared by concurrent requests",
        why, severity=Severity.HIGH if counter else Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        fix=Fix(f"Move `{name}` into the database or Redis (atomic INCR/SETNX), not process memory.", code,
                "python" if code else ""),
        rule=RULE.id, key=name,
    )


RULE = Rule("py-race-module-state", frozenset({"race-condition"}), "python", check)

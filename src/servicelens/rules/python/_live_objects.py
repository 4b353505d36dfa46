"""Module-level collections that hold live objects of this process, not data.

Not a rule (it defines no RULE). A registry of open websockets, pending futures or running
tasks is per process by nature: those objects exist only in the event loop that created them
and cannot be moved to Redis or a database row, so holding them in process memory is the only
design, not a race to fix. What the values are is read from how the code uses them: a value
put into the collection, or taken out of it, that the same function then awaits
(`await fut`, `await ws.send_str(...)`, `async for msg in ws`) is a live object; so is one the
function makes with the event loop's own constructors (`task = asyncio.create_task(...)`,
`fut = loop.create_future()`), held so that a fire-and-forget task is not garbage-collected.
"""
from __future__ import annotations

from servicelens import ir


def live_collections(module: ir.Module, candidates: frozenset[str]) -> frozenset[str]:
    """The names in `candidates` whose elements some function of `module` awaits."""
    live: set[str] = set()
    for function in module.functions:
        awaited = _awaited_names(function.body) | _made_live(function.body)
        if not awaited:
            continue
        for name, held in _element_names(function.body, candidates):
            if held & awaited:
                live.add(name)
    return frozenset(live)


def _awaited_names(body: tuple[ir.Stmt, ...]) -> frozenset[str]:
    """Local names the function awaits on, directly or through a method call, or iterates with
    `async for` / enters with `async with`."""
    names: set[str] = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.For) and stmt.is_async:
            names |= _subject(stmt.iter)
        if isinstance(stmt, ir.With) and stmt.is_async:
            for item in stmt.items:
                names |= _subject(item.context)
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):
                if isinstance(node, ir.Await):
                    names |= _subject(node.value)
    return frozenset(names)


# the event loop's constructors of tasks and futures (asyncio documents keeping a reference to
# every task made with create_task, in a set, so that it is not collected mid-run)
_LOOP_OBJECTS = frozenset({"create_task", "ensure_future", "create_future", "run_coroutine_threadsafe", "Future",
                           "Task"})


def _made_live(body: tuple[ir.Stmt, ...]) -> frozenset[str]:
    """Locals bound to a task or future the event loop made: `task = asyncio.create_task(...)`."""
    names: set[str] = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Call) \
                and ir.last_name(stmt.value.func) in _LOOP_OBJECTS:
            names.update(n for t in stmt.targets for n in _names(t))
    return frozenset(names)


def _subject(expr: ir.Expr) -> set[str]:
    """`fut` for `fut`, `ws.send_str(...)`, `ws.receive`."""
    while isinstance(expr, (ir.Call, ir.Attr)):
        expr = expr.func if isinstance(expr, ir.Call) else expr.value
    return {expr.id} if isinstance(expr, ir.Name) else set()


def _element_names(body: tuple[ir.Stmt, ...], candidates: frozenset[str]) -> list[tuple[str, frozenset[str]]]:
    """(collection, local names of elements put in or taken out) for each statement touching it."""
    found: list[tuple[str, frozenset[str]]] = []
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Assign) and stmt.value is not None:
            source = _collection_read(stmt.value, candidates)
            if source:  # `req, fut = waiters[key]` / `ws = sockets.get(key)`
                found.append((source, frozenset(n for t in stmt.targets for n in _names(t))))
            for target in stmt.targets:  # `waiters[key] = (req, fut)`
                if isinstance(target, ir.Subscript) and isinstance(target.value, ir.Name) \
                        and target.value.id in candidates:
                    found.append((target.value.id, frozenset(_names(stmt.value))))
        if isinstance(stmt, ir.For) and isinstance(stmt.iter, ir.Name) and stmt.iter.id in candidates:
            found.append((stmt.iter.id, frozenset(_names(stmt.target))))
        for expr in ir.stmt_exprs(stmt):
            for node in ir.walk_expr(expr):  # `sockets.append(ws)` / `tasks.add(task)`
                if isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) \
                        and isinstance(node.func.value, ir.Name) and node.func.value.id in candidates:
                    held = frozenset(n for arg in node.args for n in _names(arg))
                    if held:
                        found.append((node.func.value.id, held))
    return found


def _collection_read(expr: ir.Expr, candidates: frozenset[str]) -> str:
    if isinstance(expr, ir.Subscript) and isinstance(expr.value, ir.Name) and expr.value.id in candidates:
        return expr.value.id
    if isinstance(expr, ir.Call) and isinstance(expr.func, ir.Attr) and expr.func.attr in ("get", "pop") \
            and isinstance(expr.func.value, ir.Name) and expr.func.value.id in candidates:
        return expr.func.value.id
    return ""


def _names(expr: ir.Expr) -> list[str]:
    """Plain names in a target or value, looking into tuples and lists (`req, fut`)."""
    if isinstance(expr, ir.Name):
        return [expr.id]
    if isinstance(expr, ir.Seq):
        return [n for e in expr.elts for n in _names(e)]
    return []

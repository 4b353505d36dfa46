"""Coroutines that run only on an event loop a synchronous function makes for them.

`loop = asyncio.new_event_loop(); loop.run_until_complete(run_tasks()); loop.close()` in a plain
function runs `run_tasks`, and the coroutines it starts or awaits, on a loop that serves nothing
else and lives only for that call: a blocking call there holds up its sibling tasks, not a server's
requests, and the function's caller waits for the whole run in any case (a stats collector run from
a worker thread). Such a coroutine is one whose every call in its module is that run or is made by
another such coroutine. A function that keeps its loop running afterwards (`run_forever()`) serves
on it, and its coroutines are not private.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.analysis.file_index import FileIndex


def private_loop_coroutines(module: ir.Module, index: FileIndex) -> frozenset[str]:
    """Qualnames of the module's coroutine functions that run only on a loop a synchronous function
    of the module creates, runs to completion and does not keep serving on."""
    if not index.calls_named("new_event_loop"):
        return frozenset()  # most modules make no loop of their own
    coroutines = {f.qualname: f for f in module.functions if f.is_async}
    runs: list[ir.Call] = []  # the `run_until_complete(...)` calls on a private loop
    private: set[str] = set()
    for function in module.functions:
        if function.is_async or not index.calls_named("new_event_loop", function.body) \
                or index.calls_named("run_forever", function.body):
            continue
        for call in index.calls_named("run_until_complete", function.body):
            root = _coroutine_called(call.args[0] if call.args else None, function, coroutines)
            if root:
                runs.append(call)
                private.add(root)
    grown = bool(private)
    while grown:  # what a private coroutine starts or awaits runs on its loop too
        grown = False
        for name in sorted(private):
            for call in index.block_of_kind(coroutines[name].body, ir.Call):
                callee = _coroutine_called(call, coroutines[name], coroutines)
                if callee and callee not in private:
                    private.add(callee)
                    grown = True
    return frozenset(name for name in private if _only_called_privately(coroutines[name], private, coroutines,
                                                                        runs, index))


def _coroutine_called(expr: ir.Expr | None, where: ir.Function, coroutines: dict[str, ir.Function]) -> str:
    """The qualname of the module's coroutine function `expr` calls by name: one nested in `where`
    (or in its parents), else a module-level one; "" otherwise."""
    if not isinstance(expr, ir.Call) or not isinstance(expr.func, ir.Name):
        return ""
    scope: str | None = where.qualname
    while scope:
        nested = f"{scope}.<locals>.{expr.func.id}"
        if nested in coroutines:
            return nested
        scope = scope.rsplit(".<locals>.", 1)[0] if ".<locals>." in scope else None
    return expr.func.id if expr.func.id in coroutines else ""


def _only_called_privately(coroutine: ir.Function, private: set[str], coroutines: dict[str, ir.Function],
                           runs: list[ir.Call], index: FileIndex) -> bool:
    """Every call of the coroutine in its module is a private loop's run or is made by a private
    coroutine: no handler, hook or other loop of the module runs it."""
    allowed = {id(arg) for call in runs for arg in call.args[:1]}
    for name in private:
        allowed |= {id(c) for c in index.block_of_kind(coroutines[name].body, ir.Call)}
    return all(id(call) in allowed for call in index.calls_named(coroutine.name))

"""Who waits on a project function, across modules: a method or function every call of which, in
the whole project, is started without being awaited (`agent.send(type, payload)` in a notification
fan-out, `manager.emit(...)`), or is made from another function nobody waits for, runs in the
background. A stall in it holds a pending promise, not a request (missing-timeout grades it down).

Every file records its calls by the called name (`send` for `agent.send(...)`: the receiver's class
is rarely known in JavaScript, so every project method of that name is a candidate), with the name
the call resolves to when it does (`_calls.callee`) and whether anything waits for it; and the
names it mentions other than as a callee (a function handed on or stored may be awaited anywhere).
A call made by a configuration test action (`sendTestNotification`, `testConnection`: knowledge
`test_action_words`) is the one awaited path of a settings page's "send a test" button; it is not
counted as a waiting caller. Over-approximating the callers keeps the conclusion safe: a function
is background only when no call that may land in it waits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

from servicelens import ir
from servicelens.packaged_yaml import packaged_yaml
from servicelens.rules.javascript import _calls as calls
from servicelens.rules.javascript._node import named_calls
from servicelens.rules.javascript._unwaited import discarded_calls, outermost
from servicelens.taint.scope import ModuleScope

_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_NESTED = ".<locals>."


@dataclass(frozen=True, slots=True)
class Waiter:
    """A call that waits (awaited, returned, kept) for what it calls."""
    name: str  # the called name (`send`)
    resolved: str  # the project-wide name it resolves to ("" unknown, `member:` an injected member)
    caller: str  # key of the top-level function or method it is written in ("" at a module's top level)


@dataclass(frozen=True, slots=True)
class Uses:
    """One file's part: its candidate functions, and how it calls and names functions."""
    defined: tuple[tuple[str, str], ...] = ()  # (key, name) of undecorated top-level functions and methods
    started: frozenset[tuple[str, str]] = frozenset()  # (name, resolved) of calls nobody waits for
    waiters: frozenset[Waiter] = frozenset()
    handed: frozenset[str] = frozenset()  # names mentioned other than as a callee
    module: str = ""  # the module's dotted name
    classes: tuple[str, ...] = ()  # keys of the classes it defines


def uses(module: ir.Module, scope: ModuleScope) -> Uses:
    """The file's functions that may run in the background, and every call and mention of a name."""
    defined = tuple((f"{module.module_name}.{f.qualname}", f.name) for f in module.functions
                    if f.parent is None and _NESTED not in f.qualname and not f.decorators
                    and f.name != "constructor" and not f.name.startswith("<"))
    detached: dict[int, frozenset[int]] = {}
    loops: dict[int, tuple[tuple[int, int], ...]] = {}
    started: set[tuple[str, str]] = set()
    waiters: set[Waiter] = set()
    callees: set[int] = set()
    for named in named_calls(module, scope):
        call, function = named.call, named.function
        callees.add(id(call.func))
        name = _called_name(call.func)
        if not name:
            continue
        resolved = calls.callee(module, scope, function, call) if function is not None else \
            calls.project_name(module, scope, call.func)
        key = id(function)
        if key not in detached:
            detached[key] = discarded_calls(module, function)
            loops[key] = _loops(function)
        if id(call) in detached[key]:
            started.add((name, resolved))
        elif not _test_action(function):
            owner = outermost(function)
            caller = f"{module.module_name}.{owner}" if owner else ""
            if any(start <= call.line <= end for start, end in loops[key]):
                caller = ""  # awaited in turn for each item: one stall holds every later turn
            waiters.add(Waiter(name, resolved, caller))
    handed = {_mentioned(node) for _, expr in _read_expressions(module) for node in ir.walk_expr(expr)
              if isinstance(node, (ir.Name, ir.Attr)) and id(node) not in callees}
    return Uses(defined, frozenset(started), frozenset(waiters), frozenset(handed - {""}), module.module_name,
                tuple(f"{module.module_name}.{c.qualname}" for c in module.classes))


def background(files: Iterable[Uses]) -> frozenset[str]:
    """Keys of the project functions nobody waits for: called somewhere, never named other than as a
    callee, and every call that may land in one (by its name, unless it resolves elsewhere) is
    started without being awaited or made from another such function (a helper the background
    `send` awaits runs in the background too). The greatest such set."""
    files = list(files)
    handed = frozenset().union(*(f.handed for f in files)) if files else frozenset()
    names = {key: name for f in files for key, name in f.defined if name not in handed}
    started: dict[str, set[str]] = {}
    waiting: dict[str, list[Waiter]] = {}
    for f in files:
        for name, resolved in f.started:
            started.setdefault(name, set()).add(resolved)
        for waiter in f.waiters:
            waiting.setdefault(waiter.name, []).append(waiter)
    elsewhere = _Elsewhere(frozenset(key for f in files for key, _ in f.defined),
                           frozenset(c for f in files for c in f.classes), frozenset(f.module for f in files))
    kept = {key for key, name in names.items()
            if any(elsewhere.may_land(resolved, key) for resolved in started.get(name, ()))
            or any(elsewhere.may_land(w.resolved, key) for w in waiting.get(name, ()))}
    changed = True
    while changed:
        changed = False
        for key in sorted(kept):
            if any(elsewhere.may_land(w.resolved, key) and w.caller not in kept for w in waiting.get(names[key], ())):
                kept.discard(key)
                changed = True
    return frozenset(kept)


@dataclass(frozen=True, slots=True)
class _Elsewhere:
    """What a resolved callee name may be: the project's functions, classes and modules."""
    functions: frozenset[str]
    classes: frozenset[str]
    modules: frozenset[str]

    def may_land(self, resolved: str, key: str) -> bool:
        """A call may land in `key` unless it resolves to another project function, to a method of
        another project class, or outside the project (an import of a package); an injected
        member's method (`member:`), or a project module's name the rule cannot follow (a
        default-exported instance), may be any."""
        if not resolved or resolved == key or resolved.startswith("member:"):
            return True
        if resolved in self.functions or resolved.rpartition(".")[0] in self.classes:
            return False
        parts = resolved.split(".")
        return any(".".join(parts[:n]) in self.modules for n in range(1, len(parts)))


def _loops(function: ir.Function | None) -> tuple[tuple[int, int], ...]:
    """The lines of the loops of the function's own body (as `_unwaited.in_loop` reads them)."""
    if function is None:
        return ()
    return tuple((stmt.line, stmt.end_line) for stmt in ir.walk_stmts(function.body)
                 if isinstance(stmt, (ir.For, ir.While)))


def _called_name(func: ir.Expr) -> str:
    if isinstance(func, ir.Name):
        return func.id
    if isinstance(func, ir.Attr) and not isinstance(func.value, ir.Call):
        return func.attr  # `res.status(204).send()`: a call's result is rarely a project object
    return ""


def _mentioned(node: ir.Expr) -> str:
    return node.id if isinstance(node, ir.Name) else node.attr if isinstance(node, ir.Attr) else ""


def _read_expressions(module: ir.Module) -> Iterable[tuple[ir.Function | None, ir.Expr]]:
    """Every expression the module evaluates, not the names it assigns to."""
    bodies: list[tuple[ir.Function | None, tuple[ir.Stmt, ...]]] = [(None, module.body)]
    bodies += [(f, f.body) for f in module.functions]
    bodies += [(None, c.body) for c in module.classes]
    for function, body in bodies:
        for stmt in ir.walk_stmts(body):
            if isinstance(stmt, ir.Assign):
                if stmt.value is not None:
                    yield function, stmt.value
                continue
            for expr in ir.stmt_exprs(stmt):
                yield function, expr


def _test_action(function: ir.Function | None) -> bool:
    """A function whose name says it tests a configuration (`sendTestNotification`, `testSetup`)."""
    if function is None:
        return False
    words = test_action_words()
    names = [function.qualname.split(_NESTED, 1)[0].rpartition(".")[2], function.name]
    return any(w.lower() in words for n in names for w in _WORDS.findall(n))


@lru_cache(maxsize=1)
def test_action_words() -> frozenset[str]:
    data = packaged_yaml(resources.files("servicelens.models").joinpath("node/waiting.yaml").read_text("utf-8"))
    return frozenset(str(w) for w in data["test_action_words"])

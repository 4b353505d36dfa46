"""Who waits for a promise: a call nobody awaits (`void notify()`, `hook(body).catch(log)`), and the
module's own functions that nobody waits for at all (every call of them is such a statement, or is
made from another function nobody waits for). A stall in code nobody waits for holds a socket,
not a request (missing-timeout grades it down)."""
from __future__ import annotations

import re
from typing import Callable, Iterator

from servicelens import ir

_CHAINED = ("then", "catch", "finally")
_NESTED = ".<locals>."
# where a helper is named: the function naming it, and the call it is the callee of (None: a value)
Use = tuple[ir.Function | None, ir.Call | None]


def discarded(module: ir.Module, function: ir.Function | None, call: ir.Call) -> bool:
    """The call is a statement of its own whose promise nobody awaits or returns: `void fetch(...)`,
    `axios.post(hook, body)`, `axios.post(hook, msg).then(log).catch(log)`. A chain whose callbacks
    call what the enclosing function was handed (`.then((r) => res.json(r.data))`, a promise
    executor's `resolve`/`reject`) answers someone who waits."""
    body = function.body if function is not None else module.body
    handed = {p.name for p in function.params} if function is not None else set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.ExprStmt) and stmt.line <= call.line <= max(stmt.line, stmt.end_line):
            node = stmt.value
            while node is not call:
                if isinstance(node, ir.Unary) and node.op == "void":
                    node = node.operand
                elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _CHAINED and \
                        not any(_answers(module, function, arg, handed) for arg in node.args):
                    node = node.func.value
                else:
                    break
            if node is call:
                return True
    return False


def discarded_calls(module: ir.Module, function: ir.Function | None) -> frozenset[int]:
    """The ids of the calls of one body that `discarded` holds, found in one walk of the body."""
    body = function.body if function is not None else module.body
    handed = {p.name for p in function.params} if function is not None else set()
    found: set[int] = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.ExprStmt):
            node = stmt.value
            while True:
                if isinstance(node, ir.Unary) and node.op == "void":
                    node = node.operand
                elif isinstance(node, ir.Call) and isinstance(node.func, ir.Attr) and node.func.attr in _CHAINED and \
                        not any(_answers(module, function, arg, handed) for arg in node.args):
                    found.add(id(node))  # `p.catch(log)` itself answers nobody either
                    node = node.func.value
                else:
                    break
            if isinstance(node, ir.Call):
                found.add(id(node))
    return frozenset(found)


def unwaited_functions(module: ir.Module) -> frozenset[str]:
    """Top-level functions of the module that nobody waits for: not exported, named only as the
    callee of calls nobody awaits (`needsUpdate().catch(log)`) or of calls made inside another such
    function. A function named any other way (exported, handed as a callback, stored) may be
    awaited elsewhere, so it is left out."""
    return only_used_where(helper_uses(module),
                           lambda function, call, kept: _nobody_waits(module, function, call, kept))


def only_used_where(uses: dict[str, list[Use]],
                    fits: Callable[[ir.Function | None, ir.Call, set[str]], bool]) -> frozenset[str]:
    """The helpers every use of which is a call that `fits`, given the helpers kept so far (a use
    inside another kept helper may fit because of it): the greatest such set, found by dropping
    helpers until none is dropped. A helper named other than as a callee never fits."""
    kept = {name for name, sites in uses.items() if sites}
    changed = True
    while changed:
        changed = False
        for name in sorted(kept):
            if any(call is None or not fits(function, call, kept) for function, call in uses[name]):
                kept.discard(name)
                changed = True
    return frozenset(kept)


def helper_uses(module: ir.Module) -> dict[str, list[Use]]:
    """The module's own helpers that no other module can call (top-level functions it does not
    export), each with every place it is named: the function naming it and the call it is the
    callee of (None: named another way, as a value that may be called anywhere)."""
    listed = _export_clauses(module)
    candidates = {f.qualname for f in module.functions
                  if f.class_name is None and f.parent is None and _NESTED not in f.qualname
                  and not _declared_exported(module, f.line) and f.qualname not in listed}
    uses: dict[str, list[tuple[ir.Function | None, ir.Call | None]]] = {name: [] for name in candidates}
    if not candidates:
        return uses
    by_name = {f.qualname: f for f in module.functions}
    for function, expr in _expressions(module):
        callees = {id(node.func) for node in ir.walk_expr(expr) if isinstance(node, ir.Call)}
        for node in ir.walk_expr(expr):
            if isinstance(node, ir.Name) and node.id in uses and not _shadowed(node.id, function, by_name):
                call = next((c for c in ir.walk_expr(expr) if isinstance(c, ir.Call) and c.func is node), None)
                uses[node.id].append((function, call if id(node) in callees else None))
    return uses


def _shadowed(name: str, function: ir.Function | None, by_name: dict[str, ir.Function]) -> bool:
    """A parameter of the function, or of one it is written in, of that name hides the module's."""
    while function is not None:
        if any(p.name == name for p in function.params):
            return True
        function = by_name.get(function.parent or "")
    return False


def in_loop(function: ir.Function | None, call: ir.Call) -> bool:
    """The call is made inside a loop of the function's own body: awaited there, one stalled peer
    holds every later turn of the loop (a webhook delivered in turn to each subscriber), forever
    when its client never gives up, whether or not anyone waits for the function."""
    if function is None:
        return False
    return any(isinstance(stmt, (ir.For, ir.While)) and stmt.line <= call.line <= stmt.end_line
               for stmt in ir.walk_stmts(function.body))


def outermost(function: ir.Function | None) -> str:
    """The top-level function a (nested) function is written in: a callback inside a function
    nobody waits for answers nobody either."""
    return function.qualname.split(_NESTED, 1)[0] if function is not None else ""


def _nobody_waits(module: ir.Module, function: ir.Function | None, call: ir.Call, unwaited: set[str]) -> bool:
    if function is not None and outermost(function) in unwaited:
        return True
    return discarded(module, function, call)


def _expressions(module: ir.Module) -> Iterator[tuple[ir.Function | None, ir.Expr]]:
    """Every expression of the module with the function whose body holds it (None: top level)."""
    bodies: list[tuple[ir.Function | None, tuple[ir.Stmt, ...]]] = [(None, module.body)]
    bodies += [(f, f.body) for f in module.functions]
    bodies += [(None, c.body) for c in module.classes]
    for function, body in bodies:
        for stmt in ir.walk_stmts(body):
            for expr in ir.stmt_exprs(stmt):
                yield function, expr


def _declared_exported(module: ir.Module, line: int) -> bool:
    text = module.lines[line - 1].lstrip() if 0 < line <= len(module.lines) else ""
    return text.startswith("export ") or text.startswith(("exports.", "module.exports"))


def _export_clauses(module: ir.Module) -> frozenset[str]:
    """Names an `export { a, b as c }` clause lists (the lowered module keeps no trace of a name
    exported as itself)."""
    found: set[str] = set()
    for clause in _EXPORT_CLAUSE.findall("\n".join(module.lines)):
        found.update(_WORD.findall(clause))
    return frozenset(found)


_EXPORT_CLAUSE = re.compile(r"\bexport\s*(?:type\s*)?\{([^}]*)\}")
_WORD = re.compile(r"[A-Za-z_$][\w$]*")


def _answers(module: ir.Module, function: ir.Function | None, callback: ir.Expr, names: set[str]) -> bool:
    """The callback is one of `names`, or a function defined here whose body calls one of them or a
    method on one (`res.json(...)`, `resolve(value)`): reading a handed value into a log line
    answers nobody."""
    if not isinstance(callback, ir.Name):
        return True  # a callback we cannot read: assume it answers someone
    if callback.id in names:
        return True
    prefix = f"{function.qualname}{_NESTED}" if function is not None else ""
    qualname = prefix + callback.id
    inner = [f for f in module.functions if f.qualname == qualname or f.qualname.startswith(qualname + _NESTED)]
    if not inner:
        return not callback.id.startswith("<")  # a named function of the module: not followed
    return any(isinstance(node, ir.Call) and _root(node.func) in names for f in inner
               for stmt in ir.walk_stmts(f.body) for expr in ir.stmt_exprs(stmt) for node in ir.walk_expr(expr))


def _root(expr: ir.Expr) -> str:
    """The name a callee starts from: `res` for `res.status(400).json`."""
    while True:
        if isinstance(expr, ir.Attr):
            expr = expr.value
        elif isinstance(expr, ir.Call):
            expr = expr.func
        elif isinstance(expr, ir.Name):
            return expr.id
        else:
            return ""

"""Which branches of a helper its caller's arguments switch off.

Not a rule. A helper often serves several callers through an optional parameter: `def
upload_info(user_id, file, url=None)` fetches `url` with `requests` only `if url:`, and stores
the uploaded file otherwise. A caller that passes `None` (or `False`, `""`, `0`) for `url`, or
leaves it to a falsy default, never runs that branch, so the blocking call in it is not that
caller's cost. A guard is a test of the bare parameter (`if url:`, `if url is not None:`, one
operand of an `and`) around the call, in the helper's own body; a value computed from the
parameter, or a parameter the caller passes a variable for, decides nothing.
"""
from __future__ import annotations

from dataclasses import dataclass

from servicelens import ir

_FALSY = (None, False, "", 0)


@dataclass(frozen=True, slots=True)
class Guard:
    """A parameter the guarded line needs truthy: its name, position, and whether its default is falsy."""
    name: str
    position: int
    falsy_default: bool


@dataclass(frozen=True, slots=True)
class Arguments:
    """What one call passes: the parameters it passes a falsy literal for and every parameter it
    passes (`#3` by position, counting the parameters it binds implicitly, or by name); `open`
    when a `*args` or `**kwargs` hides which."""
    falsy: frozenset[str]
    passed: frozenset[str]
    open: bool


def truthy_guards(function: ir.Function, line: int) -> tuple[Guard, ...]:
    """Each parameter of `function` that must be truthy for `line` to run: it is tested bare by an
    `if` whose body (not its `else`) holds the line."""
    params = {p.name: (i, p) for i, p in enumerate(function.params) if p.kind in ("positional", "keyword")}
    found: list[Guard] = []
    for stmt in ir.walk_stmts(function.body):
        if not isinstance(stmt, ir.If) or not stmt.body:
            continue
        end = stmt.orelse[0].line - 1 if stmt.orelse else stmt.end_line
        if not stmt.line <= line <= end:
            continue
        for name in _tested(stmt.test):
            if name in params:
                position, param = params[name]
                found.append(Guard(name, position if param.kind == "positional" else -1,
                                   param.default is not None and _falsy(param.default)))
    return tuple(found)


def _tested(test: ir.Expr) -> list[str]:
    """Names a test requires truthy (or not None)."""
    if isinstance(test, ir.Name):
        return [test.id]
    if isinstance(test, ir.Compare) and test.ops == ("is not",) and isinstance(test.left, ir.Name) \
            and isinstance(test.comparators[0], ir.Const) and test.comparators[0].value is None:
        return [test.left.id]
    if isinstance(test, ir.BoolOp) and test.op == "and":
        return [name for value in test.values for name in _tested(value)]
    return []


def arguments(call: ir.Call, bound: int) -> Arguments:
    """What `call` passes, its `bound` leading parameters (`self`) bound implicitly."""
    starred = any(isinstance(arg, ir.Starred) for arg in call.args)
    falsy = set() if starred else {f"#{i + bound}" for i, arg in enumerate(call.args) if _falsy(arg)}
    passed = {f"#{i + bound}" for i in range(len(call.args))}
    falsy |= {kw.name for kw in call.kwargs if kw.name and _falsy(kw.value)}
    passed |= {kw.name for kw in call.kwargs if kw.name}
    return Arguments(frozenset(falsy), frozenset(passed), starred or any(kw.name is None for kw in call.kwargs))


def _falsy(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Const) and any(expr.value is v or (type(expr.value) is type(v) and expr.value == v)
                                              for v in _FALSY)


def switched_off(guards: tuple[Guard, ...], args: Arguments) -> bool:
    """A guard the call makes false, by a falsy literal or by leaving a falsy default: the guarded
    line never runs for that call."""
    for guard in guards:
        if guard.name in args.falsy or f"#{guard.position}" in args.falsy:
            return True
        if guard.falsy_default and not args.open and guard.name not in args.passed \
                and f"#{guard.position}" not in args.passed:
            return True
    return False

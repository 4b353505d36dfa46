"""Optional time-window parameters of a list helper, and whether a call leaves them empty.

A helper `history(vehicle_id, since=None)` filters its rows by `since` only when a value is
given: called without one, or with a value that may be `None` (a request parameter the client
may leave out, `request.args.get("since")`), it returns every row. One end of a window is no
bound either way when the client chooses it; only a value the server computes
(`now - timedelta(days=7)`) or a page size bounds the rows. So such a parameter does not make the
helper bounded: the calls decide.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens import ir

# one end of a time or key window: it narrows the rows only when given
WINDOW_ENDS = re.compile(r"(?i)^(since|until|after|before|start|end)$")
_SELF = frozenset({"self", "cls"})


@dataclass(frozen=True, slots=True)
class Passed:
    """What a call hands a helper, as far as an empty window goes: for each positional argument
    and each keyword, whether the value may be `None`; `spread` when `*args`/`**kwargs` hide it."""

    args: tuple[bool, ...] = ()
    kwargs: tuple[tuple[str, bool], ...] = ()
    spread: bool = False

    def leaves_open(self, window: tuple[tuple[int, str], ...]) -> bool:
        """Every window parameter is left out or may be `None`: the helper's filter is skipped."""
        if self.spread:
            return False
        named = dict(self.kwargs)
        for position, name in window:
            if name in named:
                if not named[name]:
                    return False
            elif position < len(self.args) and not self.args[position]:
                return False
        return True


def optional_window(function: ir.Function, assigns: dict[str, ir.Expr]) -> tuple[tuple[int, str], ...] | None:
    """The window-end parameters of `function` as (position in a call's arguments, name), when
    every one defaults to `None` and the body never fills it itself (`since = since or
    week_ago()`); `None` when some window end is required or filled in the body (bounded, as the
    caller or the helper chooses); `()` when it has none."""
    params = list(function.params)
    if function.class_name is not None and params and params[0].name in _SELF and not _static(function):
        params = params[1:]
    window = tuple((position, p.name) for position, p in enumerate(params) if WINDOW_ENDS.match(p.name))
    for position, name in window:
        param = params[position]
        if not _none(param.default) or name in assigns:
            return None
    return window


def passed(call: ir.Call, caller: ir.Function, assigns: dict[str, ir.Expr]) -> Passed:
    """Which arguments of `call` (made in `caller`) may be `None`."""
    if any(isinstance(a, ir.Starred) for a in call.args) or any(k.name is None for k in call.kwargs):
        return Passed(spread=True)
    defaults = {p.name: p.default for p in caller.params}
    return Passed(tuple(_may_be_none(a, defaults, assigns) for a in call.args),
                  tuple((k.name or "", _may_be_none(k.value, defaults, assigns)) for k in call.kwargs))


def _may_be_none(expr: ir.Expr, defaults: dict[str, ir.Expr | None], assigns: dict[str, ir.Expr]) -> bool:
    """`None` itself, a parameter of the caller that defaults to it (an optional request
    parameter: `since: datetime | None = None`, `Query(None)`), or a lookup with no default
    (`request.args.get("since")`), itself or held in a local."""
    if isinstance(expr, ir.Name):
        if expr.id in assigns:
            return _absent_lookup(assigns[expr.id])
        return expr.id in defaults and _none(defaults[expr.id])
    return _none(expr) or _absent_lookup(expr)


def _absent_lookup(expr: ir.Expr) -> bool:
    return isinstance(expr, ir.Call) and ir.last_name(expr.func) == "get" and isinstance(expr.func, ir.Attr) \
        and len(expr.args) == 1 and not expr.kwargs


def _none(default: ir.Expr | None) -> bool:
    """A default that is `None`: the literal, or a parameter declaration whose default is
    (`Query(None)`, `Query(default=None)`)."""
    if isinstance(default, ir.Const):
        return default.value is None
    if isinstance(default, ir.Call):
        first = default.kwarg("default") or (default.args[0] if default.args else None)
        return isinstance(first, ir.Const) and first.value is None
    return False


def _static(function: ir.Function) -> bool:
    return any(ir.last_name(d) == "staticmethod" for d in function.decorators)

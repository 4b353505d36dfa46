"""The module's own functions a middleware hands its request, response or `next` to.

    const unauthorized = (res) => res.status(401).send('Authentication required');
    function basicAuth(req, res, next) { if (!req.headers.authorization) return unauthorized(res); ... }

What `unauthorized(res)` does is part of what `basicAuth` does: the refusal is in the helper, and
a middleware judged without it looks like one that hands the response to something unseen
(undecided). Only helpers called by their plain name and defined in the same module are
followed; anything else stays a hand-over the judge cannot see into.
"""
from __future__ import annotations

from servicelens import ir

_MAX_HELPERS = 8  # helpers followed for one middleware


def with_own_helpers(family: list[ir.Function], functions: tuple[ir.Function, ...],
                     destructured: bool = False) -> list[ir.Function]:
    """`family` plus, transitively, each function of the module it calls by name with one of the
    family's parameters as an argument (with that function's own nested functions). `destructured`:
    a name destructured from a parameter counts as one (a tRPC middleware's `({ ctx, next })`)."""
    by_name = {f.qualname: f for f in functions}
    found = list(family)
    seen = {f.qualname for f in found}
    index = 0
    while index < len(found) and len(found) - len(family) < _MAX_HELPERS * 4:
        function = found[index]
        params = _parameter_names(found) if destructured else {p.name for f in found for p in f.params}
        for call in _calls(function):
            if not isinstance(call.func, ir.Name) or not _handed(call, params):
                continue
            helper = _defined(call.func.id, function, by_name)
            if helper is None or helper.qualname in seen:
                continue
            prefix = helper.qualname + ".<locals>."
            added = [helper] + [f for f in functions if f.qualname.startswith(prefix) and f.qualname not in seen]
            seen.update(f.qualname for f in added)
            found.extend(added)
        index += 1
    return found


def _parameter_names(family: list[ir.Function]) -> set[str]:
    """The family's parameters, and the names destructured from one (`async ({ ctx, next }) => ...`,
    lowered as `ctx = <param0>.ctx`): a helper handed `ctx` is handed what the framework passed."""
    params = {p.name for f in family for p in f.params}
    for function in family:
        for stmt in function.body:
            if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Attr) and isinstance(stmt.value.value, ir.Name) \
                    and stmt.value.value.id.startswith("<param"):
                params.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return params


def value_params(family: list[ir.Function]) -> frozenset[str]:
    """Parameters of the family's helpers that no call hands the request, response or `next`:
    `registerWebhook(doc, req, webhook)` receives the request in `req`, but `webhook` holds a value
    (its `webhook.authorization` is the webhook's, not the caller's credential)."""
    root = family[0].qualname + ".<locals>."
    members = {f.qualname for f in family}
    helpers = {f.name: f for f in family[1:] if not f.qualname.startswith(root) and f.parent not in members}
    if not helpers:
        return frozenset()
    params = {p.name for f in family if f.name not in helpers for p in f.params}
    handed: dict[str, set[int]] = {}
    for function in family:
        for call in _calls(function):
            if isinstance(call.func, ir.Name) and call.func.id in helpers:
                handed.setdefault(call.func.id, set()).update(_handed(call, params))
    return frozenset(p.name for name, helper in helpers.items() for i, p in enumerate(helper.params)
                     if i not in handed.get(name, set()) and p.name not in params)


def _handed(call: ir.Call, params: set[str]) -> list[int]:
    """The argument positions holding one of `params`."""
    return [i for i, a in enumerate(call.args) if isinstance(a, ir.Name) and a.id in params]


def helper_names(family: list[ir.Function]) -> frozenset[str]:
    """The plain names the family's functions are called by (`unauthorized`)."""
    return frozenset(f.name for f in family)


def _defined(name: str, caller: ir.Function, by_name: dict[str, ir.Function]) -> ir.Function | None:
    """The function `name` means where `caller` calls it: nested in an enclosing function, else the module's."""
    scope: str | None = caller.qualname
    while scope:
        found = by_name.get(f"{scope}.<locals>.{name}")
        if found is not None:
            return found
        scope = by_name[scope].parent if scope in by_name else None
    return by_name.get(name)


def _calls(function: ir.Function) -> list[ir.Call]:
    return [expr for stmt in ir.walk_stmts(function.body) for root in ir.stmt_exprs(stmt)
            for expr in ir.walk_expr(root) if isinstance(expr, ir.Call)]

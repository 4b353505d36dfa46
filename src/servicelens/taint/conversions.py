"""Conversions that raise on text not of their type: after one has run, the text it was given is of that type.

`uuid.UUID(ref)` raises ValueError unless `ref` spells a UUID, `int(page)` unless it spells an
integer: the statements after one (called as a statement, assigned, or handed straight to another
call: `Order.objects.get(pk=int(order_id))`) run only when the original text was a UUID or a number,
so `ref` and `page` can no longer carry a quote, a path separator, a line break or a host. Which
calls raise is library knowledge (`raising_conversions` in models/python/stdlib.yaml); a
conversion that answers a default instead of raising (`bool(x)`, `str(x)`) is not one, and a
conversion under a condition (`x and int(x)`, `int(x) if x else 0`) may not have run. In the
`except` branch of the `try` around it the text is the client's again (taint.intra).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from servicelens import ir


def converted_names(expr: ir.Expr | None, conversions: Mapping[str, tuple[int, ...]],
                    qualify: Callable[[ir.Expr], str | None]) -> tuple[str, ...]:
    """The local names a raising conversion in the statement's value (`expr`) was given, where it
    runs whenever the statement does: the value itself, or an argument of the call it is."""
    if isinstance(expr, ir.Await):
        expr = expr.value
    if not isinstance(expr, ir.Call):
        return ()
    names = list(_converted(expr, conversions, qualify))
    for arg in (*expr.args, *(kw.value for kw in expr.kwargs)):
        if isinstance(arg, ir.Call):
            names.extend(_converted(arg, conversions, qualify))
    return tuple(names)


def _converted(call: ir.Call, conversions: Mapping[str, tuple[int, ...]],
               qualify: Callable[[ir.Expr], str | None]) -> list[str]:
    positions = conversions.get(qualify(call.func) or "")
    if positions is None:
        return []
    return [arg.id for index, arg in enumerate(call.args) if index in positions and isinstance(arg, ir.Name)]

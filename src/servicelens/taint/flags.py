"""Checks kept in a variable before the branch that reads them.

`url_is_safe = url_has_allowed_host_and_scheme(url=target, ...)` then `return target if url_is_safe
else ""`, or `valid = ID_RX.fullmatch(ref)` then `if not valid: abort(400)`: the branch on the flag is
the branch on the check, so it proves what the check proves (taint.guards). A flag is forgotten once
it, or a value its check read, is assigned again: the check may no longer describe the value.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from servicelens import ir

# what only passes a check's answer on: `bool(check(x))`
_TRUTH_WRAPPERS = frozenset({"bool"})


def check_of(value: ir.Expr) -> ir.Expr:
    """The check an assigned value is (`bool(x in ALLOWED)` is `x in ALLOWED`)."""
    while isinstance(value, ir.Call) and isinstance(value.func, ir.Name) and value.func.id in _TRUTH_WRAPPERS \
            and len(value.args) == 1 and not value.kwargs:
        value = value.args[0]
    return value


def is_check(value: ir.Expr) -> bool:
    """A value that is the answer of a check (`ok(x)`, `x in ALLOWED`, `not bad(x)`, `a and b`), not a
    read of data (`req.query.error`), whose truth says only that the data is there."""
    return isinstance(value, (ir.Call, ir.Compare, ir.BoolOp)) or (isinstance(value, ir.Unary) and value.op == "not")


def expand_flags(test: ir.Expr, flags: Mapping[str, ir.Expr]) -> ir.Expr:
    """`test` with each flag it tests (alone, negated, or as an operand of `and`/`or`) replaced by the
    check it holds; the test itself when it tests none."""
    if not flags:
        return test
    if isinstance(test, ir.Name) and test.id in flags:
        return flags[test.id]
    if isinstance(test, ir.Unary) and test.op == "not":
        operand = expand_flags(test.operand, flags)
        return test if operand is test.operand else replace(test, operand=operand)
    if isinstance(test, ir.BoolOp):
        values = tuple(expand_flags(v, flags) for v in test.values)
        return test if values == test.values else replace(test, values=values)
    return test


def read_names(check: ir.Expr) -> frozenset[str]:
    """The variables a check reads: assigning any of them again makes a flag holding it stale."""
    return frozenset(node.id for node in ir.walk_expr(check) if isinstance(node, ir.Name))

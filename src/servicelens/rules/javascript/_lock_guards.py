"""Whether a JS/TS function runs under a transaction or a lock: shared by the race-condition rules, which
stay silent where the database already serialises the check and the write."""
from __future__ import annotations

from typing import Callable

from servicelens import ir
from servicelens.rules.base import iter_calls


def holds_guard(function: ir.Function, guards: frozenset[str], locking_literal: Callable[[ir.Expr], bool]) -> bool:
    """A call named in `guards` (a transaction or lock helper), an options object with a guard key
    (`{ lock: ... }`, `{ transaction: t }`), or an argument literal `locking_literal` reads as a lock
    (SQL `FOR UPDATE`), anywhere in the function."""
    for call in iter_calls(function.body):
        if (ir.last_name(call.func) or "") in guards:
            return True
        for arg in call.args:
            for node in ir.walk_expr(arg):
                if isinstance(node, ir.DictExpr) and any(isinstance(k, ir.Const) and k.value in guards
                                                         for k in node.keys):
                    return True
                if locking_literal(node):
                    return True
    return False

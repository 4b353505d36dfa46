"""Where a loop body leaves the loop: a round trip followed by `return`, `raise` or `break`
runs at most once per loop (the first item to get there ends it). Shared by the Python and
JS/TS query-in-loop rules, which lower to the same IR."""
from __future__ import annotations

from servicelens import ir


def exits_after(block: tuple[ir.Stmt, ...], line: int) -> bool:
    """Is the statement at `line` in `block` (a loop's body) followed by a `return`, `raise`/`throw`
    or `break` in its own block or, once that block ends, in an enclosing one, with no inner loop
    or `try` body between them?"""
    for i, stmt in enumerate(block):
        if not stmt.line <= line <= stmt.end_line:
            continue
        if isinstance(stmt, (ir.For, ir.While)):
            return False  # an inner loop repeats it
        if isinstance(stmt, ir.Try) and _holds(stmt.body, line):
            return False  # a failure of the call itself may be caught and the loop move on to the next item
        for child in ir.child_blocks(stmt):
            if _holds(child, line) and exits_after(child, line):
                return True
        return any(isinstance(s, (ir.Return, ir.Raise)) or (isinstance(s, ir.Jump) and s.kind == "break")
                   for s in block[i:])
    return False


def _holds(block: tuple[ir.Stmt, ...], line: int) -> bool:
    return bool(block) and block[0].line <= line <= max(s.end_line for s in block)

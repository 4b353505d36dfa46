"""Which ORM writes of one request form a unit that can be left half-done.

Not a rule (it defines no RULE). Two writes need a transaction only when a failure between
them leaves data that nothing repairs. This module answers two questions the
missing-transaction rule asks of each write, from the code rather than from names:

* does the write converge when the request is simply sent again? Deletes, upserts
  (`get_or_create`, `update_or_create`) and inserts that ignore conflicts reach the same end
  state however many times they run, so a path made only of them is repaired by a retry;
* did the author let this write fail alone? The only write inside a `try` whose handler
  records the error and carries on (no `return`, `raise`, `break`) is partial success by
  design: that row stands on its own.

`save(commit=False)` on a form only builds the instance; it writes nothing and is never a write.
"""
from __future__ import annotations

from servicelens import ir

# Django manager methods whose repetition leaves the same rows behind
_CONVERGENT_MANAGER_WRITES = frozenset({"delete", "adelete", "get_or_create", "aget_or_create",
                                        "update_or_create", "aupdate_or_create"})
_BULK_INSERTS = frozenset({"bulk_create", "abulk_create"})


def builds_without_writing(call: ir.Call) -> bool:
    """`form.save(commit=False)`: returns an unsaved instance."""
    flag = call.kwarg("commit")
    return isinstance(flag, ir.Const) and flag.value is False


def converges_on_retry(call: ir.Call, method: str) -> bool:
    """A write a repeated request re-applies without adding anything: a delete, an upsert, or
    a bulk insert told to skip rows that already exist."""
    if method in _CONVERGENT_MANAGER_WRITES:
        return True
    if method in _BULK_INSERTS:
        return any(isinstance(call.kwarg(flag), ir.Const) and call.kwarg(flag).value is True  # type: ignore[union-attr]
                   for flag in ("ignore_conflicts", "update_conflicts"))
    return False


def standalone_writes(body: tuple[ir.Stmt, ...], write_lines: frozenset[int]) -> frozenset[int]:
    """Write lines that are the only write inside a `try` whose every handler carries on after
    the failure: that write was meant to fail alone, without undoing the rest. Two writes in
    one such `try` still half-succeed together, so they stay."""
    alone: set[int] = set()
    for stmt in ir.walk_stmts(body):
        if isinstance(stmt, ir.Try) and stmt.handlers and all(_carries_on(h.body) for h in stmt.handlers):
            inside = {s.line for s in ir.walk_stmts(stmt.body)} & write_lines
            if len(inside) == 1:
                alone |= inside
    return frozenset(alone)


def _carries_on(block: tuple[ir.Stmt, ...]) -> bool:
    """The handler neither leaves the function nor stops the loop nor re-raises."""
    for stmt in ir.walk_stmts(block):
        if isinstance(stmt, (ir.Return, ir.Raise)):
            return False
        if isinstance(stmt, ir.Jump) and stmt.kind == "break":
            return False
    return True

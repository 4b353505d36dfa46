"""Dispatch by node kind: a rule is handed the nodes of the kinds it inspects, in walk order,
each with the statement and function it sits in, instead of walking the module itself.

Why: a rule that walks (`for function in module.functions: for stmt in ir.walk_stmts(...):
for node in ir.walk_expr(...)`) resumes a generator and tests the type of every node of the
file to find the few it inspects; forty rules doing so walked each file forty times. The file
index (`analysis.file_index`) lays every node out once and groups the nodes by type; this
module merges the groups a rule asks for back into walk order and says where each node sits,
so a rule's per-node logic runs unchanged on exactly its nodes.

- `sites(index, kinds)`: every node of `kinds` (expression types such as `ir.Call`, statement
  types such as `ir.Assign`, `ir.For`, `ir.Return`) in the order `rules._common.
  iter_stmts_with_function` then `iter_exprs` would meet them: module body, class bodies,
  function bodies, then the expressions outside any body (decorators, defaults, annotations,
  class bases). A statement comes before the nodes it evaluates, those before its nested
  statements. Asked once per file and kinds, shared by every rule asking the same kinds.
- `Site`: the node, the statement that evaluates it (the statement itself for a statement kind;
  None for a decorator, default, annotation or class base) and the function whose body or
  signature holds it (None for the module and class bodies).

The rule's entry point is `rules.base.OnNodes(kinds, run)`: `run(module, scope, sites)` gets the
sites and is not run at all on a file without any of the kinds. Kinds are IR types, so the
declaration serves any language lowered to the IR. tests/rules/test_node_dispatch.py checks
`sites` against the walk it replaces on every fixture, project and example file.
"""
from __future__ import annotations

from dataclasses import dataclass
from heapq import merge
from typing import Generic, TypeVar

from servicelens import ir
from servicelens.analysis.file_index import FileIndex

N = TypeVar("N")


@dataclass(frozen=True, slots=True)
class Site(Generic[N]):
    """One node a rule inspects and where it sits."""

    node: N
    stmt: ir.Stmt | None  # the statement evaluating it (itself, for a statement); None outside any body
    function: ir.Function | None  # the function whose body or signature holds it; None: module, class


def sites(index: FileIndex, kinds: tuple[type, ...]) -> tuple[Site, ...]:
    """The file's nodes of `kinds`, in walk order, with where each sits."""
    key = ("sites", kinds)
    found = index.derived.get(key)
    if found is None:
        found = index.derived[key] = _sites(index, kinds)
    return found  # type: ignore[return-value]


def _sites(index: FileIndex, kinds: tuple[type, ...]) -> tuple[Site, ...]:
    # each kind's nodes keyed by (layout position, 0 for a statement / 1 for an expression, order):
    # a statement sorts before the first node it evaluates, which starts at its own position
    streams = []
    for kind in kinds:
        orders = index.stmt_orders(kind)
        if orders:
            streams.append([(index.stmt_start(order), 0, order) for order in orders])
        positions, _ = index.positions(kind)
        if positions:
            streams.append([(at, 1, at) for at in positions])
    if not streams:
        return ()
    out = []
    pairs = index.stmts_with_function
    nodes = index.nodes
    for _, is_expr, at in (streams[0] if len(streams) == 1 else merge(*streams)):
        if is_expr:
            function, stmt = index.owner(at)
            out.append(Site(nodes[at], stmt, function))
        else:
            function, stmt = pairs[at]
            out.append(Site(stmt, stmt, function))
    return tuple(out)

"""Every node of an `ast` tree in `ast.walk`'s order, laid out once.

The unreferenced readings (analysis/unreferenced, analysis/unreferenced_methods) run in the main
process after the workers, one module at a time, and each walked its tree two or three times with
`ast.walk`: a generator over `iter_child_nodes` over `iter_fields`, three Python frames per node.
One list made by a single loop serves every reading of the module, in the same breadth-first
order (a node after every node above it, which the readings rely on), and records for each node
the module-level statement holding it, so a per-class reading needs no walk of its own.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AstNodes:
    """`nodes` in `ast.walk(tree)` order; `tops[i]` is the index in `tree.body` of the module-level
    statement holding `nodes[i]` (the statement itself included), -1 for the module and for nodes
    outside its body (`type_ignores`). Breadth first from the root, restricted to one statement's
    subtree, visits that subtree as `ast.walk(statement)` does."""

    nodes: list[ast.AST]
    tops: list[int]


def ast_nodes(tree: ast.AST) -> AstNodes:
    """One breadth-first pass: a node's children are its fields' nodes in field order, as
    `ast.iter_child_nodes` gives them."""
    nodes: list[ast.AST] = [tree]
    tops: list[int] = [-1]
    body = tree.body if isinstance(tree, ast.Module) else None
    module_tops = {id(statement): position for position, statement in enumerate(body or ())}
    node_type = ast.AST
    for position, node in enumerate(nodes):  # the list grows while it is read: that is the queue
        top = tops[position]
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                nodes.append(value)
                tops.append(top if top >= 0 or position else module_tops.get(id(value), -1))
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type):
                        nodes.append(item)
                        tops.append(top if top >= 0 or position else module_tops.get(id(item), -1))
    return AstNodes(nodes, tops)

"""A function type whose one parameter is named like a type keyword (`(unknown) => Promise<T>`).

TypeScript reads `declare getOrders: (unknown) => Promise<Order[]>` as a function type taking a
parameter named `unknown`; the tree-sitter grammar reads `(unknown)` as a parenthesized type, then
fails at `=>`, and the error spoils the declaration around it. The name of a parameter in a type
has no meaning at run time, so the keyword's first byte is replaced by `_` (`_nknown`: an
identifier of the same length, every line and column where it was) and the text parsed again.
"""
from __future__ import annotations

from tree_sitter import Node

from servicelens.lang.javascript.tagged_generics import errors_within


def rename_keyword_parameters(root: Node, data: bytes) -> bytes | None:
    """`data` with the keyword named parameter of each misread function type renamed, or None
    when the tree has no such misreading."""
    starts = [start for node in errors_within(root) if (start := _misread_parameter(node)) is not None]
    if not starts:
        return None
    out = bytearray(data)
    for start in starts:
        out[start] = ord("_")
    return bytes(out)


def _misread_parameter(node: Node) -> int | None:
    """The start of `unknown` where `(unknown)` is followed by `=>`: both inside one error, or the
    parenthesized type ending just before an error that opens with the arrow; None otherwise."""
    if node.type != "ERROR" or not node.children:
        return None
    if len(node.children) == 2 and node.children[1].type == "=>":
        parenthesized: Node | None = node.children[0]
    elif node.children[0].type == "=>":
        parenthesized = node.prev_sibling  # or the last node inside it: `cb: (any)` before `=> void`
        while parenthesized is not None and parenthesized.type != "parenthesized_type" and parenthesized.children:
            parenthesized = parenthesized.children[-1]
    else:
        return None
    if parenthesized is None or parenthesized.type != "parenthesized_type":
        return None
    inner = [c for c in parenthesized.children if c.is_named]
    return inner[0].start_byte if len(inner) == 1 and inner[0].type == "predefined_type" else None

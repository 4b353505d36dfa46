"""A function type whose one parameter is named like a type keyword (`(unknown) => Promise<T>`).

TypeScript reads `declare getOrders: (unknown) => Promise<Order[]>` as a function type taking a
parameter named `unknown`; the tree-sitter grammar reads `(unknown)` as a parenthesized type, then
fails at `=>`, and the error spoils the declaration around it (in an arrow function's parameters
or return type it closes the parameters or the object type early instead, with a `)` or `}` it
invents). A parenthesized type is never followed by `=>` otherwise. The name of a parameter in a
type has no meaning at run time, so the keyword's first byte is replaced by `_` (`_nknown`: an
identifier of the same length, every line and column where it was) and the text parsed again.
"""
from __future__ import annotations

import re

from tree_sitter import Node, Query, QueryCursor, Tree

_PARENTHESIZED_KEYWORD = "(parenthesized_type (predefined_type) @keyword) @parenthesized"
_ARROW = re.compile(rb"\s*=>")
_QUERIES: dict[str, Query] = {}


def rename_keyword_parameters(tree: Tree, grammar: str, data: bytes) -> bytes | None:
    """`data` with the keyword named parameter of each misread function type renamed, or None
    when the tree has no error or no such misreading (or the grammar has no types: JavaScript)."""
    if grammar == "javascript" or not tree.root_node.has_error:
        return None
    query = _QUERIES.get(grammar)
    if query is None:
        query = _QUERIES[grammar] = Query(tree.language, _PARENTHESIZED_KEYWORD)
    starts = [start for _, captures in QueryCursor(query).matches(tree.root_node)
              if (start := _misread_parameter(captures, data)) is not None]
    if not starts:
        return None
    out = bytearray(data)
    for start in starts:
        out[start] = ord("_")
    return bytes(out)


def _misread_parameter(captures: dict[str, list[Node]], data: bytes) -> int | None:
    """The start of `unknown` where `(unknown)` (the keyword alone in it) is followed by `=>`."""
    parenthesized, keyword = captures["parenthesized"][0], captures["keyword"][0]
    if [c for c in parenthesized.children if c.is_named] != [keyword]:
        return None
    return keyword.start_byte if _ARROW.match(data, parenthesized.end_byte) else None

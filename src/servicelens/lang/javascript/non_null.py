"""Non-null assertions the TypeScript grammar attaches to the wrong expression.

`req.user && req.user!.tenant !== t` means `req.user && ((req.user).tenant !== t)`, but the
tree-sitter grammar gives the postfix `!` a precedence below every binary operator: it reads
`(req.user && req.user)!.tenant`, and the whole condition comes out as `(req.user &&
req.user).tenant !== t` (`a + b!.length` as `(a + b).length` alike). An assertion has no meaning
at run time, so each `!` wrapped around a binary expression (which only that misreading
produces: written so, the operand would be parenthesized) is blanked and the text parsed again,
as tagged_generics.py does; every line and column stays where it was.
"""
from __future__ import annotations

from tree_sitter import Parser, Query, QueryCursor, Tree

from servicelens.lang.javascript.tagged_generics import blank_spans

_MISREAD = "(non_null_expression (binary_expression)) @asserted"
_QUERIES: dict[str, Query] = {}


def blank_misread_assertions(tree: Tree, grammar: str, data: bytes) -> bytes | None:
    """`data` with the `!` of every misread non-null assertion blanked, or None when there is none
    (or the grammar has no assertions: plain JavaScript). Parsed again until none is left: in
    `a && b!.c!.d` only the first `!` wraps the conjunction, and once it is blanked the grammar
    reads `(a && b.c)!.d`; each pass blanks at least one `!`, so the passes end."""
    if grammar == "javascript":
        return None
    query = _QUERIES.get(grammar)
    if query is None:
        query = _QUERIES[grammar] = Query(tree.language, _MISREAD)
    blanked = None
    while spans := _misread(query, tree):
        blanked = blank_spans(blanked or data, spans)
        tree = Parser(tree.language).parse(blanked)
    return blanked


def _misread(query: Query, tree: Tree) -> list[tuple[int, int]]:
    found = QueryCursor(query).captures(tree.root_node).get("asserted", [])
    return [(bang.start_byte, bang.end_byte) for node in found
            if (bang := node.children[-1] if node.children else None) is not None and bang.type == "!"]

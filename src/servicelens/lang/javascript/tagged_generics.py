"""Tagged templates with type arguments (``prisma.$queryRaw<Row[]>`SELECT ...` ``) for the grammar.

TypeScript accepts type arguments between a tag and its template; the tree-sitter grammar does
not: it reads `tag<T>` as an instantiation expression, invents a missing `!` after it, and the
error spoils the statement around it. Type arguments have no meaning at run time, so the bytes
of each such `<...>` are blanked (newlines kept, so every line and column stays where it was)
and the text parsed again: the tagged template is then a plain call of its tag.
"""
from __future__ import annotations

from tree_sitter import Node


def blank_tagged_type_arguments(root: Node, data: bytes) -> bytes | None:
    """`data` with the type arguments of every tagged template the grammar misread blanked, or
    None when the tree has no such misreading."""
    spans = [span for node in errors_within(root) if (span := _misread_type_arguments(node)) is not None]
    return blank_spans(data, spans) if spans else None


def blank_spans(data: bytes, spans: list[tuple[int, int]]) -> bytes:
    """`data` with the bytes of each (start, end) span made spaces, newlines kept: every line and
    column after them stays where it was."""
    out = bytearray(data)
    for start, end in spans:
        out[start:end] = bytes(b if b in b"\r\n" else 0x20 for b in data[start:end])
    return bytes(out)


def errors_within(root: Node) -> list[Node]:
    """Every node holding an error, outermost first (a walk that skips clean subtrees)."""
    found: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if not node.has_error and not node.is_missing:
            continue
        found.append(node)
        stack.extend(node.children)
    return found


def _misread_type_arguments(node: Node) -> tuple[int, int] | None:
    """(start, end) of `<T>` in `tag<T>` followed by a template, read as `tag<T>!` with the `!`
    missing; None for any other node."""
    if node.type != "non_null_expression" or not any(c.is_missing and c.type == "!" for c in node.children):
        return None
    following = node.next_sibling
    if following is None or following.type != "template_string":
        return None
    inner = node.children[0] if node.children else None
    if inner is None or inner.type != "instantiation_expression":
        return None
    arguments = [c for c in inner.children if c.type == "type_arguments"]
    return (arguments[-1].start_byte, arguments[-1].end_byte) if arguments else None

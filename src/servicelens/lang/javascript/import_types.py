"""Import types (`import("./x.js").Name`) in the type positions the grammar cannot read.

An import type names a type of another module without an import statement:
`groupedChecks: import("../checks/check.type.js").GroupedCheck[]`. The tree-sitter grammar reads
`import("...")` as a dynamic import (a call) and accepts one only where a lone type name may
stand; followed by `[]` or an index, inside type arguments (`getRequest<import("fastify").
FastifyRequest>()`) or after `keyof`, it fails, and the error spoils the declaration around it.

Each `import("...")` of a file that has errors is replaced by underscores of the same length
(`________________________________.GroupedCheck[]`: a qualified type name, every line and column
where it was) and the text parsed again. The grammar, reading the rewritten text, then says where
each one stands: one read as a type (a qualified type name, a `typeof` or `keyof` query) was an
import type, which has no meaning at run time; one read as an expression is a dynamic import
(`await import("./x.js")`), which is put back as it was.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node, Tree

# `import("x")` on one line, its specifier a plain string: the only form an import type takes
_IMPORT_CALL = re.compile(rb"""\bimport[ \t]*\([ \t]*(?:'[^'\\\n]*'|"[^"\\\n]*")[ \t]*\)""")
# what an underscored name climbs through to the node that says whether it stands for a type
_QUALIFIERS = frozenset({"member_expression", "nested_identifier"})
_TYPE_HOLDERS = frozenset({"nested_type_identifier", "type_query"})


def rename_import_types(tree: Tree, grammar: str, data: bytes, parse: Callable[[bytes], Tree]) -> bytes | None:
    """`data` with the `import("...")` of every import type made underscores, or None when the
    tree has no error or no `import("...")` the grammar then reads as a type (JavaScript has
    no types: every `import("...")` there is a dynamic import)."""
    if grammar == "javascript" or not tree.root_node.has_error:
        return None
    spans = [(m.start(), m.end()) for m in _IMPORT_CALL.finditer(data) if _is_import_token(tree.root_node, m.start())]
    if not spans:
        return None
    renamed = parse(_underscored(data, spans))
    kept = [span for span in spans if _read_as_type(renamed.root_node, span)]
    return _underscored(data, kept) if kept else None


def _is_import_token(root: Node, start: int) -> bool:
    """Whether the grammar read the bytes at `start` as the `import` keyword (not inside a string,
    a comment or a template)."""
    node = root.descendant_for_byte_range(start, start + len("import"))
    return node is not None and node.type == "import" and node.start_byte == start


def _underscored(data: bytes, spans: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for start, end in spans:
        out[start:end] = b"_" * (end - start)
    return bytes(out)


def _read_as_type(root: Node, span: tuple[int, int]) -> bool:
    """Whether the underscored name at `span` is read as (part of) a type."""
    node = root.descendant_for_byte_range(*span)
    if node is None or (node.start_byte, node.end_byte) != span:
        return False
    if node.type == "type_identifier":
        return True
    if node.type != "identifier":
        return False
    parent = node.parent
    while parent is not None and parent.type in _QUALIFIERS:
        parent = parent.parent
    return parent is not None and parent.type in _TYPE_HOLDERS

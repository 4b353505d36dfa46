"""Constructs the tree-sitter grammars cannot read, blanked so the text parses as it runs.

`export type * from './types'` (TypeScript 5.0): the grammar stops at `type`. A type-only
re-export has no meaning at run time, so the whole statement is blanked.

`<link href='/css?family=A&display=swap' />` (JSX): the JSX grammar reads `&` in an attribute
string as the start of a character reference (`&amp;`) and fails when none follows. Browsers and
React keep such an ampersand as it is; it is replaced by a space (the attribute's value is
markup, never what a service rule reads). So is an ampersand in JSX text (`<b>Plans & Billing</b>`,
`brew tap cli &&{' '}`), where React renders it as it is and the grammar fails alike.

Bytes are blanked in place (newlines kept), so every line and column stays where it was, as in
tagged_generics.py.
"""
from __future__ import annotations

from tree_sitter import Node

from servicelens.lang.javascript.tagged_generics import blank_spans, errors_within


def blank_unread_constructs(root: Node, data: bytes) -> bytes | None:
    """`data` with each type-only re-export blanked and each bare `&` of a JSX attribute string
    or of JSX text replaced, or None when the tree has none of these misreadings."""
    spans: list[tuple[int, int]] = []
    for node in errors_within(root):
        spans.extend(_type_only_export(node))
        spans.extend(_bare_ampersands(node, data))
        spans.extend(_text_ampersands(node))
    return blank_spans(data, spans) if spans else None


def _type_only_export(node: Node) -> list[tuple[int, int]]:
    """The whole of `export type * [as ns] from '...'`, read as `export` + ERROR(type) + `*`."""
    if node.type != "export_statement" or len(node.children) < 3:
        return []
    error, following = node.children[1], node.children[2]
    if error.type != "ERROR" or [c.type for c in error.children] != ["type"]:
        return []
    if following.type not in ("*", "namespace_export"):
        return []
    return [(node.start_byte, node.end_byte)]


def _bare_ampersands(node: Node, data: bytes) -> list[tuple[int, int]]:
    """Each `&` opening an error inside the string of a JSX attribute."""
    if node.type != "ERROR" or not node.children or node.children[0].type != "&":
        return []
    string = node.parent
    if string is None or string.type != "string" or string.parent is None or string.parent.type != "jsx_attribute":
        return []
    return [(start, start + 1) for start in range(string.start_byte, string.end_byte) if data[start:start + 1] == b"&"]


def _text_ampersands(node: Node) -> list[tuple[int, int]]:
    """Each `&` or `&&` continuing a JSX text: among the children of `node`, one just after the
    text, or, when `node` is an error that opens with one just after the text, every one in it
    (`x && y && (` as text: the error holds the text's rest)."""
    ampersands = [child for child in node.children if child.type in ("&", "&&")]
    if node.type == "ERROR" and node.children and node.children[0].type in ("&", "&&") and _after_text(node):
        return [(child.start_byte, child.end_byte) for child in ampersands]
    return [(child.start_byte, child.end_byte) for child in ampersands if _after_text(child)]


def _after_text(node: Node) -> bool:
    text = node.prev_sibling
    return text is not None and text.type == "jsx_text" and text.end_byte == node.start_byte

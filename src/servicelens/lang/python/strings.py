"""Decode Python string literals from their source text without `ast` or `eval`."""
from __future__ import annotations

from tree_sitter import Node

_PREFIX_CHARS = set("rRbBuUfFtT")


def literal_prefix(string_node: Node) -> str:
    start = string_node.child(0)
    text = start.text.decode("utf-8", "replace") if start is not None and start.text else ""
    return "".join(ch for ch in text if ch in _PREFIX_CHARS).lower()


def decode_content(raw: str, prefix: str) -> str:
    """The value of the literal text between the quotes."""
    if "r" in prefix or "\\" not in raw:
        return raw
    try:
        return raw.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except (UnicodeDecodeError, ValueError):
        return raw


def to_value(text: str, prefix: str) -> str | bytes:
    if "b" in prefix:
        return text.encode("latin-1", "replace")
    return text

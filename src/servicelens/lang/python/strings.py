"""Decode Python string literals from their source text without `ast` or `eval`."""
from __future__ import annotations

_PREFIX_CHARS = set("rRbBuUfFtT")


def literal_prefix(opening: str) -> str:
    """The prefix letters (`rb`, `f`, ...) of a literal's opening token (`rb'`, `f"`)."""
    if not opening or opening[0] in "'\"":
        return ""
    return "".join(ch for ch in opening if ch in _PREFIX_CHARS).lower()


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

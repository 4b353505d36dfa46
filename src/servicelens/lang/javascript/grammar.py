"""Which tree-sitter grammar reads a file: JSX is part of the JavaScript grammar, while
TypeScript has two (`.tsx` needs the one that knows JSX; in `.ts`, `<T>x` is a cast)."""
from __future__ import annotations

from pathlib import PurePosixPath

_TYPESCRIPT = frozenset({".ts", ".mts", ".cts"})


def grammar_for(rel: str) -> str:
    """The ParserPool grammar name for a path: javascript | typescript | tsx."""
    suffix = PurePosixPath(rel).suffix.lower()
    if suffix == ".tsx":
        return "tsx"
    return "typescript" if suffix in _TYPESCRIPT else "javascript"


def language_for(rel: str) -> str:
    """The language a module is written in, as ir.Module.language and FileFacts say it."""
    return "javascript" if grammar_for(rel) == "javascript" else "typescript"

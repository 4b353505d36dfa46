"""tree-sitter parsers, one per language per process (a Parser is not shareable across
processes, and creating one per file would waste time)."""
from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Language, Parser, Tree


def _load_language(name: str) -> Language:
    if name == "python":
        import tree_sitter_python

        return Language(tree_sitter_python.language())
    if name == "javascript":  # JSX included
        import tree_sitter_javascript

        return Language(tree_sitter_javascript.language())
    if name in ("typescript", "tsx"):
        import tree_sitter_typescript

        return Language(tree_sitter_typescript.language_typescript() if name == "typescript"
                        else tree_sitter_typescript.language_tsx())
    raise LookupError(f"no tree-sitter grammar bundled for {name}")


@dataclass
class ParserPool:
    """Owns this process's parsers; created by the runner and passed down, never global."""

    _parsers: dict[str, Parser] = field(default_factory=dict)

    def parse(self, language: str, data: bytes) -> Tree:
        parser = self._parsers.get(language)
        if parser is None:
            parser = Parser(_load_language(language))
            self._parsers[language] = parser
        return parser.parse(data)

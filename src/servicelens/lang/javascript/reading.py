"""A JavaScript or TypeScript file parsed as it runs: the grammar's misreadings rewritten in place.

The tree-sitter grammars fail on a few constructs TypeScript and JSX accept. When the first parse
has errors, each rewrite below looks for its one construct and returns the text with its bytes
replaced in place (blanked, or an identifier of the same length), so every line and column the
analysis reports stays where it was. A rewritten parse is kept only when it has fewer errors than
the tree before it, or as many covering fewer bytes (`a && b && (` as JSX text: the grammar stops
at the first `&&`, and once it is blanked, at the second); a rewrite is tried again on the tree it
produced while that keeps holding (each pass shrinks the errors, so the passes end).

    tagged_generics     prisma.$queryRaw<Row[]>`...`      type arguments of a tagged template
    import_types        x: import("./t.js").Row[]         an import type where a name cannot stand
    keyword_parameters  (unknown) => T                    a parameter named like a type keyword
    unread_constructs   export type * from; <b>A & B</b>  type-only re-exports, bare ampersands in JSX
    non_null            a && b!.c                         (on a tree without errors too) a misplaced `!`
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from tree_sitter import Tree

from servicelens.lang.javascript.grammar import grammar_for
from servicelens.lang.javascript.import_types import rename_import_types
from servicelens.lang.javascript.keyword_parameters import rename_keyword_parameters
from servicelens.lang.javascript.non_null import blank_misread_assertions
from servicelens.lang.javascript.tagged_generics import (
    blank_tagged_type_arguments,
    errors_within,
)
from servicelens.lang.javascript.unread_constructs import blank_unread_constructs

Parse = Callable[[bytes], Tree]


class Parsers(Protocol):
    """What parses for this module: sources.parsing.ParserPool (lang/ does not import sources/)."""

    def parse(self, language: str, data: bytes) -> Tree: ...


Rewrite = Callable[[Tree, str, bytes, Parse], "bytes | None"]

_REWRITES: tuple[Rewrite, ...] = (
    lambda tree, grammar, data, parse: blank_tagged_type_arguments(tree.root_node, data),
    rename_import_types,
    lambda tree, grammar, data, parse: rename_keyword_parameters(tree, grammar, data),
    lambda tree, grammar, data, parse: blank_unread_constructs(tree.root_node, data),
)


def parse_source(parsers: Parsers, rel: str, data: bytes) -> Tree:
    """The tree of `data` (the file at `rel`), after every rewrite that reads more of it."""
    grammar = grammar_for(rel)

    def parse(text: bytes) -> Tree:
        return parsers.parse(grammar, text)

    tree = parse(data)
    errors = _errors(tree)
    for rewrite in _REWRITES:
        while errors[0] and (rewritten := rewrite(tree, grammar, data, parse)) is not None:
            candidate = parse(rewritten)
            if (fewer := _errors(candidate)) >= errors:
                break
            tree, data, errors = candidate, rewritten, fewer
    asserted = blank_misread_assertions(tree, grammar, data)
    return parse(asserted) if asserted is not None else tree


def error_count(tree: Tree) -> int:
    """How many ERROR and MISSING nodes the tree has."""
    return _errors(tree)[0]


def _errors(tree: Tree) -> tuple[int, int]:
    """How many ERROR and MISSING nodes the tree has, and how many bytes its ERROR nodes cover."""
    found = [node for node in errors_within(tree.root_node) if node.type == "ERROR" or node.is_missing]
    return len(found), sum(node.end_byte - node.start_byte for node in found)

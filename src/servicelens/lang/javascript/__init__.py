"""JavaScript and TypeScript: tree-sitter trees lowered to the language-neutral IR."""
from servicelens.lang.javascript.grammar import grammar_for, language_for
from servicelens.lang.javascript.lower import lower_module
from servicelens.lang.javascript.modules import module_name_for, resolve_specifier

__all__ = ["grammar_for", "language_for", "lower_module", "module_name_for", "resolve_specifier"]

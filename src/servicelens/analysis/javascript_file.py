"""The per-file phase for JavaScript and TypeScript: parse once, lower once, read the
Express routes and judge every function as a possible middleware.

No rule runs here yet: the rules under rules/python know only Python libraries, and a
wrong finding is worse than none. Function summaries (taint) are not computed either:
JS sources and sinks have no knowledge file yet, so a summary would say nothing true.
"""
from __future__ import annotations

from servicelens.analysis.entry_points import function_spans
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.python_file import _syntax_diagnostic
from servicelens.frameworks.express import express_facts
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.lang.javascript import grammar_for, language_for, lower_module, module_name_for
from servicelens.model.report import Diagnostic
from servicelens.sources.parsing import ParserPool
from servicelens.sources.suppressions import find_suppressions


def analyze_javascript(rel: str, text: str, parsers: ParserPool, models: object = None,
                       operation_ids: frozenset[str] = frozenset(), file_rules: tuple[object, ...] = (),
                       analyse: bool = True) -> FileFacts:
    """Called like analyze_python so the runner picks one by language; the Python models,
    Connexion operation ids and Python rules it is handed do not apply to JS and are not used."""
    language = language_for(rel)
    tree = parsers.parse(grammar_for(rel), text.encode("utf-8", "surrogateescape"))
    lines = tuple(text.splitlines())
    diagnostics: list[Diagnostic] = []
    if tree.root_node.has_error:
        diagnostics.append(_syntax_diagnostic(rel, tree.root_node))
    if not analyse:  # test code when findings in tests are not wanted: parsed for diagnostics only
        return FileFacts(rel=rel, language=language, lines=len(lines), module_name=module_name_for(rel),
                         imports=(), summaries=(), routes=(), findings=(), diagnostics=tuple(diagnostics),
                         suppressions=())
    module = lower_module(tree.root_node, rel, lines, language)
    imports = {imp.local: imp.target for imp in module.imports}
    express = express_facts(module, imports, middleware_knowledge())
    return FileFacts(
        rel=rel, language=language, lines=len(lines), module_name=module.module_name,
        imports=tuple(sorted({imp.target for imp in module.imports})), summaries=(), routes=express.routes,
        findings=(), diagnostics=tuple(diagnostics), suppressions=find_suppressions(text),
        router_includes=express.edges, principals=express.principals, spans=function_spans(module),
    )

"""The per-file phase for JavaScript and TypeScript: parse once, lower once, read the
Express routes and judge every function as a possible middleware.

Every function is summarised for the taint engine with the JavaScript knowledge files only
(models/javascript), so a flow is reported only where that knowledge says so; the rules of
rules/javascript (their knowledge in models/node) run over the same module and scope. The
Python rules the runner hands in know only Python libraries and are not used.
"""
from __future__ import annotations

from servicelens import ir
from servicelens.analysis.entry_points import function_spans
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.python_file import _syntax_diagnostic
from servicelens.endpoints.route import RouteFact
from servicelens.frameworks.express import FRAMEWORK, express_facts
from servicelens.frameworks.express_knowledge import middleware_knowledge
from servicelens.lang.javascript import grammar_for, language_for, lower_module, module_name_for
from servicelens.lang.javascript.runtime import with_globals
from servicelens.model.report import Diagnostic
from servicelens.rules.base import Rule, discover_rules
from servicelens.sources.parsing import ParserPool
from servicelens.sources.suppressions import find_suppressions
from servicelens.taint.intra import analyze_function, analyze_module_body
from servicelens.taint.models import load_models
from servicelens.taint.scope import HandlerInfo, ModuleScope
from servicelens.taint.summary import FunctionSummary


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
    summaries, scope = _summaries(module, imports, express.routes)
    lower_text = text.lower()
    rules = [rule for rule in javascript_rules() if rule.applies_to(lower_text)]
    findings = tuple(finding for rule in rules for finding in rule.check(module, scope))
    collected = tuple((rule.id, rule.collect(module, scope)) for rule in rules if rule.collect is not None)
    return FileFacts(
        rel=rel, language=language, lines=len(lines), module_name=module.module_name,
        imports=tuple(sorted({imp.target for imp in module.imports})), summaries=summaries, routes=express.routes,
        findings=findings, diagnostics=tuple(diagnostics), suppressions=find_suppressions(text),
        router_includes=express.edges, principals=express.principals, spans=function_spans(module),
        collected=collected,
    )


def javascript_rules() -> tuple[Rule, ...]:
    return discover_rules("servicelens.rules.javascript")


def _summaries(module: ir.Module, imports: dict[str, str], routes: tuple[RouteFact, ...]
               ) -> tuple[tuple[FunctionSummary, ...], ModuleScope]:
    """Taint summaries, the route handlers marked as called by Express with client data."""
    models = load_models("javascript")  # TypeScript shares them: the libraries are the same
    functions = frozenset(f.qualname for f in module.functions)
    handlers = {route.qualname: HandlerInfo(FRAMEWORK, (), methods=route.methods, path=route.path, auth=route.auth)
                for route in routes if route.qualname in functions}
    classes = frozenset(c.qualname for c in module.classes)
    resolved = with_globals(imports, _module_bindings(module))
    base = ModuleScope(module, models, resolved, functions, classes, {}, handlers)
    module_summary, globals_env = analyze_module_body(base)
    scope = ModuleScope(module, models, resolved, functions, classes, globals_env, handlers)
    found = [module_summary] + [analyze_function(scope, f) for f in module.functions]
    kept = tuple(s for s in found if s.sinks or s.calls or s.returns or s.fields or s.returns_class or s.params)
    return kept, scope


def _module_bindings(module: ir.Module) -> frozenset[str]:
    """Names the module binds itself (functions, classes, top-level variables): they shadow a global."""
    names = {f.qualname.partition(".")[0] for f in module.functions} | {c.qualname for c in module.classes}
    for stmt in module.body:
        if isinstance(stmt, ir.Assign):
            names.update(t.id for t in stmt.targets if isinstance(t, ir.Name))
    return frozenset(names)

"""The per-file phase for Python: parse once, lower once, summarise every function."""
from __future__ import annotations

from dataclasses import dataclass

from servicelens import ir
from servicelens.endpoints.app_state import app_state
from servicelens.taint.declared_aliases import declared_aliases
from servicelens.taint.declared_returns import declared_returns
from servicelens.frameworks.queryset_methods import queryset_methods
from servicelens.taint.url_checks import same_site_verdicts
from servicelens.analysis.callbacks import handed_functions, parameter_runners
from servicelens.analysis.sender_checks import verifying_handlers
from servicelens.analysis.personal_reads import personal_reads
from servicelens.analysis.state_changes import writing_functions
from servicelens.analysis.caller_privilege import privileged_handlers
from servicelens.analysis.own_session import session_enders
from servicelens.analysis.dispatch import receiver_calls
from servicelens.analysis.dispatch_tables import table_calls
from servicelens.analysis.instance_calls import instance_facts, module_instances, relations
from servicelens.analysis.class_attributes import attribute_classes
from servicelens.analysis.entry_points import entry_points, function_spans
from servicelens.analysis.facts import FileFacts, RouteFact
from servicelens.analysis.framework_calls import framework_calls
from servicelens.analysis.signature_checks import signature_checks
from servicelens.analysis.file_index import FileIndex, build_index, share_index
from servicelens.analysis.import_time import import_time_lines
from servicelens.analysis.job_deadlines import app_deadlines
from servicelens.analysis.unreachable import unreachable_statements
from servicelens.analysis.jobs import job_knowledge
from servicelens.frameworks.django_settings import settings_facts
from servicelens.frameworks.django_urls import url_patterns
from servicelens.endpoints.pattern_decorators import pattern_decorating_helpers
from servicelens.endpoints.method_maps import method_maps
from servicelens.frameworks.python_handlers import (class_auth, dependency_sources, find_handlers,
                                                    generic_view_candidates, router_includes)
from servicelens.endpoints.hooks import request_hooks
from servicelens.endpoints.principals import class_decorator_refs, module_principals
from servicelens.endpoints.falcon_gates import declared_attributes, resource_gates
from servicelens.endpoints.falcon_routes import unread_adds
from servicelens.endpoints.registrations import (Registration, applications, body_prefixes, falcon_applications,
                                                 registrations, view_namer)
from servicelens.endpoints.handler_tables import handler_tables, table_reads
from servicelens.endpoints.imported_tables import declared_tables, imported_table_loops
from servicelens.endpoints.registering_decorators import decorator_mounts
from servicelens.endpoints.recorded_routes import recording_decorators
from servicelens.endpoints.registries import registry_facts
from servicelens.endpoints.pyramid_views import default_permissions, route_patterns, security_policies
from servicelens.endpoints.router_factories import bound_routers, returned_routers
from servicelens.lang.python import lower_module, module_name_for
from servicelens.model.report import Diagnostic
from servicelens.names import NameTable
from servicelens.rules.base import Rule
from servicelens.rules.python._request_paths import path_facts
from servicelens.sources.parsing import ParserPool
from servicelens.sources.suppressions import find_suppressions
from servicelens.taint.intra import analyze_function, analyze_module_body
from servicelens.taint.models import ModelIndex
from servicelens.taint.scope import ModuleScope
from servicelens.taint.summary import FunctionSummary


def analyze_python(rel: str, text: str, parsers: ParserPool, models: ModelIndex,
                   operation_ids: frozenset[str], file_rules: tuple[object, ...] = (), analyse: bool = True,
                   names: NameTable | None = None) -> FileFacts:
    """One file's facts. `names` is the batch's name table (servicelens.names): a file
    analysed on its own gets its own."""
    lines = tuple(text.splitlines())
    if not analyse:
        # test code when findings in tests are not wanted: not even parsed (it was ~10% of a
        # review's CPU for a syntax diagnostic about code the review does not read); it is no
        # entry point and production code does not call it, so no flow is lost
        return FileFacts(rel=rel, language="python", lines=len(lines), module_name=module_name_for(rel),
                         imports=(), summaries=(), routes=(), findings=(), diagnostics=(), suppressions=())
    lowered = lower_python(rel, text, lines, parsers, models, operation_ids, names)
    module, scope, index, registered, routes = lowered.module, lowered.scope, lowered.index, lowered.registered, lowered.routes
    imports = dict(scope.imports)
    handed = handed_functions(module, imports, index)  # (callbacks, handoffs) in one walk
    summaries = [lowered.module_summary] + [analyze_function(scope, f) for f in module.functions]
    findings = []
    collected = []
    lower_text = text.lower()
    for rule in file_rules:
        if isinstance(rule, Rule) and (not rule.applies_to(lower_text)
                                       or (rule.needs is not None and not index.holds(rule.needs))):
            continue
        if isinstance(rule, Rule):
            findings.extend(rule.check(module, scope))
            if rule.collect is not None and (facts := rule.collect(module, scope)) is not None:
                collected.append((rule.id, facts))
        else:
            findings.extend(rule(module, scope))  # type: ignore[operator]
    return FileFacts(
        rel=rel, language="python", lines=len(lines), module_name=module.module_name,
        imports=tuple(sorted({imp.target for imp in module.imports})),
        # a function with parameters is kept even when it returns nothing tainted: without its
        # summary a caller would fall back to passing every argument through (`get_login_url(next=x)`
        # builds its result with `url_for`, which must stay a sanitizer one call away)
        summaries=tuple(s for s in summaries if s.sinks or s.calls or s.returns or s.fields or s.returns_class or s.params),
        routes=routes, findings=tuple(findings), diagnostics=lowered.diagnostics,
        suppressions=find_suppressions(text), collected=tuple(collected),
        url_patterns=url_patterns(module, imports), pattern_helpers=pattern_decorating_helpers(module),
        settings=settings_facts(module, text),
        class_bases=_class_bases(module, scope), attribute_classes=attribute_classes(module, scope),
        router_includes=router_includes(module, imports, models) + decorator_mounts(module, imports),
        returned_routers=returned_routers(module, imports), bound_routers=bound_routers(module, imports),
        auth_classes=_auth_classes(module, models, imports),
        registrations=registered, principals=module_principals(module, imports, index),
        applications=applications(module, imports, index), request_hooks=request_hooks(module, imports),
        falcon_apps=falcon_applications(module, imports), falcon_gated=resource_gates(module),
        falcon_declared=declared_attributes(module),
        # a module whose text never spells `add_route` adds no route: not walked for one
        falcon_unread=unread_adds(module, registered) if "add_route" in text else (),
        class_decorators=class_decorator_refs(module, imports),
        spans=function_spans(module), entries=entry_points(module, imports),
        receiver_calls=receiver_calls(module, imports, index), table_calls=table_calls(module, scope, index),
        privileged=privileged_handlers(module, routes),
        instance_calls=(typed := instance_facts(module, scope, index))[0], returned_models=typed[1],
        relations=relations(module, scope), module_instances=module_instances(module, scope),
        verified_senders=verifying_handlers(module, routes), session_enders=session_enders(module, routes),
        signatures=signature_checks(module, imports, index),
        personal_reads=personal_reads(module, routes),
        import_time=import_time_lines(module), job_deadlines=app_deadlines(module, job_knowledge()),
        callbacks=handed[0], handoffs=handed[1],
        parameter_runners=parameter_runners(module, index), framework=framework_calls(module, imports, index),
        paths=path_facts(module, scope), generic_views=generic_view_candidates(module, imports),
        writers=writing_functions(module, index), method_maps=method_maps(module, imports),
        # a file that does not parse may have lost the statements between a `return` and what follows
        unreachable=() if lowered.diagnostics else unreachable_statements(module),
        recording_decorators=recording_decorators(module), route_patterns=route_patterns(index),
        default_permissions=default_permissions(index), security_policies=security_policies(index),
        route_tables=declared_tables(module, view_namer(module, imports)),
        table_loops=imported_table_loops(module, imports, body_prefixes),
        handler_tables=(tornado := handler_tables(module, imports, view_namer(module, imports))),
        table_reads=table_reads(module, tornado, index), registries=registry_facts(module, imports, index),
    )


@dataclass(frozen=True, slots=True)
class LoweredPython:
    """One file up to what the rules read: the IR, its scope (with the index shared on it) and
    the framework facts the scope is made from. The first pass goes on to summaries, rules and
    facts; a second, demand-driven pass (analysis.revisit) asks a rule about a few functions."""
    module: ir.Module
    scope: ModuleScope
    index: FileIndex
    registered: tuple[Registration, ...]
    routes: tuple[RouteFact, ...]
    module_summary: FunctionSummary
    diagnostics: tuple[Diagnostic, ...]


def lower_python(rel: str, text: str, lines: tuple[str, ...], parsers: ParserPool, models: ModelIndex,
                 operation_ids: frozenset[str], names: NameTable | None = None) -> LoweredPython:
    """Parse, lower, index, and build the scope exactly as every rule sees it."""
    data = text.encode("utf-8", "surrogateescape")
    tree = parsers.parse("python", data)
    diagnostics: list[Diagnostic] = []
    if tree.root_node.has_error:
        diagnostics.append(_syntax_diagnostic(rel, tree.root_node))
    module = lower_module(tree.root_node, rel, lines)
    # the one traversal every rule and fact below asks for nodes instead of walking
    index = build_index(module)
    imports = {imp.local: imp.target for imp in module.imports}
    registered = registrations(module, imports, index)
    handlers, routes = find_handlers(module, models, imports, operation_ids, registered)
    names = NameTable() if names is None else names
    base_scope = ModuleScope(module, models, imports, frozenset(f.qualname for f in module.functions),
                             frozenset(c.qualname for c in module.classes), {}, handlers, names)
    module_summary, globals_env = analyze_module_body(base_scope)
    scope = ModuleScope(module, models, imports, base_scope.functions, base_scope.classes, globals_env, handlers, names,
                        app_state=app_state(operation_ids), declared_returns=declared_returns(operation_ids),
                        url_checks=same_site_verdicts(operation_ids),
                        declared_aliases=declared_aliases(operation_ids),
                        queryset_methods=queryset_methods(operation_ids),
                        dependency_sources=dependency_sources(module, models, imports, operation_ids, handlers))
    share_index(scope, index)  # the rules find it with the scope
    return LoweredPython(module, scope, index, registered, tuple(routes), module_summary, tuple(diagnostics))


def _syntax_diagnostic(rel: str, root: object) -> Diagnostic:
    """Where the first syntax error is; the rest of the file is still reviewed."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:  # type: ignore[attr-defined]
            line = node.start_point[0] + 1  # type: ignore[attr-defined]
            return Diagnostic(rel, "parse-error", f"syntax error near line {line}; the parts that parse were reviewed", line)
        stack.extend(reversed(node.children))  # type: ignore[attr-defined]
    return Diagnostic(rel, "parse-error", "syntax error; the parts that parse were reviewed")


def _auth_classes(module: ir.Module, models: ModelIndex, imports: dict[str, str]) -> tuple[tuple[str, str], ...]:
    found = ((f"{module.module_name}.{cls.qualname}", class_auth(cls, models, imports)) for cls in module.classes)
    return tuple((key, evidence) for key, evidence in found if evidence)


def _class_bases(module: ir.Module, scope: ModuleScope) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each class's bases as project-wide dotted names, so inherited methods can be resolved."""
    out = []
    for cls in module.classes:
        bases = []
        for base in cls.bases:
            dotted = ir.dotted_name(base)
            if dotted:
                bases.append(scope.qualify(dotted, None, set()) or dotted)
        if bases:
            out.append((f"{module.module_name}.{cls.qualname}", tuple(bases)))
    return tuple(out)

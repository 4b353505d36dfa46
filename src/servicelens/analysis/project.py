"""The project phase: cross-file analyses over per-file facts, then the report's four parts."""
from __future__ import annotations

import importlib
from typing import Sequence

from servicelens.analysis.authentication import missing_authentication
from servicelens.analysis.class_metadata import unseen_class_roles
from servicelens.analysis.base import Analysis, AnalysisResult, Project
from servicelens.analysis.containment import contained, contained_lazily
from servicelens.analysis.excerpt import bounded_diagnostic, bounded_overview, bounded_question
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.instance_calls import instance_callees
from servicelens.analysis.overview import (build_overview, endpoints_of, service_roots, severity_counts,
                                           view_paths)
from servicelens.analysis.postprocess import finalize_findings, plain_findings
from servicelens.analysis.profiles import apply_profile, load_policy
from servicelens.analysis.unreachable import (UNREACHABLE, text_that_runs, without_unreachable_calls,
                                              without_unreachable_steps)
from servicelens.analysis.dispatch import with_dispatch
from servicelens.analysis.javascript_programs import package_programs
from servicelens.analysis.reach import Reach, ReachIndex, reach_index
from servicelens.analysis.request_paths import EMPTY as EMPTY_PATHS, RequestPaths, request_paths, routed_entries
from servicelens.analysis.revisit import Revisits
from servicelens.analysis.route_auth import without_checked_lookups, without_signed_in_guesses
from servicelens.analysis.questions import open_questions
from servicelens.analysis.risks import roll_up_risks
from servicelens.analysis.segment_sources import without_segment_traversals
from servicelens.analysis.state_changes import writes_through
from servicelens.analysis.taint_findings import flows_to_findings
from servicelens.analysis.service_client_urls import route_shapes
from servicelens.analysis.service_clients import CLIENT, client_places
from servicelens.analysis.unreferenced import UNREFERENCED, unnamed_finding_places
from servicelens.analysis.url_kwargs import without_unfilled_url_parameters
from servicelens.rules.python.broken_function_authorization import authenticated_project_wide
from servicelens.rules.javascript import broken_object_authorization as js_object_lookups
from servicelens.rules.javascript.graphql_input_guards import without_guarded_inputs
from servicelens.rules.python.broken_object_authorization import routed_detail_views
from servicelens.rules.python.rel_swallowed_exception import PENDING_RULE as SWALLOWED_PENDING, behind_writers
from servicelens.rules.python.rate_limit import RULE as RATE_LIMIT_RULE, attempt_limits
from servicelens.endpoints.inventory import operations_needed, with_inventory
from servicelens.config.settings import Settings
from servicelens.model.finding import ANONYMOUS_CALLERS, Confidence, Finding, Severity
from servicelens.model.report import Diagnostic, OpenQuestion, Overview, Report, RunStats
from servicelens.sources.documents_above import documents_above
from servicelens.taint.kinds import SINK_KINDS
from servicelens.taint.resolve import call_graph, resolve_flows
from servicelens.taint.summary import FunctionSummary
from servicelens.taint.values import EMPTY

DOCUMENT_ANALYSIS_PACKAGES = ("servicelens.infra", "servicelens.contracts")
_PUBLIC_ONLY = frozenset({"missing-rate-limit"})  # reported for endpoints anyone can call
_PARTIAL = "its findings are missing from this report, the rest was reviewed"


def run_project_analyses(project: Project, facts: Sequence[FileFacts], diagnostics: tuple[Diagnostic, ...],
                         version: str, revisits: Revisits) -> Report:
    """Every project-wide step runs contained (analysis.containment): a step that breaks
    on some input is a diagnostic and an empty contribution, and the report is still made.
    `revisits` is the second per-file pass the cross-file rules ask on demand."""
    settings = project.settings
    failures: list[Diagnostic] = []
    before = {(fact.rel, route.line): route.auth for fact in facts for route in fact.routes}
    facts = contained(".", "project-wide route authentication",
                      lambda: with_inventory(facts, _operations(project, facts)), facts, failures,
                      _PARTIAL)
    # routes that only turn out authenticated project-wide (router includes, DRF defaults):
    # per-file rules that judged them public are corrected here
    upgraded = {(fact.rel, route.line) for fact in facts for route in fact.routes
                if route.auth == "required" and before.get((fact.rel, route.line)) == "none"}
    # lookups in handlers a library permission decorator guards are checked (analysis/route_auth.py)
    findings: list[Finding] = without_checked_lookups([f for fact in facts for f in fact.findings], facts)
    # broad handlers around project calls whose names say nothing stand where those calls write
    findings = contained(".", "swallowed exceptions behind project calls",
                         lambda: behind_writers(findings, writes_through(facts)),
                         [f for f in findings if f.rule != SWALLOWED_PENDING], failures, _PARTIAL)
    if settings.any_enabled(SINK_KINDS):
        findings.extend(contained(".", "cross-file taint resolution", lambda: _taint_findings(facts, settings), [],
                                  failures, _PARTIAL))
    results = [contained(".", f"the {a.name} analysis", lambda a=a: a.run(project), AnalysisResult(), failures,
                         _PARTIAL) for a in document_analyses() if settings.any_enabled(a.concerns)]
    for result in results:
        findings.extend(result.findings)
    # the schema's privileged inputs that only permission-guarded resolvers take are guarded
    findings = contained(".", "GraphQL inputs against their resolvers", lambda: without_guarded_inputs(findings, facts),
                         findings, failures, "the schema's privileged-input findings are kept unjudged")
    drift = contained(".", "contract-versus-code comparison", lambda: _contract_drift(project, facts), [],
                      failures, _PARTIAL)
    unauthenticated = contained(".", "missing-authentication review", lambda: missing_authentication(facts, settings, service_roots(project, facts)),
                                [], failures, _PARTIAL)
    # a handler the code review already reports as unauthenticated is said once, not again as drift
    said = {(f.location.path, f.location.start_line) for f in unauthenticated}
    findings.extend(f for f in drift if not (f.rule == "contract-auth-not-enforced"
                                             and (f.location.path, f.location.start_line) in said))
    findings.extend(unauthenticated)
    findings.extend(contained(".", "class-level route metadata against the guards", lambda: unseen_class_roles(facts, settings),
                              [], failures, _PARTIAL))
    # function-level findings in handlers a file left open stand only where the project authenticates them
    routes = {(fact.rel, route.line): route for fact in facts for route in fact.routes}
    findings = authenticated_project_wide(findings, routes)
    findings = js_object_lookups.authenticated_project_wide(findings, routes)
    combined, rule_questions = _combined_rule_results(facts, settings, failures, revisits, project)
    # REST framework views whose lookup the framework makes stand only where a route serves them
    combined = routed_detail_views(combined, [(fact.rel, route) for fact in facts for route in fact.routes])
    combined = without_signed_in_guesses(combined, facts)
    findings.extend(f for f in without_checked_lookups(combined, facts)
                    if not (f.concern in _PUBLIC_ONLY and (f.location.path, f.location.start_line) in upgraded))
    all_diagnostics = list(diagnostics) + [d for r in results for d in r.diagnostics]
    final, suppressed, suppression_diagnostics = contained_lazily(
        ".", "suppressions and de-duplication", lambda: finalize_findings(findings, project),
        lambda: (plain_findings(findings, settings.enabled), 0, []), failures,
        "findings are listed without suppressions")
    all_diagnostics.extend(suppression_diagnostics)
    every = final
    final, held_back, unreachable = contained_lazily(
        ".", "the report profile", lambda: _profiled(final, facts, project, settings),
        lambda: (final, 0, ()), failures, "every finding is listed, none held back for the default profile")
    severe_held = _severe(every) - _severe(final) - _severe(unreachable)
    overview = contained_lazily(".", "the overview", lambda: build_overview(project, facts, results, final),
                                lambda: _bare_overview(final), failures, "the overview lists no services")
    questions = contained(".", "open questions", lambda: open_questions(project, facts, results, overview), (),
                          failures, "some open questions may be missing")
    risks = contained(".", "the risk register", lambda: roll_up_risks(final), (), failures,
                      "the risk register is empty")
    all_diagnostics.extend(failures)
    return Report(
        root=project.root.name or str(project.root),
        tool_version=version,
        overview=bounded_overview(overview),
        findings=final,
        risks=risks,
        open_questions=tuple(dict.fromkeys(bounded_question(q) for q in questions + tuple(rule_questions))),
        diagnostics=tuple(sorted({bounded_diagnostic(d) for d in all_diagnostics},
                                 key=lambda d: (d.path, d.line, d.kind, d.message))),
        stats=RunStats(files=len(project.files), lines=_line_count(project), suppressed=suppressed,
                       held_back=held_back - len(unreachable), held_back_severe=severe_held,
                       unreachable=len(unreachable)),
    )


def _operations(project: Project, facts: Sequence[FileFacts]) -> tuple[object, ...]:
    """The OpenAPI operations, read only when some Connexion handler needs them."""
    if not project.files_of("openapi") or not operations_needed(facts):
        return ()
    return _served_operations(project)


def _served_operations(project: Project) -> tuple[object, ...]:
    """The contract's operations as served: specs a configuration file mounts take its
    controller, base path and security switch (endpoints.connexion_mounts)."""
    from servicelens.contracts import load_operations
    from servicelens.endpoints.connexion_mounts import api_mounts, mounted_operations

    mounts = api_mounts(project.files_of("data"), [f.rel for f in project.files_of("openapi")])
    return mounted_operations(load_operations(project), mounts)


def _taint_findings(facts: Sequence[FileFacts], settings: Settings) -> list[Finding]:
    frameworks = {fact.rel: _primary_framework(fact) for fact in facts}
    flows = resolve_flows((s for fact in facts for s in fact.summaries), _resolvable(facts))
    flows = without_segment_traversals([f for f in flows if settings.enabled(f.sink.kind)], facts)
    flows = without_unfilled_url_parameters(flows, facts)
    return flows_to_findings(flows, frameworks, settings.include_tests)


def _profiled(findings: Sequence[Finding], facts: Sequence[FileFacts], project: Project,
              settings: Settings) -> tuple[tuple[Finding, ...], int, tuple[Finding, ...]]:
    """The default profile over `findings` (with the findings on lines that can never run, which
    no profile shows), knowing where each runs and which functions
    nothing in the review names (only asked of those whose reach is unknown, and only in a review
    where something is reached at all: a file or a library reviewed alone, or new code an agent
    has not wired yet, has no caller in the review by construction, and says nothing by it)."""
    reach = _reach(facts, project)
    policy = load_policy()
    held = policy.unreferenced_held_back_categories | policy.client_held_back_categories
    places = set()
    for finding in findings if reach.by_function else ():
        path, line = finding.location.path, finding.location.start_line
        if path.endswith(".py") and finding.category.value in held:
            where = reach.at(path, line)
            if not where.kind and not where.at_import:
                places.add((path, reach.function_at(path, line)))
    # a name spelled only on lines that can never run calls nothing: those lines are left out
    dead = {fact.rel: fact.unreachable for fact in facts if fact.unreachable and fact.language == "python"}
    texts = {f.rel: text_that_runs(f.text, dead.get(f.rel, ())) for f in project.files} if places else {}
    uncalled = {place: Reach(UNREFERENCED, why) for place, why in
                (unnamed_finding_places(places, texts) if places else {}).items()}
    # methods of a client of the service that the service itself never runs (analysis/service_clients.py)
    others = places - uncalled.keys()
    uncalled.update((place, Reach(CLIENT, why)) for place, why in (client_places(
        others, texts, _route_shapes(facts), lambda path, line: reach.at(path, line).kind) if others else {}).items())
    shown, held = apply_profile(findings, reach, settings, policy, uncalled=uncalled,
                                limited=_attempt_limited(findings, facts, reach))
    # on lines that can never run: held back from every profile, counted on their own
    unreachable = tuple(f for f in findings if f.concern not in policy.written_not_run
                        and reach.at(f.location.path, f.location.start_line).kind == UNREACHABLE)
    return shown, held, unreachable


def _attempt_limited(findings: Sequence[Finding], facts: Sequence[FileFacts],
                     reach: ReachIndex) -> frozenset[tuple[str, int]]:
    """(path, line) of the findings whose cost a caller repeats (`cost_at` ANONYMOUS_CALLERS: password
    hashing) in a handler whose rate the project limits, as the rate-limit rule finds it
    (rules/python/rate_limit.attempt_limits): each attempt costs the loop, but attempts come only at
    the limited rate. Asked only when such a finding is graded high."""
    asked = [f for f in findings if f.cost_at == ANONYMOUS_CALLERS and f.confidence is Confidence.HIGH]
    if not asked:
        return frozenset()
    limits = attempt_limits({fact.rel: found for fact in facts
                             if (found := dict(fact.collected).get(RATE_LIMIT_RULE.id)) is not None})
    return frozenset((f.location.path, f.location.start_line) for f in asked
                     if limits.limit(f.location.path, reach.function_at(f.location.path, f.location.start_line)))


def _route_shapes(facts: Sequence[FileFacts]) -> frozenset[tuple[str, ...]]:
    """The paths of every endpoint of the inventory, as analysis/service_client_urls matches them."""
    paths = view_paths(facts)
    return route_shapes(endpoint.path for fact in facts for endpoint in endpoints_of(fact, paths))


def _reach(facts: Sequence[FileFacts], project: Project | None = None) -> ReachIndex:
    """Calls are resolved against every function, also those whose summary was dropped for
    having nothing to say to taint (no parameters, calls or returns): they can still be called."""
    bases = {key: value for fact in facts for key, value in fact.class_bases}
    # a call on a line that can never run calls nothing (analysis/unreachable.py)
    summaries = [s for fact in facts for s in without_unreachable_calls(fact.summaries, fact.unreachable)]
    known = {s.key for s in summaries}
    silent = [FunctionSummary(key, fact.rel, span.line, (), EMPTY, (), ()) for fact in facts for span in fact.spans
              if (key := f"{fact.module_name}.{span.qualname}") not in known]
    unresolved = {f"{fact.module_name}.{qualname}": calls for fact in facts for qualname, calls in fact.receiver_calls}
    programs = package_programs(((f.rel, f.text) for f in project.files_of("manifest")),
                                frozenset(f.rel for f in facts)) if project is not None else {}
    classes = frozenset(f"{fact.module_name}.{qualname}" for fact in facts
                        for qualname, _, _ in fact.framework.class_spans)
    typed = instance_callees(((fact.module_name, call) for fact in facts for call in fact.instance_calls),
                             (relation for fact in facts for relation in fact.relations), bases,
                             {f"{fact.module_name}.{qualname}": cls for fact in facts
                              for qualname, cls in fact.returned_models})
    # `HANDLERS[kind](...)`: each function of a module's dispatch table (analysis/dispatch_tables.py)
    for fact in facts:
        for qualname, callees in fact.table_calls:
            key = f"{fact.module_name}.{qualname}"
            typed[key] = (*typed.get(key, ()), *callees)
    # a module-level instance (`erp = ErpClient()`) resolves `erp.push()` in another module, for
    # reach only: what taint resolves stays as it was
    resolvable = {**dict(item for fact in facts for item in fact.module_instances), **_resolvable(facts)}
    return reach_index(facts, with_dispatch(call_graph(summaries + silent, resolvable, typed), bases,
                                            unresolved, classes), programs)


def _resolvable(facts: Sequence[FileFacts]) -> dict[str, tuple[str, ...]]:
    """What calls are resolved through: each class's bases, and each class-level attribute
    holding an instance (`Order.objects.settle` is `OrderManager.settle`). The attributes are
    not classes: dispatch (analysis/dispatch.py) and authentication see only the bases."""
    resolvable = {key: value for fact in facts for key, value in fact.attribute_classes}
    resolvable.update((key, value) for fact in facts for key, value in fact.class_bases)
    return resolvable


def _severe(findings: Sequence[Finding]) -> int:
    return sum(1 for f in findings if f.severity in (Severity.CRITICAL, Severity.HIGH))


def _bare_overview(findings: Sequence[Finding]) -> Overview:
    """What the overview can still say when building it failed: the severity counts."""
    return Overview(services=(), languages=(), diagram="", severity_counts=severity_counts(findings))


def document_analyses() -> tuple[Analysis, ...]:
    """Analyses over infrastructure and contract documents, from their packages' ANALYSES."""
    found: list[Analysis] = []
    for name in DOCUMENT_ANALYSIS_PACKAGES:
        try:
            package = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        found.extend(getattr(package, "ANALYSES", ()))
    return tuple(found)


def _combined_rule_results(facts: Sequence[FileFacts], settings: Settings, failures: list[Diagnostic],
                           revisits: Revisits, project: Project) -> tuple[list[Finding], list[OpenQuestion]]:
    """Cross-file rules: each gets what its `collect` found in every file, and may answer with
    findings and with open questions (what it needed and could not see). A rule that breaks
    is a diagnostic; the other rules still answer."""
    from servicelens.rules.base import discover_rules

    findings: list[Finding] = []
    questions: list[OpenQuestion] = []
    collected = [(fact.rel, dict(fact.collected)) for fact in facts]  # once, not once per rule
    view: list[RequestPaths] = []  # built once, by the first rule that asks
    for rule in discover_rules("servicelens.rules.python") + discover_rules("servicelens.rules.javascript"):
        if rule.combine is None or not settings.any_enabled(rule.concerns):
            continue
        per_file = {rel: by_rule[rule.id] for rel, by_rule in collected if rule.id in by_rule}
        if rule.paths and not view:
            view.append(contained(".", "the request-path view", lambda: _request_paths(facts), EMPTY_PATHS, failures,
                                  "rules judging code below the handler see only handlers"))
        extra: dict[str, object] = {"paths": view[0]} if rule.paths else {}
        if rule.documents:
            reviewed = {f.rel: f.text for f in project.files_of(*rule.documents)}
            # a review of `src/` still reads the schema the project keeps beside it (sources/documents_above.py)
            extra["documents"] = reviewed | documents_above(project.root, rule.documents, reviewed)
        items = contained(".", f"cross-file rule {rule.id}", lambda r=rule, p=per_file, x=extra: list(
            r.combine(p, settings, **x) if r.revisit is None else r.combine(p, settings, revisits.asker(r), **x)),
                          [], failures, _PARTIAL)
        for item in items:
            (questions if isinstance(item, OpenQuestion) else findings).append(item)  # type: ignore[arg-type]
    return findings, questions


def _request_paths(facts: Sequence[FileFacts]) -> RequestPaths:
    """The functions requests reach, over every function of the project (analysis/request_paths.py)."""
    functions = (f"{fact.module_name}.{span.qualname}" for fact in facts for span in fact.spans)
    # a call on a line that can never run reaches nothing (analysis/unreachable.py)
    return request_paths((without_unreachable_steps(fact.paths, fact.unreachable) for fact in facts), functions,
                         routed_entries(facts))


def _contract_drift(project: Project, facts: Sequence[FileFacts]) -> list[Finding]:
    """Endpoints in code versus operations in the OpenAPI contract, when both exist."""
    if not project.files_of("openapi") or not any(fact.routes for fact in facts):
        return []
    from servicelens.contracts import compare_contract_with_code
    from servicelens.contracts.policy import load_contract_policy

    if load_contract_policy().generates_contract(target for fact in facts for target in fact.imports):
        return []  # the contract is the one the code generates: a checked-in document is not it

    texts = {f.rel: f.text for f in project.files}
    paths = view_paths(facts)
    endpoints = tuple(e for fact in facts for e in endpoints_of(fact, paths))
    return compare_contract_with_code(_served_operations(project), endpoints,
                                      lines_of=lambda rel: texts.get(rel, "").splitlines(),
                                      auth_enforced_upstream=bool(project.settings.auth_middleware))


def _primary_framework(fact: FileFacts) -> str:
    """What `python_frameworks` would name first among these three, asked of these three only
    (every file is asked; the full table of frameworks is not needed here)."""
    for name in ("fastapi", "django", "flask"):
        dotted = name + "."
        if any(target == name or target.startswith(dotted) for target in fact.imports):
            return name
    return "python"


def _line_count(project: Project) -> int:
    return sum(f.text.count("\n") + (0 if f.text.endswith("\n") else 1) for f in project.files)


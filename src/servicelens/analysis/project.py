"""The project phase: cross-file analyses over per-file facts, then the report's four parts."""
from __future__ import annotations

import importlib
from typing import Sequence

from servicelens.analysis.authentication import missing_authentication
from servicelens.analysis.base import Analysis, Project
from servicelens.analysis.facts import FileFacts
from servicelens.analysis.overview import build_overview, endpoints_of, python_frameworks, view_paths
from servicelens.analysis.postprocess import finalize_findings
from servicelens.analysis.route_auth import with_project_auth
from servicelens.analysis.questions import open_questions
from servicelens.analysis.risks import roll_up_risks
from servicelens.analysis.taint_findings import flows_to_findings
from servicelens.config.settings import Settings
from servicelens.model.finding import Finding
from servicelens.model.report import Diagnostic, OpenQuestion, Report, RunStats
from servicelens.taint.kinds import SINK_KINDS
from servicelens.taint.resolve import resolve_flows

DOCUMENT_ANALYSIS_PACKAGES = ("servicelens.infra", "servicelens.contracts")
_PUBLIC_ONLY = frozenset({"missing-rate-limit"})  # reported for endpoints anyone can call


def run_project_analyses(project: Project, facts: Sequence[FileFacts], diagnostics: tuple[Diagnostic, ...],
                         version: str) -> Report:
    settings = project.settings
    before = {(fact.rel, route.line): route.auth for fact in facts for route in fact.routes}
    facts = with_project_auth(facts)
    # routes that only turn out authenticated project-wide (router includes, DRF defaults):
    # per-file rules that judged them public are corrected here
    upgraded = {(fact.rel, route.line) for fact in facts for route in fact.routes
                if route.auth == "required" and before.get((fact.rel, route.line)) == "none"}
    findings: list[Finding] = [f for fact in facts for f in fact.findings]
    if settings.any_enabled(SINK_KINDS):
        frameworks = {fact.rel: _primary_framework(fact) for fact in facts}
        bases = {key: value for fact in facts for key, value in fact.class_bases}
        flows = resolve_flows((s for fact in facts for s in fact.summaries), bases)
        findings.extend(flows_to_findings([f for f in flows if settings.enabled(f.sink.kind)], frameworks,
                                          settings.include_tests))
    results = [a.run(project) for a in document_analyses() if settings.any_enabled(a.concerns)]
    for result in results:
        findings.extend(result.findings)
    findings.extend(_contract_drift(project, facts))
    findings.extend(missing_authentication(facts, settings))
    combined, rule_questions = _combined_rule_results(facts, settings)
    findings.extend(f for f in combined if not (f.concern in _PUBLIC_ONLY and
                                                 (f.location.path, f.location.start_line) in upgraded))
    all_diagnostics = list(diagnostics) + [d for r in results for d in r.diagnostics]
    final, suppressed, suppression_diagnostics = finalize_findings(findings, project)
    all_diagnostics.extend(suppression_diagnostics)
    overview = build_overview(project, facts, results, final)
    return Report(
        root=project.root.name or str(project.root),
        tool_version=version,
        overview=overview,
        findings=final,
        risks=roll_up_risks(final),
        open_questions=tuple(dict.fromkeys(open_questions(project, facts, results, overview) + tuple(rule_questions))),
        diagnostics=tuple(sorted(set(all_diagnostics), key=lambda d: (d.path, d.line, d.kind, d.message))),
        stats=RunStats(files=len(project.files), lines=_line_count(project), suppressed=suppressed),
    )


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


def _combined_rule_results(facts: Sequence[FileFacts], settings: Settings) -> tuple[list[Finding], list[OpenQuestion]]:
    """Cross-file rules: each gets what its `collect` found in every file, and may answer with
    findings and with open questions (what it needed and could not see)."""
    from servicelens.rules.base import discover_rules

    findings: list[Finding] = []
    questions: list[OpenQuestion] = []
    for rule in discover_rules("servicelens.rules.python"):
        if rule.combine is None or not settings.any_enabled(rule.concerns):
            continue
        per_file = {fact.rel: dict(fact.collected)[rule.id] for fact in facts if rule.id in dict(fact.collected)}
        for item in rule.combine(per_file, settings):
            (questions if isinstance(item, OpenQuestion) else findings).append(item)  # type: ignore[arg-type]
    return findings, questions


def _contract_drift(project: Project, facts: Sequence[FileFacts]) -> list[Finding]:
    """Endpoints in code versus operations in the OpenAPI contract, when both exist."""
    if not project.files_of("openapi") or not any(fact.routes for fact in facts):
        return []
    from servicelens.contracts import compare_contract_with_code, load_operations

    texts = {f.rel: f.text for f in project.files}
    paths = view_paths(facts)
    endpoints = tuple(e for fact in facts for e in endpoints_of(fact, paths))
    return compare_contract_with_code(load_operations(project), endpoints,
                                      lines_of=lambda rel: texts.get(rel, "").splitlines(),
                                      auth_enforced_upstream=bool(project.settings.auth_middleware))


def _primary_framework(fact: FileFacts) -> str:
    frameworks = python_frameworks(fact.imports)
    for name in ("fastapi", "django", "flask"):
        if name in frameworks:
            return name
    return "python"


def _line_count(project: Project) -> int:
    return sum(f.text.count("\n") + (0 if f.text.endswith("\n") else 1) for f in project.files)


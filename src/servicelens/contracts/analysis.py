"""The API contract analysis family: OpenAPI 2.0/3.0/3.1 (YAML or JSON) and GraphQL SDL.

    Project.files_of(openapi) -> OpenApiDoc -> Operation[] -> ContractContext -> checks
    Project.files_of(graphql) -> graphql_loading.served_schemas -> graphql.check_schema
    unresolved `$ref` / unreadable documents -> diagnostics; the rest is still reviewed

`load_operations(project)` is exported for the runner's contract-versus-code comparison
(`compare.compare_contract_with_code`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable, Iterable

from servicelens.analysis.base import AnalysisResult, Project, SourceFile
from servicelens.analysis.containment import contained
from servicelens.contracts.checks_document import check_rate_limit, check_versioning
from servicelens.contracts.checks_inputs import check_mass_assignment, check_unbounded
from servicelens.contracts.checks_responses import (
    check_error_consistency,
    check_pagination,
    check_sensitive_responses,
)
from servicelens.contracts.checks_security import check_sequential_ids, check_unauthenticated
from servicelens.contracts.context import ContractContext
from servicelens.contracts.graphql import check_schema
from servicelens.contracts.graphql_loading import served_schemas
from servicelens.contracts.operations import Operation, operations_of
from servicelens.contracts.policy import ContractPolicy, load_contract_policy
from servicelens.contracts.refs import OpenApiDoc, Resolver, read_document
from servicelens.contracts.service_contract import service_contracts
from servicelens.model.finding import Finding
from servicelens.model.report import Diagnostic

CONCERNS = frozenset({
    "api-unauthenticated-operation", "api-unbounded-input", "api-no-pagination", "api-no-rate-limit",
    "api-inconsistent-errors", "api-unversioned", "broken-object-authorization", "excessive-data-exposure",
    "mass-assignment",
})
CHECKS: tuple[Callable[[ContractContext], Iterable[Finding]], ...] = (
    check_unauthenticated, check_unbounded, check_pagination, check_rate_limit, check_error_consistency,
    check_versioning, check_sequential_ids, check_sensitive_responses, check_mass_assignment,
)
_DATA_SUFFIXES = {".yaml", ".yml", ".json"}


@dataclass(frozen=True, slots=True)
class ContractAnalysis:
    """Reviews API contracts the way an API design and security review would."""

    name: str = "contracts"
    concerns: frozenset[str] = CONCERNS

    def run(self, project: Project) -> AnalysisResult:
        policy = load_contract_policy()
        texts = _texts(project)
        resolver = Resolver(texts)
        findings: list[Finding] = []
        diagnostics: list[Diagnostic] = []
        seen: dict[tuple[str, ...], str] = {}
        for f in _yaml_first(project.files_of("openapi")):
            doc, problem = contained(f.rel, "reading the contract", lambda f=f: read_document(f.rel, f.text),
                                     (None, None), diagnostics)
            if doc is None:
                diagnostics.extend([problem] if problem is not None else [])
                continue
            signature = contained(f.rel, "reading the contract", lambda d=doc: _signature(d), None, diagnostics)
            if signature is None:
                continue
            if signature in seen:
                diagnostics.append(Diagnostic(f.rel, "duplicate", f"same API as {seen[signature]} (title, version "
                                              "and paths); reviewed once there"))
                continue
            seen[signature] = f.rel
            resolver.add_root(f.rel, doc.root)
            findings.extend(contained(f.rel, "contract checks", lambda d=doc: _check(d, resolver, policy, texts), [],
                                      diagnostics))
        served = served_schemas(project.files)
        for f in project.files_of("graphql"):
            if f.rel not in served:
                diagnostics.append(Diagnostic(f.rel, "not served", "no code or configuration loads this GraphQL "
                                              "schema (by its name, its folder or a *.graphql pattern); not reviewed"))
                continue
            findings.extend(contained(f.rel, "GraphQL schema checks", lambda f=f: list(check_schema(f.rel, f.text, policy)),
                                      [], diagnostics))
        diagnostics.extend(resolver.diagnostics.values())
        kept = [f for f in _dedupe(findings) if project.settings.enabled(f.concern)]
        return AnalysisResult(
            findings=tuple(sorted(kept, key=Finding.sort_key)),
            diagnostics=tuple(sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.kind, d.message))),
        )


def _check(doc: OpenApiDoc, resolver: Resolver, policy: ContractPolicy, texts: dict[str, str]) -> list[Finding]:
    ctx = ContractContext(doc, tuple(operations_of(doc, resolver)), policy, resolver, texts)
    return [finding for check in CHECKS for finding in check(ctx)]


def load_operations(project: Project) -> tuple[Operation, ...]:
    """Every operation of the service's own contract (for code comparison; drafts, examples and
    documentation specs are not it: contracts/service_contract.py).
    A contract that cannot be read is left out here; the contract analysis reports it."""
    resolver = Resolver(_texts(project))
    out: list[Operation] = []
    ignored: list[Diagnostic] = []
    for f in service_contracts(project.files):
        out.extend(contained(f.rel, "reading contract operations", lambda f=f: _operations(f, resolver), [], ignored))
    return tuple(out)


def _operations(f: SourceFile, resolver: Resolver) -> list[Operation]:
    doc, _ = read_document(f.rel, f.text)
    if doc is None:
        return []
    resolver.add_root(f.rel, doc.root)
    return list(operations_of(doc, resolver))


def _yaml_first(files: tuple[SourceFile, ...]) -> list[SourceFile]:
    """`openapi.yml` before its generated `openapi.json`, so findings point at the edited file."""
    return sorted(files, key=lambda f: (str(PurePosixPath(f.rel).parent), f.rel.endswith(".json"), f.rel))


def _signature(doc: OpenApiDoc) -> tuple[str, ...]:
    info = doc.root.get("info")
    title = info.get("title") if info is not None else None
    paths = doc.root.get("paths")
    names = sorted(k for k, _, _ in paths.entries()) if paths is not None else []
    return ((title.text() or "") if title is not None else "", doc.version, *names)


def _texts(project: Project) -> dict[str, str]:
    return {f.rel: f.text for f in project.files if PurePosixPath(f.rel).suffix.lower() in _DATA_SUFFIXES}


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: dict[tuple[str, str, int, str], Finding] = {}
    for f in findings:
        seen.setdefault((f.concern, f.location.path, f.location.start_line, f.key), f)
    return list(seen.values())

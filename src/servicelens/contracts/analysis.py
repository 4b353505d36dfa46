"""The API contract analysis family: OpenAPI 2.0/3.0/3.1 (YAML or JSON) and GraphQL SDL.

    Project.files_of(openapi) -> OpenApiDoc -> Operation[] -> ContractContext -> checks
    Project.files_of(graphql) -> graphql.check_schema
    unresolved `$ref` / unreadable documents -> diagnostics; the rest is still reviewed

`load_operations(project)` is exported for the runner's contract-versus-code comparison
(`compare.compare_contract_with_code`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Callable, Iterable

from servicelens.analysis.base import AnalysisResult, Project, SourceFile
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
from servicelens.contracts.operations import Operation, operations_of
from servicelens.contracts.policy import load_contract_policy
from servicelens.contracts.refs import OpenApiDoc, Resolver, read_document
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
            doc, problem = read_document(f.rel, f.text)
            if doc is None:
                diagnostics.extend([problem] if problem is not None else [])
                continue
            signature = _signature(doc)
            if signature in seen:
                diagnostics.append(Diagnostic(f.rel, "duplicate", f"same API as {seen[signature]} (title, version "
                                              "and paths); reviewed once there"))
                continue
            seen[signature] = f.rel
            resolver.add_root(f.rel, doc.root)
            try:
                ops = tuple(operations_of(doc, resolver))
                ctx = ContractContext(doc, ops, policy, resolver, texts)
                for check in CHECKS:
                    findings.extend(check(ctx))
            except Exception as exc:  # noqa: BLE001 - one odd contract must not end the review
                diagnostics.append(Diagnostic(f.rel, "unmodelled", f"contract checks stopped: "
                                              f"{type(exc).__name__}: {exc}"))
        for f in project.files_of("graphql"):
            findings.extend(check_schema(f.rel, f.text, policy))
        diagnostics.extend(resolver.diagnostics.values())
        kept = [f for f in _dedupe(findings) if project.settings.enabled(f.concern)]
        return AnalysisResult(
            findings=tuple(sorted(kept, key=Finding.sort_key)),
            diagnostics=tuple(sorted(set(diagnostics), key=lambda d: (d.path, d.line, d.kind, d.message))),
        )


def load_operations(project: Project) -> tuple[Operation, ...]:
    """Every operation of every OpenAPI document in the project (for code comparison)."""
    resolver = Resolver(_texts(project))
    out: list[Operation] = []
    for f in project.files_of("openapi"):
        doc, _ = read_document(f.rel, f.text)
        if doc is not None:
            resolver.add_root(f.rel, doc.root)
            out.extend(operations_of(doc, resolver))
    return tuple(out)


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

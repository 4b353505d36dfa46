"""JSON renderer: the stable, versioned machine form of a report.

The shape is fixed by `data/report.schema.json` (written first, documented in
docs/report-format.md). Output is byte-identical for the same report: keys sorted, no
timestamps or durations, so baselines and CI diffs only change when findings do.
"""
from __future__ import annotations

import json
from typing import Any

from servicelens.model import (
    Construction,
    Datastore,
    Deployable,
    Diagnostic,
    Endpoint,
    Finding,
    Fix,
    Location,
    OpenQuestion,
    OutboundCall,
    Report,
    Risk,
    Scope,
    Service,
    TraceStep,
)
from servicelens.render.common import cwe_ids, endpoint_count, frameworks, severity_counts
from servicelens.render.safe_text import data_tree

Json = dict[str, Any]


def render_json(report: Report) -> str:
    """Serialise with settings that make the text itself stable, not just the data."""
    text = json.dumps(data_tree(report_payload(report)), sort_keys=True, indent=2, ensure_ascii=False)
    return text + "\n"


def report_payload(report: Report) -> Json:
    """The whole report as plain data matching report.schema.json."""
    return {
        "schema_version": report.schema_version,
        "tool": {"name": "servicelens", "version": report.tool_version},
        "root": report.root,
        "summary": {
            "findings": len(report.findings),
            "services": len(report.overview.services),
            "endpoints": endpoint_count(report),
            "severity_counts": severity_counts(report),
        },
        "overview": {
            "languages": [{"language": name, "files": n} for name, n in report.overview.languages],
            "frameworks": frameworks(report),
            "services": [_service(service) for service in report.overview.services],
            "diagram": report.overview.diagram,
            "severity_counts": severity_counts(report),
        },
        "findings": [finding_payload(finding) for finding in report.findings],
        "risks": [_risk(risk) for risk in report.risks],
        "open_questions": [_question(question) for question in report.open_questions],
        "diagnostics": [_diagnostic(diagnostic) for diagnostic in report.diagnostics],
        "stats": {"files": report.stats.files, "lines": report.stats.lines,
                  "suppressed": report.stats.suppressed, "held_back": report.stats.held_back,
                  "held_back_severe": report.stats.held_back_severe, "unreachable": report.stats.unreachable},
        "scope": scope_payload(report.scope),
    }


def scope_payload(scope: Scope | None) -> Json | None:
    """null for a review of the whole tree; else what the findings were filtered against."""
    if scope is None:
        return None
    return {"kind": scope.kind, "against": scope.against, "merge_base": scope.merge_base,
            "changed_files": scope.changed_files, "baseline_findings": scope.baseline_findings,
            "total_findings": scope.total_findings}


def finding_payload(finding: Finding) -> Json:
    """One finding; public so a baseline writer can reuse the exact same shape."""
    return {
        "concern": finding.concern,
        "category": finding.category.value,
        "cwe": list(finding.cwe),
        "cwe_ids": cwe_ids(finding.cwe),
        "severity": finding.severity.value,
        "confidence": finding.confidence.value,
        "location": _location(finding.location),
        "title": finding.title,
        "why": finding.why,
        "evidence": [_step(step) for step in finding.evidence],
        "fix": _fix(finding.fix),
        "rule": finding.rule,
        "snippet": finding.snippet,
        "fingerprint": finding.fingerprint,
        "reach": finding.reach,
        "held_back": finding.held_back,
        "held_back_by": finding.held_back_by,
        "callers": finding.callers,
        "group": _group(finding.group),
    }


def _location(location: Location) -> Json:
    return {"path": location.path, "start_line": location.start_line,
            "end_line": location.end_line, "start_col": location.start_col,
            "end_col": location.end_col}


def _optional_location(location: Location | None) -> Json | None:
    return None if location is None else _location(location)


def _step(step: TraceStep) -> Json:
    return {"location": _location(step.location), "description": step.description,
            "code": step.code}


def _group(group: Construction | None) -> Json | None:
    if group is None:
        return None
    return {"location": _location(group.location), "code": group.code, "name": group.name,
            "title": group.title, "fix": _fix(group.fix)}


def _fix(fix: Fix | None) -> Json | None:
    if fix is None:
        return None
    return {"description": fix.description, "code": fix.code, "language": fix.language}


def _service(service: Service) -> Json:
    return {
        "name": service.name,
        "root": service.root,
        "languages": list(service.languages),
        "frameworks": list(service.frameworks),
        "endpoints": [_endpoint(endpoint) for endpoint in service.endpoints],
        "datastores": [_datastore(store) for store in service.datastores],
        "queues": list(service.queues),
        "outbound_calls": [_outbound(call) for call in service.outbound_calls],
        "deployables": [_deployable(unit) for unit in service.deployables],
    }


def _endpoint(endpoint: Endpoint) -> Json:
    return {"method": endpoint.method, "path": endpoint.path, "handler": endpoint.handler,
            "location": _location(endpoint.location), "framework": endpoint.framework,
            "auth": endpoint.auth, "auth_evidence": endpoint.auth_evidence}


def _datastore(store: Datastore) -> Json:
    return {"kind": store.kind, "client": store.client,
            "location": _optional_location(store.location)}


def _outbound(call: OutboundCall) -> Json:
    return {"client": call.client, "target": call.target,
            "location": _optional_location(call.location)}


def _deployable(unit: Deployable) -> Json:
    return {"kind": unit.kind, "name": unit.name, "image": unit.image,
            "location": _optional_location(unit.location)}


def _risk(risk: Risk) -> Json:
    return {"title": risk.title, "likelihood": risk.likelihood, "impact": risk.impact,
            "mitigation": risk.mitigation, "concerns": list(risk.concerns),
            "finding_count": risk.finding_count}


def _question(question: OpenQuestion) -> Json:
    return {"question": question.question, "assumption": question.assumption,
            "context": question.context}


def _diagnostic(diagnostic: Diagnostic) -> Json:
    return {"path": diagnostic.path, "kind": diagnostic.kind, "message": diagnostic.message,
            "line": diagnostic.line}

"""SARIF 2.1.0 renderer, shaped for GitHub code scanning.

One run; `rules[]` from the concerns present; taint traces as `codeFlows`; the
line-independent fingerprint in `partialFingerprints` so alerts survive line shifts;
files the review could not read as tool execution notifications, not as results.
Validated against the official OASIS schema in tests/render.
"""
from __future__ import annotations

import json
from typing import Any, Final
from urllib.parse import quote

from servicelens.model import Construction, Diagnostic, Finding, Location, Report, TraceStep
from servicelens.render.common import cwe_ids, snippet_of
from servicelens.render.json_report import scope_payload
from servicelens.render.safe_text import data_text, data_tree
from servicelens.render.sarif_rules import build_rules, level, rule_ids

SARIF_SCHEMA_URI: Final = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT: Final = "%SRCROOT%"
FINGERPRINT_KEY: Final = "servicelens/v1"

Json = dict[str, Any]


def render_sarif(report: Report) -> str:
    """Same settings as the JSON renderer: identical input, identical bytes."""
    text = json.dumps(data_tree(sarif_log(report)), sort_keys=True, indent=2, ensure_ascii=False)
    return text + "\n"


def sarif_log(report: Report) -> Json:
    return {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [_run(report)]}


def _run(report: Report) -> Json:
    index = {concern: i for i, concern in enumerate(rule_ids(report))}
    return {
        "tool": {"driver": {
            "name": "servicelens",
            "version": report.tool_version,
            "semanticVersion": report.tool_version,
            "rules": build_rules(report),
        }},
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [_notification(d) for d in report.diagnostics],
        }],
        "results": [_result(finding, index[finding.concern]) for finding in report.findings],
        "properties": {"servicelens": {"schema_version": report.schema_version,
                                       "files": report.stats.files,
                                       "lines": report.stats.lines,
                                       "suppressed": report.stats.suppressed,
                                       "held_back": report.stats.held_back,
                                       **({"scope": scope_payload(report.scope)} if report.scope else {})}},
    }


def _result(finding: Finding, rule_index: int) -> Json:
    result: Json = {
        "ruleId": finding.concern,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": {"text": _message(finding)},
        "locations": [{"physicalLocation": _physical(finding.location, snippet_of(finding))}],
        "properties": {
            "concern": finding.concern,
            "category": finding.category.value,
            "severity": finding.severity.value,
            "confidence": finding.confidence.value,
            "cwe": cwe_ids(finding.cwe),
            **({"reach": finding.reach} if finding.reach else {}),
            **({"held_back": finding.held_back} if finding.held_back else {}),
            **({"group": _group(finding.group)} if finding.group is not None else {}),
        },
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if len(finding.evidence) > 1:
        result["codeFlows"] = [_code_flow(finding)]
    elif finding.evidence:
        result["relatedLocations"] = [_related(finding.evidence[0])]
    return result


def _group(group: Construction) -> Json:
    """The client object the call goes through, where its one fix belongs (`uri:line` as the
    result's own location is written, with the statement that makes it)."""
    return {"location": f"{_uri(group.location.path)}:{group.location.start_line}", "code": group.code,
            "name": group.name}


def _message(finding: Finding) -> str:
    """Title, consequence and fix: a code-scanning alert is often all a reviewer reads."""
    parts = [finding.title, finding.why]
    if finding.fix is not None and finding.fix.description:
        parts.append(f"Fix: {finding.fix.description}")
    return "\n\n".join(part for part in parts if part)


def _uri(path: str) -> str:
    """A percent-encoded relative URI; a name holding undecodable bytes (surrogate escapes)
    gets those bytes back, so the URI names the file on disk."""
    try:
        raw = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        raw = data_text(path).encode("utf-8")
    return quote(raw, safe="/")


def _physical(location: Location, snippet: str = "") -> Json:
    physical: Json = {"artifactLocation": {"uri": _uri(location.path),
                                           "uriBaseId": SRCROOT}}
    if location.start_line >= 1:
        region: Json = {"startLine": location.start_line,
                        "endLine": max(location.end_line, location.start_line)}
        if snippet:
            region["snippet"] = {"text": snippet}
        physical["region"] = region
    return physical


def _code_flow(finding: Finding) -> Json:
    """Source to sink, one thread: the order the evidence steps were recorded in."""
    steps = [{"location": {"physicalLocation": _physical(step.location, step.code),
                           "message": {"text": step.description}},
              "executionOrder": order}
             for order, step in enumerate(finding.evidence, start=1)]
    return {"message": {"text": finding.title}, "threadFlows": [{"locations": steps}]}


def _related(step: TraceStep) -> Json:
    return {"id": 1, "physicalLocation": _physical(step.location, step.code),
            "message": {"text": step.description}}


def _notification(diagnostic: Diagnostic) -> Json:
    """A file not fully reviewed: reported so silence is never mistaken for a clean bill."""
    location = Location(diagnostic.path, diagnostic.line)
    return {
        "level": "warning",
        "descriptor": {"id": diagnostic.kind},
        "message": {"text": f"{diagnostic.kind}: {diagnostic.message}"},
        "locations": [{"physicalLocation": _physical(location)}],
    }

"""Markdown for the parts around the findings: overview, risks, questions, diagnostics."""
from __future__ import annotations

from servicelens.model import Endpoint, Location, Report, Service
from servicelens.render.common import (
    SEVERITIES,
    diagnostics_by_kind,
    frameworks,
    line_span,
    plural,
    severity_counts,
)
from servicelens.render.markdown_text import bullets, cell, code, code_cell, fence, table
from servicelens.render.safe_text import md_inline, md_text

_AUTH_LABEL = {"required": "required", "none": "**none**", "public": "public by design", "unknown": "unknown"}


def overview(report: Report) -> list[str]:
    """Part 1: what was reviewed, so a reader can check the tool saw the system they know."""
    view = report.overview
    languages = ", ".join(f"{name} ({plural(n, 'file')})" for name, n in view.languages)
    lines = ["## 1. Overview", "",
             f"- **Languages:** {languages or '_none detected_'}",
             f"- **Frameworks:** {', '.join(frameworks(report)) or '_none detected_'}",
             f"- **Services:** {', '.join(md_text(s.name) for s in view.services) or '_none found_'}",
             "", "**Findings by severity**", ""]
    counts = severity_counts(report)
    lines += table([name.capitalize() for name in SEVERITIES],
                   [[str(counts[name]) for name in SEVERITIES]])
    for service in view.services:
        lines += ["", *_service(service)]
    if view.diagram.strip():
        lines += ["", "### Architecture", "", *fence(view.diagram, "mermaid")]
    return lines


def _service(service: Service) -> list[str]:
    lines = [f"### Service {code(service.name)} ({code(service.root or '.')})", ""]
    facts = [md_text(", ".join(service.languages)), md_text(", ".join(service.frameworks))]
    if any(facts):
        lines += [" · ".join(fact for fact in facts if fact), ""]
    lines += [f"**Endpoints ({len(service.endpoints)})**", ""]
    if service.endpoints:
        lines += table(["Method", "Path", "Handler", "Auth", "Auth evidence", "Location"],
                       [_endpoint_row(endpoint) for endpoint in service.endpoints])
    else:
        lines.append("_No endpoints found._")
    lines += ["", "**Datastores**", "",
              *bullets(f"{md_text(store.kind)} via {code(store.client)}{_at(store.location)}"
                       for store in service.datastores),
              "", "**Queues**", "", *bullets(code(queue) for queue in service.queues),
              "", "**Outbound calls**", "",
              *bullets(f"{code(call.target)} via {code(call.client)}{_at(call.location)}"
                       for call in service.outbound_calls),
              "", "**Deployables**", "",
              *bullets(_deployable(unit.kind, unit.name, unit.image) + _at(unit.location)
                       for unit in service.deployables)]
    return lines


def _endpoint_row(endpoint: Endpoint) -> list[str]:
    auth = _AUTH_LABEL.get(endpoint.auth, cell(endpoint.auth))
    return [cell(endpoint.method.upper()), code_cell(endpoint.path), code_cell(endpoint.handler),
            auth, cell(endpoint.auth_evidence or "-"), code_cell(line_span(endpoint.location))]


def _deployable(kind: str, name: str, image: str) -> str:
    text = f"{md_text(kind)} {code(name)}"
    return f"{text} (image {code(image)})" if image else text


def _at(location: Location | None) -> str:
    return f" at {code(line_span(location))}" if location else ""


def risks(report: Report) -> list[str]:
    """Part 3: the risk-register view a lead can paste into planning."""
    lines = ["## 3. Risks and mitigations", ""]
    if not report.risks:
        return [*lines, "_No risks rolled up from the findings._"]
    rows = [[cell(risk.title), cell(risk.likelihood), cell(risk.impact), cell(risk.mitigation),
             " ".join(code_cell(c) for c in risk.concerns) or "-", str(risk.finding_count)]
            for risk in report.risks]
    return lines + table(["Risk", "Likelihood", "Impact", "Mitigation", "Concerns", "Findings"],
                         rows)


def open_questions(report: Report) -> list[str]:
    """Part 4: what the review could not see, and what it assumed instead of guessing silently."""
    lines = ["## 4. Open questions", ""]
    if not report.open_questions:
        return [*lines, "_None: the review had what it needed._"]
    for number, item in enumerate(report.open_questions, start=1):
        # a trailing backslash is a CommonMark hard break: one item, three visual lines
        lines.append(f"{number}. **{md_inline(item.question)}**\\")
        if item.context:
            lines.append(f"   {md_inline(item.context, leading=True)}\\")
        lines += [f"   _Assumed:_ {md_inline(item.assumption)}", ""]
    return lines[:-1]


def diagnostics(report: Report) -> list[str]:
    """Files not fully reviewed, grouped so the count is visible before the detail."""
    lines = ["## Diagnostics", ""]
    if not report.diagnostics:
        return [*lines, "Every file was reviewed in full."]
    lines += [f"{plural(len(report.diagnostics), 'file')} not fully reviewed:", ""]
    for kind, items in diagnostics_by_kind(report):
        lines += [f"### {md_text(kind)} ({len(items)})", ""]
        lines += [f"- {code(_diag_place(d.path, d.line))}: {md_inline(d.message)}" for d in items]
        lines.append("")
    return lines[:-1]


def _diag_place(path: str, line: int) -> str:
    return f"{path}:{line}" if line else path


def stats(report: Report) -> list[str]:
    data = report.stats
    return ["## Stats", "",
            f"- Files reviewed: {data.files:,}",
            f"- Lines reviewed: {data.lines:,}",
            f"- Findings: {len(report.findings)}",
            f"- Suppressed in code: {data.suppressed}",
            f"- Held back by the default profile: {data.held_back}",
            "", f"_servicelens {report.tool_version}, report schema {report.schema_version}._"]

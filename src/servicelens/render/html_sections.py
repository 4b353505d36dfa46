"""HTML for the parts around the findings: overview, risks, questions, diagnostics, stats."""
from __future__ import annotations

from collections.abc import Iterable

from servicelens.model import Endpoint, Location, Report, Service
from servicelens.render.common import diagnostics_by_kind, frameworks, plural, scope_note
from servicelens.render.html_parts import code, esc, items, level, prose, section, table, where

_AUTH = frozenset({"required", "none", "public", "unknown"})
_OPEN_UP_TO = 10  # short groups are shown expanded; long ones would bury the rest


def overview(report: Report) -> str:
    """Part 1: the system as the tool saw it, so a reader can spot what it missed."""
    view = report.overview
    languages = ", ".join(f"{esc(name)} ({plural(n, 'file')})" for name, n in view.languages)
    facts = (
        '<dl class="facts">'
        f"<dt>Languages</dt><dd>{languages or 'none detected'}</dd>"
        f"<dt>Frameworks</dt><dd>{esc(', '.join(frameworks(report)) or 'none detected')}</dd>"
        f"<dt>Services</dt><dd>{esc(', '.join(s.name for s in view.services) or 'none found')}</dd>"
        "</dl>"
    )
    parts = [f'<div class="panel">{facts}</div>', *(_service(s) for s in view.services)]
    if view.diagram.strip():
        parts.append('<div class="panel"><h3>Architecture (Mermaid)</h3>'
                     f'<h4>paste into any Mermaid viewer</h4><pre class="diagram">'
                     f"{esc(view.diagram.rstrip())}</pre></div>")
    return section("overview", "1. Overview", "".join(parts))


def _service(service: Service) -> str:
    sub = " · ".join(esc(", ".join(group)) for group in (service.languages, service.frameworks)
                     if group)
    endpoints = (table(["Method", "Path", "Handler", "Auth", "Auth evidence", "Location"],
                       [_endpoint_row(e, service.root) for e in service.endpoints])
                 if service.endpoints else '<p class="empty">No endpoints found.</p>')
    root = service.root
    deps = "".join([
        _dep("Datastores", (f"{esc(d.kind)} via {code(d.client)}{_at(d.location, root)}"
                            for d in service.datastores)),
        _dep("Queues", (code(q) for q in service.queues)),
        _dep("Outbound calls", (f"{code(c.target)} via {code(c.client)}{_at(c.location, root)}"
                                for c in service.outbound_calls)),
        _dep("Deployables", (_deployable(d.kind, d.name, d.image) + _at(d.location, root)
                             for d in service.deployables)),
    ])
    return (f'<div class="panel service"><h3>Service {code(service.name)}</h3>'
            f'<div class="sub">{code(service.root or ".")} {("· " + sub) if sub else ""}</div>'
            f"<h4>Endpoints ({len(service.endpoints)})</h4>{endpoints}"
            f'<div class="deps">{deps}</div></div>')


def _endpoint_row(endpoint: Endpoint, root: str) -> list[str]:
    kind = endpoint.auth if endpoint.auth in _AUTH else "unknown"
    auth = f'<span class="auth auth-{kind}">{esc(endpoint.auth)}</span>'
    return [f"<b>{esc(endpoint.method.upper())}</b>", code(endpoint.path), code(endpoint.handler),
            auth, prose(endpoint.auth_evidence or "-"), where(endpoint.location, root)]


def _dep(title: str, values: Iterable[str]) -> str:
    return f"<div><b>{esc(title)}</b>{items(values)}</div>"


def _deployable(kind: str, name: str, image: str) -> str:
    text = f"{esc(kind)} {code(name)}"
    return f"{text} (image {code(image)})" if image else text


def _at(location: Location | None, root: str) -> str:
    return f" at {where(location, root)}" if location else ""


def risks(report: Report) -> str:
    """Part 3: the risk register lines a team would track."""
    if not report.risks:
        return section("risks", "3. Risks and mitigations",
                       '<p class="empty">No risks rolled up from the findings.</p>')
    rows = [[f"<b>{esc(r.title)}</b>", level(r.likelihood), level(r.impact), prose(r.mitigation),
             " ".join(code(c) for c in r.concerns) or "-", str(r.finding_count)]
            for r in report.risks]
    body = table(["Risk", "Likelihood", "Impact", "Mitigation", "Concerns", "Findings"], rows)
    return section("risks", "3. Risks and mitigations", f'<div class="panel">{body}</div>')


def open_questions(report: Report) -> str:
    """Part 4: what the review could not see, and what it assumed instead."""
    if not report.open_questions:
        body = '<p class="empty">None: the review had what it needed.</p>'
    else:
        entries = "".join(
            f"<li><b>{esc(q.question)}</b>"
            + (f'<div class="context">{prose(q.context)}</div>' if q.context else "")
            + f'<div class="assumed"><i>Assumed:</i> {prose(q.assumption)}</div></li>'
            for q in report.open_questions)
        body = f'<div class="panel questions"><ol>{entries}</ol></div>'
    return section("questions", "4. Open questions", body)


def diagnostics(report: Report) -> str:
    """Grouped by kind and collapsed: the count matters first, the paths on demand."""
    if not report.diagnostics:
        return section("diagnostics", "Diagnostics",
                       '<p class="empty">Every file was reviewed in full.</p>')
    intro = f"<p>{plural(len(report.diagnostics), 'file')} not fully reviewed.</p>"
    groups = "".join(
        f"<details{' open' if len(group) <= _OPEN_UP_TO else ''}>"
        f"<summary>{esc(kind)} ({len(group)})</summary><ul>"
        + "".join(f"<li>{code(d.path + (f':{d.line}' if d.line else ''))}: {esc(d.message)}</li>"
                  for d in group)
        + "</ul></details>"
        for kind, group in diagnostics_by_kind(report))
    return section("diagnostics", "Diagnostics", intro + groups)


def stats(report: Report) -> str:
    data = report.stats
    return (f'<footer class="stats">{data.files:,} files · {data.lines:,} lines reviewed · '
            f"{plural(len(report.findings), 'finding')} · {data.suppressed} suppressed in code"
            f" · {data.held_back} held back by the default profile"
            + (f" · {esc(scope_note(report))}" if report.scope else "") +
            f" · servicelens {esc(report.tool_version)}, report schema "
            f"{esc(report.schema_version)}</footer>")

"""Design proposal as one self-contained HTML page (no scripts, no network)."""
from __future__ import annotations

import json
from html import escape

from servicelens.model.design import Proposal
from servicelens.render.design_common import GROUP_TITLES, num

_CSS = """body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.n{text-align:right;white-space:nowrap}pre{background:#f7f7f7;padding:1em;overflow:auto;font-size:13px}
.pass{color:#176f2c}.fail{color:#b00020}.notrun{color:#8a6d00}.muted{color:#666}blockquote{border-left:4px solid #ccc;margin:0;padding-left:1em}"""


def _table(header: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td{' class=n' if i in numeric else ''}>{escape(str(c))}</td>" for i, c in enumerate(row)) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_design_html(p: Proposal) -> str:
    r = p.requirement
    parts = [f"<h1>Design: {escape(p.title)}</h1>", f"<blockquote>{escape(r.text)}</blockquote>",
             f"<p class=muted>Stack: {escape(p.stack)} · domains: {escape(', '.join(r.domains))} · schema {escape(p.schema_version)}</p>"]
    if r.contradictions:
        parts.append("<h2>Contradictions in the requirement</h2><ul>" + "".join(f"<li>{escape(c.message)}</li>" for c in r.contradictions) + "</ul>")
    if r.figures:
        parts.append("<h2>Requirement as understood</h2>" + _table(
            ["figure", "read as", "used", "from the text"],
            [[f"{num(f.value)} {f.unit}", f.meaning or "NOT UNDERSTOOD (asked below)", "yes" if f.used else "no", f.phrase]
             for f in r.figures]))
    if p.not_in_text:
        parts.append("<h2>Not in the text</h2><p>Figures the design needed that the text gives no basis for "
                     "(assumed until answered).</p>" + _table(
                         ["figure", "assumed", "question that settles it"],
                         [[u.figure, u.assumed, u.question] for u in p.not_in_text]))
    if r.invariants:
        parts.append("<h2>Hard rules (invariants)</h2>" + _table(
            ["rule", "from the text", "mechanism", "enforced in"], [[i.kind, i.phrase, i.mechanism, i.enforced_in] for i in r.invariants]))
    if r.unaddressed:
        parts.append("<h2>Stated, not addressed</h2><p>Rules the text states that no mechanism above keeps: decide one.</p><ul>"
                     + "".join(f"<li>{escape(u)}</li>" for u in r.unaddressed) + "</ul>")
    if r.constraints:
        parts.append("<h2>Constraints</h2>" + _table(
            ["constraint", "value", "from the text", "consequence"], [[c.kind, c.value, c.phrase, c.consequence] for c in r.constraints]))
    parts.append("<h2>Assumptions</h2>" + _table(["topic", "assumed", "why"], [[a.topic, a.value, a.reason] for a in p.assumptions]))
    if p.open_questions:
        parts.append("<h2>Open questions</h2><ol>" + "".join(
            f"<li>{escape(q.question)} <span class=muted>(assumed meanwhile: {escape(q.assumption)})</span></li>" for q in p.open_questions) + "</ol>")
    parts.append("<h2>Capacity plan</h2><ul>" + "".join(f"<li><b>{escape(c.name)}</b>: {escape(c.value)}</li>" for c in p.conventions) + "</ul>")
    for group, title in GROUP_TITLES:
        items = [c for c in p.capacity if c.group == group]
        if items:
            parts.append(f"<h3>{escape(title)}</h3>" + _table(["quantity", "value", "unit", "formula"],
                                                              [[c.name, num(c.value), c.unit, c.formula] for c in items], {1}))
    parts.append("<h2>Architecture</h2><p class=muted>Mermaid source (paste into any Mermaid viewer):</p>"
                 f"<pre class=mermaid>{escape(p.diagram)}</pre>"
                 + _table(["component", "role", "technology"], [[c.name, c.role, c.technology] for c in p.components]))
    parts.append("<h2>Decisions and trade-offs</h2>" + _table(
        ["pattern", "used", "decision", "why", "alternatives"],
        [[d.pattern, "yes" if d.chosen else "no", d.decision, d.why, "; ".join(d.alternatives)] for d in p.decisions]))
    parts.append("<h2>Risks and mitigations</h2>" + _table(["risk", "likelihood", "impact", "mitigation"],
                                                          [[k.risk, k.likelihood, k.impact, k.mitigation] for k in p.risks]))
    if p.number_checks:
        parts.append("<h2>Sanity checks on the numbers</h2>" + _table(
            ["check", "result", "arithmetic"], [[c.name, c.status, c.arithmetic] for c in p.number_checks]))
    parts.append("<h2>API contract (OpenAPI 3.1)</h2><pre>" + escape(json.dumps(json.loads(p.openapi_json), indent=2)) + "</pre>")
    parts.append("<h2>Data model (SQL DDL)</h2><pre>" + escape(p.ddl) + "</pre>")
    parts.append("<h2>Code skeleton</h2>" + "".join(f"<h3>{escape(f.path)}</h3><pre>{escape(f.content)}</pre>" for f in p.code))
    cls = {"passed": "pass", "failed": "fail", "not-run": "notrun"}
    parts.append("<h2>Self-check</h2><ul>" + "".join(
        f"<li class={cls.get(s.status, '')}><b>{escape(s.status)}</b> {escape(s.name)}<ul>"
        + "".join(f"<li>{escape(d)}</li>" for d in s.details) + "</ul></li>" for s in p.self_check) + "</ul>")
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>Design: {escape(p.title)}</title>"
            f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>\n")

"""Design proposal as Markdown, for people. Formats only; every decision is in the Proposal."""
from __future__ import annotations

import json

import yaml

from servicelens.model.design import Proposal
from servicelens.render.design_common import GROUP_TITLES, num


def _text(text: str) -> str:
    """User-derived text on one line with HTML neutralised: Markdown viewers pass raw HTML
    through, and a requirement is untrusted input."""
    return " ".join(str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").split())


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


def render_design_markdown(p: Proposal) -> str:
    r = p.requirement
    out = [f"# Design: {_text(p.title)}", "", f"> {_text(r.text)}", "",
           f"Stack: **{p.stack}** · domains: {', '.join(r.domains)} · schema {p.schema_version}", ""]
    if r.contradictions:
        out += ["## Contradictions in the requirement", ""] + [f"- {_text(c.message)}" for c in r.contradictions] + [""]
    out += ["## Requirement as understood", ""]
    if r.figures:
        out += _table(["figure", "read as", "used", "from the text"],
                      [[f"{num(f.value)} {f.unit}", _text(f.meaning or "NOT UNDERSTOOD (asked below)"), "yes" if f.used else "no",
                        _text(f.phrase)] for f in r.figures])
    if p.not_in_text:
        out += ["Figures the design needed that the text gives no basis for (assumed until answered):", ""]
        out += _table(["figure", "assumed", "question that settles it"],
                      [[_text(u.figure), _text(u.assumed), _text(u.question)] for u in p.not_in_text])
    if r.invariants:
        out += ["Hard rules (invariants) and how the design keeps them:", ""]
        out += _table(["rule", "from the text", "mechanism", "enforced in"],
                      [[i.kind, _text(i.phrase), _text(i.mechanism), _text(i.enforced_in)] for i in r.invariants])
    if r.unaddressed:
        out += ["Rules stated in the text that no mechanism above keeps (stated, not addressed: decide one):", ""]
        out += [f"- {_text(u)}" for u in r.unaddressed] + [""]
    if r.constraints:
        out += _table(["constraint", "value", "from the text", "consequence"],
                      [[c.kind, _text(c.value), _text(c.phrase), _text(c.consequence)] for c in r.constraints])
    rows = [[m.kind, m.subject, f"{num(m.per_second)} /s", "peak" if m.peak else "average",
             "per user" if m.per_user else "total", _text(m.source)] for m in r.rates]
    if rows:
        out += _table(["kind", "what", "rate", "basis", "scope", "from the text"], rows)
    hints = [f"consistency: {r.consistency}"] if r.consistency else []
    hints += [f"compliance: {', '.join(r.compliance)}"] if r.compliance else []
    hints += [f"traffic: {r.traffic_hint}"] if r.traffic_hint else []
    out += ([f"- {h}" for h in hints] + [""]) if hints else []
    out += ["## Assumptions", ""] + _table(["topic", "assumed", "why"], [[_text(a.topic), _text(a.value), _text(a.reason)] for a in p.assumptions])
    if p.open_questions:
        out += ["## Open questions", ""] + [f"{i}. {_text(q.question)} _(assumed meanwhile: {_text(q.assumption)})_"
                                            for i, q in enumerate(p.open_questions, 1)] + [""]
    out += ["## Capacity plan", "", "Conventions:", ""] + [f"- **{c.name}**: {c.value}" for c in p.conventions] + [""]
    for group, title in GROUP_TITLES:
        items = [c for c in p.capacity if c.group == group]
        if items:
            out += [f"### {title}", ""] + _table(["quantity", "value", "unit", "formula"],
                                                 [[c.name, num(c.value), c.unit, c.formula] for c in items])
    if p.number_checks:
        out += ["### Sanity checks on the numbers", ""] + _table(
            ["check", "result", "arithmetic"], [[c.name, c.status.upper() if c.status != "ok" else "ok", _text(c.arithmetic)]
                                                for c in p.number_checks])
    out += ["## Architecture", "", "```mermaid", p.diagram.rstrip(), "```", ""]
    out += _table(["component", "role", "technology"], [[c.name, c.role, c.technology] for c in p.components])
    out += ["## Decisions and trade-offs", ""]
    for d in (d for d in p.decisions if d.chosen):
        out += [f"### {d.pattern}", "", d.decision, "", f"*Why:* {d.why}", ""]
        if d.alternatives:
            out += ["*Alternatives:* " + "; ".join(d.alternatives), ""]
    rejected = [d for d in p.decisions if not d.chosen]
    if rejected:
        out += ["### Not needed at this scale", ""] + [f"- **{d.pattern}**: {d.why}" for d in rejected] + [""]
    out += ["## Risks and mitigations", ""] + _table(["risk", "likelihood", "impact", "mitigation"],
                                                    [[k.risk, k.likelihood, k.impact, k.mitigation] for k in p.risks])
    doc = json.loads(p.openapi_json)
    out += ["## API contract (OpenAPI 3.1)", ""]
    ops = [[m.upper(), path, o.get("operationId", ""), "yes" if o.get("security") else "no", o.get("summary", "")]
           for path, item in doc["paths"].items() for m, o in item.items()]
    out += _table(["method", "path", "operation", "auth", "summary"], ops)
    out += ["<details><summary>openapi.yaml</summary>", "", "```yaml",
            yaml.safe_dump(doc, sort_keys=False, width=120).rstrip(), "```", "", "</details>", ""]
    out += ["## Data model (SQL DDL)", "", "```sql", p.ddl.rstrip(), "```", ""]
    out += ["## Code skeleton", ""]
    for f in p.code:
        out += [f"`{f.path}`", "", f"```{f.language}", f.content.rstrip(), "```", ""]
    out += ["## Self-check", ""]
    icon = {"passed": "PASS", "failed": "FAIL", "not-run": "NOT RUN"}
    for s in p.self_check:
        out += [f"- **{icon.get(s.status, s.status)}** {s.name}"] + [f"  - {d}" for d in s.details]
    return "\n".join(out).rstrip() + "\n"

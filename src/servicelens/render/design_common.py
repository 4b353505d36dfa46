"""Shared by the design renderers: the proposal as plain data, and number formatting.

`proposal_dict` is the JSON contract (docs/design-schema.json); Markdown and HTML read
the same `Proposal`, so every format carries the same content.
"""
from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

from servicelens.model.design import Proposal, Quantity, Requirement

_QUANTITY_FIELDS = tuple(f.name for f in fields(Requirement)
                         if f.name not in ("text", "domains", "entities", "operations", "rates", "consistency",
                                           "compliance", "traffic_hint", "contradictions", "figures",
                                           "invariants", "constraints", "actions", "workloads", "unaddressed"))


def requirement_dict(req: Requirement) -> dict[str, Any]:
    quantities = {}
    for name in _QUANTITY_FIELDS:
        q = getattr(req, name)
        if isinstance(q, Quantity):
            quantities[name] = {"value": q.value, "unit": q.unit, "source": q.source}
    return {
        "text": req.text, "domains": list(req.domains), "entities": list(req.entities),
        "operations": list(req.operations),
        "rates": [asdict(r) for r in req.rates], "quantities": quantities,
        "consistency": req.consistency, "compliance": list(req.compliance), "traffic_hint": req.traffic_hint,
        "contradictions": [{"message": c.message, "sources": list(c.sources)} for c in req.contradictions],
        "as_understood": [asdict(f) for f in req.figures],
        "invariants": [asdict(i) for i in req.invariants],
        "unaddressed": list(req.unaddressed),
        "constraints": [asdict(c) for c in req.constraints],
        "actions": list(req.actions),
        "workloads": [{"shape": shape, "named_by": words} for shape, words in req.workloads],
    }


def proposal_dict(p: Proposal) -> dict[str, Any]:
    return {
        "schema_version": p.schema_version,
        "kind": "servicelens.design",
        "title": p.title,
        "stack": p.stack,
        "requirement": dict(requirement_dict(p.requirement), not_in_text=[asdict(u) for u in p.not_in_text]),
        "assumptions": [asdict(a) for a in p.assumptions],
        "open_questions": [asdict(q) for q in p.open_questions],
        "conventions": [asdict(c) for c in p.conventions],
        "capacity": [asdict(c) for c in p.capacity],
        "components": [asdict(c) for c in p.components],
        "diagram": p.diagram,
        "tradeoffs": [dict(asdict(d), alternatives=list(d.alternatives)) for d in p.decisions],
        "risks": [asdict(r) for r in p.risks],
        "openapi": json.loads(p.openapi_json),
        "ddl": p.ddl,
        "code": [asdict(f) for f in p.code],
        "self_check": [dict(asdict(s), details=list(s.details)) for s in p.self_check],
        "number_checks": [asdict(c) for c in p.number_checks],
    }


def num(x: float) -> str:
    """1,234 / 12.3 / 0.0432 - what a reader expects in a capacity table."""
    if x == 0:
        return "0"
    if abs(x) >= 1e15:
        return f"{x:.3g}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:,.1f}".rstrip("0").rstrip(".")
    return f"{x:.3g}"


GROUP_TITLES = (("traffic", "Traffic"), ("storage", "Storage"), ("bandwidth", "Bandwidth"), ("cache", "Cache"),
                ("database", "Database"), ("compute", "Compute"), ("domain", "Domain-specific costs"),
                ("workload", "Per workload (each stated stream)"), ("derived", "Derived from the stated numbers"),
                ("memory", "In-memory indexes"),
                ("availability", "Availability (downtime the target allows)"))

"""Choosing patterns from the catalogue: each has a condition over the capacity metrics.

Conditions are data (patterns.yaml): a clause `[metric, op, value]`, or `{all: [...]}` /
`{any: [...]}`, or `always`. `domain in [...]` tests the requirement's domains. Patterns
whose condition fails but which carry a `why_not` are reported as rejected decisions, so
a small design explains what it did not need.
"""
from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

from servicelens.model.design import Decision, Risk

_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
        "==": operator.eq, "!=": operator.ne}


@dataclass(frozen=True, slots=True)
class Selection:
    chosen: tuple[str, ...]
    decisions: tuple[Decision, ...]
    risks: tuple[Risk, ...]


class _Facts(dict):
    """Metrics for `str.format_map`; a missing key renders as 0 rather than failing."""

    def __missing__(self, key: str) -> Any:
        return 0


def holds(cond: Any, metrics: dict[str, Any], domains: tuple[str, ...]) -> bool:
    if cond == "always":
        return True
    if isinstance(cond, dict):
        if "all" in cond:
            return all(holds(c, metrics, domains) for c in cond["all"])
        if "any" in cond:
            return any(holds(c, metrics, domains) for c in cond["any"])
        raise ValueError(f"unknown condition {cond!r}")
    metric, op, value = cond
    if metric == "domain":
        return bool(set(domains) & set(value))
    return _OPS[op](float(metrics.get(metric, 0)), float(value))


def applies(catalog_patterns: dict, pattern: str, metrics: dict, domains: tuple[str, ...]) -> bool:
    return holds(catalog_patterns[pattern]["when"], metrics, domains)


def select(patterns: dict[str, Any], metrics: dict[str, Any], domains: tuple[str, ...]) -> Selection:
    facts = _Facts(metrics)
    chosen, decisions, risks = [], [], []
    for pid, spec in patterns.items():
        if holds(spec["when"], metrics, domains):
            chosen.append(pid)
            decisions.append(Decision(spec["title"], spec["decision"].format_map(facts),
                                      tuple(spec.get("alternatives", ())), spec["why"].format_map(facts), True))
            risks.extend(Risk(r["risk"], r["mitigation"], r["likelihood"], r["impact"]) for r in spec.get("risks", ()))
        elif spec.get("why_not"):
            decisions.append(Decision(spec["title"], "Not used.", tuple(spec.get("alternatives", ())),
                                      spec["why_not"].format_map(facts), False))
    return Selection(tuple(chosen), tuple(decisions), tuple(risks))


def format_text(template: str, metrics: dict[str, Any]) -> str:
    return template.format_map(_Facts(metrics))

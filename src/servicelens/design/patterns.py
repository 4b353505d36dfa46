"""Choosing patterns from the catalogue: each has a condition over the capacity metrics.

Conditions are data (patterns.yaml): a clause `[metric, op, value]`, or `{all: [...]}` /
`{any: [...]}`, or `always`. `domain in [...]` tests the requirement's domains. Patterns
whose condition fails but which carry a `why_not` are reported as rejected decisions, so
a small design explains what it did not need.

A pattern marked `scale_out` (sharding, replicas, a wide-column store) adds moving parts
for load; when the load is only the default assumption (`traffic_assumed`: the text gave
no rate and no users) it is not chosen on that guess but reported as held back, with the
question that would decide it. The same holds for a pattern whose load `rests_on` streams
(writes, reads) when the text states users but no rate of anything (`engagement_assumed`:
2.5M monthly users and no word of how often they write): every stream is then the users
times an assumed per-user rate, so the arithmetic that would call for the pattern is a guess;
it is held back with that arithmetic and the question, never chosen. A stated rate of any
stream anchors the load, even when the other stream follows from an assumed ratio.
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
    spec = catalog_patterns[pattern]
    return holds(spec["when"], metrics, domains) and not _on_a_guess(spec, metrics)


def _on_a_guess(spec: dict[str, Any], metrics: dict[str, Any]) -> bool:
    """A scale-out pattern whose only reason would be the assumed default traffic, or an
    assumed rate of the stream its load rests on."""
    return bool(spec.get("scale_out")) and (bool(metrics.get("traffic_assumed")) or bool(_assumed_streams(spec, metrics)))


def _assumed_streams(spec: dict[str, Any], metrics: dict[str, Any]) -> list[str]:
    """The streams (`writes`, `reads`) the pattern's load rests on, when each is an assumed engagement."""
    return list(spec.get("rests_on", ())) if metrics.get("engagement_assumed") else []


_HELD_BACK = ("Not chosen on an assumption: the text states no rate or user count, and only the assumed default "
              "traffic ({peak_rps:,.0f} req/s at peak) would call for it. Confirm the traffic first.")
_HELD_BACK_STREAM = ("Not chosen on an assumption: the text states users but no rate of {streams}, and only the "
                     "assumed engagement ({formulas}) would call for it: {why} State how many {streams} there are a "
                     "day (and how long they are kept) to decide.")


def _held_back(spec: dict[str, Any], facts: dict[str, Any]) -> str:
    """Why a scale-out pattern was held back: the assumed traffic, or the assumed stream with the
    arithmetic it would have rested on."""
    streams = _assumed_streams(spec, facts)
    if facts.get("traffic_assumed") or not streams:
        return _HELD_BACK.format_map(facts)
    formulas = "; ".join(str(facts.get(f"{s[:-1]}_formula", "")) for s in streams if facts.get(f"{s[:-1]}_formula"))
    return _HELD_BACK_STREAM.format_map(_Facts(facts, streams=" or ".join(streams), formulas=formulas or "a default",
                                               why=spec["why"].format_map(facts)))


def select(patterns: dict[str, Any], metrics: dict[str, Any], domains: tuple[str, ...]) -> Selection:
    facts = _Facts(metrics)
    chosen, decisions, risks = [], [], []
    for pid, spec in patterns.items():
        if holds(spec["when"], metrics, domains) and _on_a_guess(spec, metrics):
            decisions.append(Decision(spec["title"], "Not used.", tuple(spec.get("alternatives", ())),
                                      _held_back(spec, facts), False))
        elif holds(spec["when"], metrics, domains):
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

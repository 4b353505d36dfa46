"""Turning raw findings into the ones a reviewer would write down.

- The same Kubernetes object is often committed several times (a kustomize base, plain
  manifests and a rendered release file): one finding, with the copies as evidence.
- A pattern repeated across many workloads (every Deployment has one replica) is one
  decision for the team, so past a threshold it becomes one finding listing them all.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from servicelens.model.finding import Finding, Location, TraceStep

AGGREGATE_RULES = {"k8s-single-replica": "{n} Service-backed workloads run a single replica with no PodDisruptionBudget"}
AGGREGATE_OVER = 4


def merge_copies(findings: list[Finding]) -> list[Finding]:
    """Kubernetes findings with the same rule and object key in several files -> the first one."""
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    out: list[Finding] = []
    for f in findings:
        if f.rule.startswith("k8s-"):
            groups[(f.rule, f.key)].append(f)
        else:
            out.append(f)
    for group in groups.values():
        group.sort(key=lambda f: (f.location.path, f.location.start_line))
        first, copies = group[0], group[1:]
        if copies:
            extra = tuple(TraceStep(c.location, "the same object, also committed here", c.snippet) for c in copies)
            first = replace(first, evidence=first.evidence + extra)
        out.append(first)
    return out


def aggregate_repeats(findings: list[Finding]) -> list[Finding]:
    out = [f for f in findings if f.rule not in AGGREGATE_RULES]
    for rule, title in AGGREGATE_RULES.items():
        group = sorted((f for f in findings if f.rule == rule), key=lambda f: (f.location.path, f.location.start_line))
        if len(group) <= AGGREGATE_OVER:
            out.extend(group)
            continue
        first = group[0]
        steps = tuple(TraceStep(Location(f.location.path, f.location.start_line), f.title, f.snippet) for f in group)
        out.append(replace(first, title=title.format(n=len(group)), evidence=steps, key=f"{rule}:aggregate"))
    return out

"""One way to build infrastructure findings: taxonomy-filled, with snippet and stable key.

The snippet is the source line the finding points at (a bounded excerpt of it), so the
fingerprint survives line shifts; the key names the object (file kind, workload, container, field) it is about.
"""
from __future__ import annotations

from dataclasses import replace

from servicelens.analysis.excerpt import quote_line
from servicelens.model.concerns import make_finding
from servicelens.model.finding import Confidence, Finding, Fix, Location, Severity, TraceStep


def infra_finding(
    concern: str,
    rel: str,
    lines: list[str],
    line: int,
    title: str,
    why: str,
    *,
    rule: str,
    key: str,
    end_line: int = 0,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
    fix: Fix | None = None,
    evidence: tuple[TraceStep, ...] = (),
) -> Finding:
    location = Location(path=rel, start_line=line, end_line=end_line or line)
    snippet = quote_line(lines, line, title)
    if not evidence:
        evidence = (TraceStep(location, title, snippet),)
    made = make_finding(concern, location, title, why, severity=severity, confidence=confidence,
                        evidence=evidence, fix=fix, rule=rule, key=f"{rule}:{key}")
    return replace(made, snippet=snippet)


def step(rel: str, lines: list[str], line: int, description: str) -> TraceStep:
    code = quote_line(lines, line, description)
    return TraceStep(Location(path=rel, start_line=line), description, code)


def yaml_fix(description: str, code: str) -> Fix:
    return Fix(description=description, code=code.rstrip("\n"), language="yaml")


def dockerfile_fix(description: str, code: str) -> Fix:
    return Fix(description=description, code=code.rstrip("\n"), language="dockerfile")

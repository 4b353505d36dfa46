"""The fixed concern taxonomy (shared/taxonomy.md), loaded from package data."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from servicelens.model.finding import Category, Confidence, Construction, Finding, Fix, Location, Severity, TraceStep
from servicelens.packaged_yaml import packaged_yaml


# the taxonomy's "untrusted data reaching a dangerous sink" section: their evidence is a path
TAINT_CONCERNS = frozenset({
    "sql-injection", "nosql-injection", "command-injection", "code-injection", "template-injection",
    "path-traversal", "ssrf", "xss", "open-redirect", "ldap-injection", "xpath-injection", "xxe",
    "insecure-deserialization", "header-injection", "trust-boundary", "redos",
})


@dataclass(frozen=True, slots=True)
class Concern:
    id: str
    category: Category
    cwe: tuple[int, ...]
    default_severity: Severity
    description: str


@dataclass(frozen=True, slots=True)
class Taxonomy:
    concerns: Mapping[str, Concern]

    def __getitem__(self, concern_id: str) -> Concern:
        return self.concerns[concern_id]

    def __contains__(self, concern_id: object) -> bool:
        return concern_id in self.concerns

    def ids(self) -> tuple[str, ...]:
        return tuple(self.concerns)


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """Read once per process; the result is immutable so caching it is safe."""
    text = resources.files("servicelens.data").joinpath("taxonomy.yaml").read_text("utf-8")
    raw = packaged_yaml(text)["concerns"]
    concerns = {
        cid: Concern(
            id=cid,
            category=Category(row["category"]),
            cwe=tuple(row["cwe"]),
            default_severity=Severity(row["default_severity"]),
            description=row["description"],
        )
        for cid, row in raw.items()
    }
    return Taxonomy(MappingProxyType(concerns))


def make_finding(
    concern: str,
    location: Location,
    title: str,
    why: str,
    *,
    severity: Severity | None = None,
    confidence: Confidence | None = None,
    evidence: tuple[TraceStep, ...] = (),
    fix: Fix | None = None,
    rule: str = "",
    key: str = "",
    cost_at: str = "",
    group: Construction | None = None,
) -> Finding:
    """Build a finding whose category and CWE ids come from the taxonomy, never by hand."""
    info = load_taxonomy()[concern]
    return Finding(
        concern=concern,
        category=info.category,
        cwe=info.cwe,
        severity=severity or info.default_severity,
        confidence=confidence or Confidence.HIGH,
        location=location,
        title=title,
        why=why,
        evidence=evidence,
        fix=fix,
        rule=rule or concern,
        key=key,
        cost_at=cost_at,
        group=group,
    )

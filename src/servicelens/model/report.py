"""The report: the four parts of DESIGN.md plus diagnostics. Renderers only format this."""
from __future__ import annotations

from dataclasses import dataclass

from servicelens.model.finding import Finding, Location
from servicelens.model.scope import Scope

SCHEMA_VERSION = "1.3"  # 1.1: `scope`; 1.2: a finding's `group`; 1.3: a finding's `callers`


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A file or input the review could not (fully) read, and why. Failure is data."""

    path: str
    # parse-error | yaml-budget | analysis-error | not-utf8 | binary | nul-bytes | too-large | unreadable
    # | symlink-loop | empty | config | unmodelled
    kind: str
    message: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class Endpoint:
    method: str
    path: str
    handler: str
    location: Location
    framework: str
    auth: str  # "required" | "none" | "public" (by design: sign-in, health, webhooks) | "unknown"
    auth_evidence: str = ""


@dataclass(frozen=True, slots=True)
class Datastore:
    kind: str  # postgresql | mysql | sqlite | mongodb | redis | ...
    client: str  # the library that talks to it
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class OutboundCall:
    client: str  # requests | httpx | aiohttp | ...
    target: str  # URL or host when known, else "dynamic"
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class Deployable:
    """A unit that gets deployed: an image, a compose service, a k8s workload."""

    kind: str  # dockerfile | compose-service | k8s-deployment | ...
    name: str
    location: Location | None = None
    image: str = ""


@dataclass(frozen=True, slots=True)
class Service:
    name: str
    root: str
    languages: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    datastores: tuple[Datastore, ...] = ()
    queues: tuple[str, ...] = ()
    outbound_calls: tuple[OutboundCall, ...] = ()
    deployables: tuple[Deployable, ...] = ()


@dataclass(frozen=True, slots=True)
class Overview:
    services: tuple[Service, ...]
    languages: tuple[tuple[str, int], ...]  # (language, files), most files first
    diagram: str  # Mermaid text
    severity_counts: tuple[tuple[str, int], ...]  # critical..low, always all four


@dataclass(frozen=True, slots=True)
class Risk:
    """A risk-register line rolled up from findings."""

    title: str
    likelihood: str  # high | medium | low
    impact: str  # high | medium | low
    mitigation: str
    concerns: tuple[str, ...]
    finding_count: int


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    question: str
    assumption: str
    context: str = ""


@dataclass(frozen=True, slots=True)
class RunStats:
    """Counts that do not depend on caching or parallelism, so output stays deterministic."""

    files: int
    lines: int
    suppressed: int = 0
    held_back: int = 0  # findings the default profile leaves out (shown by `--profile extended`)
    held_back_severe: int = 0  # of those, critical or high: said next to the verdict, never hidden silently
    unreachable: int = 0  # findings on lines that can never run, left out of every profile (analysis/unreachable.py)


@dataclass(frozen=True, slots=True)
class Report:
    root: str
    tool_version: str
    overview: Overview
    findings: tuple[Finding, ...]
    risks: tuple[Risk, ...]
    open_questions: tuple[OpenQuestion, ...]
    diagnostics: tuple[Diagnostic, ...]
    stats: RunStats
    schema_version: str = SCHEMA_VERSION
    scope: Scope | None = None  # None: every finding in the tree; else what the findings were filtered against

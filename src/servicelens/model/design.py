"""Design mode's data model: a requirement, the numbers derived from it, and the proposal.

Frozen and slotted like the review model; imports nothing else from the package.
`design/` builds these, `render/design_*.py` only formats them.

    Proposal
      ├── Requirement        what the user said (numbers keep the text they came from)
      ├── Assumption         what we filled in, and why
      ├── OpenQuestion       what to ask the user
      ├── CapacityItem       one number of the capacity plan, with its formula
      ├── Component          a box of the architecture
      ├── Decision           a chosen pattern: alternatives and why (the trade-offs)
      ├── Risk               with its mitigation
      ├── GeneratedFile      the code skeleton
      └── SelfCheck          what the proposal verified about itself
"""
from __future__ import annotations

from dataclasses import dataclass

DESIGN_SCHEMA_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number the user wrote, normalised to a canonical unit, with its source text.

    Canonical units: `1/s` (events per second), `users`, `B` (bytes), `s` (seconds),
    `ms`, `%`, `x` (a ratio or a multiplier), `count`.
    """

    value: float
    unit: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class RateMention:
    """An event rate found in the text: how many of what, per second, and whether it is a peak."""

    subject: str  # "new urls", "payments", "requests", "push notifications" ...
    kind: str  # write | read | total
    per_second: float
    period: str  # the period the user wrote: second, minute, hour, day, week, month, year
    count_per_period: float
    peak: bool  # a per-second figure "to handle" is a peak; per-day totals are averages
    source: str
    per_user: bool = False  # "each user sends 40 messages a day"


@dataclass(frozen=True, slots=True)
class Contradiction:
    """Two statements in the requirement that cannot both be true."""

    message: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StatedFigure:
    """One number of the text as the parser understood it: the "requirement as understood"
    table, so no figure is silently dropped. `meaning` is "" when it was not understood."""

    value: float  # normalised to `unit`
    unit: str
    phrase: str  # the words the number came from
    meaning: str  # "write rate (tweets)", "concurrent connections", "" = not understood
    used: bool  # whether the design's arithmetic uses it


@dataclass(frozen=True, slots=True)
class Invariant:
    """A hard rule the system must keep ("no seat sold twice"), and how the design keeps it."""

    kind: str  # no-double-sell | per-key-order | gapless-sequence | immutable | at-least-once ...
    phrase: str  # the words it came from
    mechanism: str  # the chosen mechanism, in one line
    enforced_in: str = ""  # where: "DDL unique constraint", "queue", "service" ...


@dataclass(frozen=True, slots=True)
class Constraint:
    """A constraint on how the system is built or run (residency, SSO, protocol, provider)."""

    kind: str  # residency | compliance | sso | payment-provider | protocol | deployment | interface
    value: str  # "EU", "Okta", "MQTT" ...
    phrase: str
    consequence: str  # what the design does about it


@dataclass(frozen=True, slots=True)
class Requirement:
    """The parsed requirement: only what the user stated (defaults live in `Assumption`s)."""

    text: str
    domains: tuple[str, ...]
    entities: tuple[str, ...]
    operations: tuple[str, ...]
    rates: tuple[RateMention, ...] = ()
    total_users: Quantity | None = None
    daily_active_users: Quantity | None = None
    monthly_active_users: Quantity | None = None
    daily_active_fraction: Quantity | None = None
    read_write_ratio: Quantity | None = None
    peak_factor: Quantity | None = None
    record_bytes: Quantity | None = None
    media_bytes: Quantity | None = None
    media_fraction: Quantity | None = None
    retention: Quantity | None = None  # seconds
    latency_p99_ms: Quantity | None = None
    latency_p50_ms: Quantity | None = None
    availability_pct: Quantity | None = None
    fanout: Quantity | None = None
    query_chars: Quantity | None = None
    stream_bitrate: Quantity | None = None  # bytes/s one open stream carries (a call, a video, a device)
    consistency: str = ""  # exactly-once | strong | eventual | ""
    compliance: tuple[str, ...] = ()
    traffic_hint: str = ""  # high | low | ""
    contradictions: tuple[Contradiction, ...] = ()
    concurrent_connections: Quantity | None = None
    figures: tuple[StatedFigure, ...] = ()
    invariants: tuple[Invariant, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    actions: tuple[str, ...] = ()  # verb_object operations named by the text ("hold_seat")
    # Workload shapes the text names, as (block id, the words that named it): ("waiting_room",
    # "goes on sale"), ("object_storage", "receipt photos"). A spec can list and edit them.
    workloads: tuple[tuple[str, str], ...] = ()
    # Clauses that state a rule (an operator of prohibition, bound or obligation) that no
    # invariant keeps: listed as stated and not addressed, never dropped.
    unaddressed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Assumption:
    """A value the user did not give, the default chosen, and why a senior engineer picks it."""

    topic: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class OpenQuestion:
    question: str
    assumption: str  # what the proposal assumed meanwhile
    topic: str = ""


@dataclass(frozen=True, slots=True)
class Unstated:
    """A figure the design needed that the text gives no basis for: what was assumed instead
    and the question whose answer would replace the assumption."""

    figure: str  # "record size", "loans created per day"
    assumed: str  # "500 B", "part of the 14,400 writes a day assumed in total"
    question: str


@dataclass(frozen=True, slots=True)
class CapacityItem:
    """One line of the capacity plan. `name` says average or peak; `unit` is explicit."""

    name: str
    value: float
    unit: str
    formula: str
    group: str = ""  # traffic | storage | bandwidth | cache | database | compute | domain


@dataclass(frozen=True, slots=True)
class Convention:
    """A back-of-envelope convention the plan uses (e.g. 1 month = 2.5M s)."""

    name: str
    value: str


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    role: str
    technology: str


@dataclass(frozen=True, slots=True)
class Decision:
    """A pattern that was chosen (or rejected): the trade-off a reviewer wants to see."""

    pattern: str
    decision: str
    alternatives: tuple[str, ...]
    why: str
    chosen: bool = True


@dataclass(frozen=True, slots=True)
class Risk:
    risk: str
    mitigation: str
    likelihood: str  # high | medium | low
    impact: str  # high | medium | low


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    path: str
    language: str
    content: str


@dataclass(frozen=True, slots=True)
class NumberCheck:
    """A sanity check on the figures: a bound the domain sets or an order of magnitude.
    status: ok | warning | contradiction; `arithmetic` shows the numbers compared."""

    name: str
    status: str
    arithmetic: str


@dataclass(frozen=True, slots=True)
class SelfCheck:
    """One verification the proposal ran on itself. status: passed | failed | not-run."""

    name: str
    status: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Proposal:
    title: str
    stack: str
    requirement: Requirement
    assumptions: tuple[Assumption, ...]
    open_questions: tuple[OpenQuestion, ...]
    conventions: tuple[Convention, ...]
    capacity: tuple[CapacityItem, ...]
    components: tuple[Component, ...]
    diagram: str  # Mermaid text
    decisions: tuple[Decision, ...]
    risks: tuple[Risk, ...]
    openapi_json: str  # canonical JSON text (sorted keys) of the OpenAPI 3.1 document
    ddl: str
    code: tuple[GeneratedFile, ...]
    self_check: tuple[SelfCheck, ...]
    schema_version: str = DESIGN_SCHEMA_VERSION
    number_checks: tuple[NumberCheck, ...] = ()  # sanity checks on the figures (design/sanity.py)
    not_in_text: tuple[Unstated, ...] = ()  # figures needed that the text gives no basis for (design/unstated.py)

"""The ranges a requirement's figures must fall in, and the scale that earns a warning.

One table serves the spec loader (which names the field and line) and the text parser
(which names the phrase). Values outside it are typos or attacks, never designs: a
capacity plan for 1e30 requests per second is a wrong answer delivered confidently.
A hard bound is therefore set where no system can be, never where few are: a figure that
is only surprising (a 180 TB archive read as one object's size) is designed as stated and
flagged beside the plan (`surprising`), because refusing it refuses a system the text
describes.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from servicelens.model.design import Quantity, Requirement


@dataclass(frozen=True, slots=True)
class Bound:
    """An inclusive range; `positive` excludes zero where zero means nothing (no users).
    Above `surprising` (and within `high`) a figure is designed but flagged."""

    label: str
    low: float
    high: float
    positive: bool = False
    surprising: float = math.inf

    def problem(self, value: float) -> str:
        """'' when `value` fits, else what was expected."""
        if not math.isfinite(value):
            return f"must be a finite number, not {value}"
        if self.positive and value <= 0:
            return f"must be greater than 0 (got {value:g})"
        if value < self.low:
            return f"must be at least {self.low:g} (got {value:g})"
        if value > self.high:
            return f"must be at most {self.high:g} (got {value:.3g}); larger figures are not meaningful"
        return ""

    def surprise(self, value: float) -> str:
        """'' when `value` is unremarkable, else why a reader should check it."""
        if self.surprising < value <= self.high:
            return f"is {value:.3g}, above the {self.surprising:g} it rarely exceeds; check it (a total read as one item?)"
        return ""


# Beyond these no system exists or can: 1e15 events/s is ~100,000x the largest public
# services; 1e11 users is more than ten times the world's population.
MAX_RATE_PER_SECOND = 1e15
# Zero is refused: the workload reads a zero rate as "not stated" and would silently
# replace it with a default.
RATE = Bound("rate (events per second)", 0, MAX_RATE_PER_SECOND, positive=True)
FIELD_BOUNDS: dict[str, Bound] = {
    "total_users": Bound("total users", 1, 1e11, positive=True),
    "daily_active_users": Bound("daily active users", 1, 1e11, positive=True),
    "monthly_active_users": Bound("monthly active users", 1, 1e11, positive=True),
    "daily_active_fraction": Bound("daily active fraction", 0, 1),
    "read_write_ratio": Bound("read:write ratio", 0.0001, 1e9, positive=True),
    "peak_factor": Bound("peak factor", 1, 100),
    "record_bytes": Bound("record size in bytes", 1, 1e12, positive=True),
    # An exabyte is more than any one storage system holds; a single object above a
    # terabyte is rare (object stores cap one object at a few to tens of TB), so it is
    # more often a whole store's volume read as one item: flagged, not refused.
    "media_bytes": Bound("media size in bytes", 1, 1e18, positive=True, surprising=1e12),
    "media_fraction": Bound("media fraction", 0, 1),
    "retention": Bound("retention in seconds", 1, 1000 * 31_536_000, positive=True),
    "latency_p99_ms": Bound("p99 latency in ms", 0.01, 86_400_000),
    "latency_p50_ms": Bound("median latency in ms", 0.01, 86_400_000),
    "availability_pct": Bound("availability in %", 50, 100),
    "fanout": Bound("fan-out", 0, 1e9),
    "query_chars": Bound("query length in characters", 1, 1000),
}

# Above these the design is still computed, but flagged: the largest known deployments
# serve a few million requests per second on some thousands of instances.
WARN_RATE_PER_SECOND = 1e7
WARN_INSTANCES = 5_000


@dataclass(frozen=True, slots=True)
class OutOfBounds:
    """A figure of a parsed requirement outside its range, with the phrase it came from."""

    label: str
    source: str
    problem: str

    def message(self) -> str:
        return f"the {self.label} in '{_short(self.source)}' {self.problem}."


def requirement_problems(req: Requirement) -> tuple[OutOfBounds, ...]:
    """Every figure of `req` outside its bound, in field order then rates."""
    found = list(_field_findings(req, Bound.problem))
    for rate in req.rates:
        if problem := RATE.problem(rate.per_second):
            found.append(OutOfBounds(f"rate of {rate.subject or 'events'} per second", rate.source, problem))
    return tuple(found)


def requirement_surprises(req: Requirement) -> tuple[OutOfBounds, ...]:
    """Every figure of `req` inside its hard bound but above its `surprising` ceiling."""
    return tuple(_field_findings(req, Bound.surprise))


def _field_findings(req: Requirement, check: Callable[[Bound, float], str]) -> Iterator[OutOfBounds]:
    """Each stated field of `req` that `check` has something to say about, in field order."""
    for name, bound in FIELD_BOUNDS.items():
        qty: Quantity | None = getattr(req, name)
        if qty is not None and (said := check(bound, qty.value)):
            yield OutOfBounds(bound.label, qty.source, said)


def scale_warnings(peak_rps: float, instances: float) -> tuple[str, ...]:
    """Plain warnings for figures beyond any known deployment; the reader must check them."""
    out = []
    if peak_rps > WARN_RATE_PER_SECOND:
        out.append(f"Peak load of {peak_rps:,.0f} requests/s is beyond the largest known deployments "
                   f"(a few million requests/s); check the figures.")
    if instances > WARN_INSTANCES:
        out.append(f"The plan needs {instances:,.0f} instances, beyond the largest known deployments "
                   f"(some thousands per service); check the figures.")
    return tuple(out)


def _short(source: str, limit: int = 80) -> str:
    flat = " ".join(source.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."

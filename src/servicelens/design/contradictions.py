"""Statements in one requirement that cannot all be true.

We point them out instead of silently picking one: a capacity plan built on a typo
is worse than a question.
"""
from __future__ import annotations

from servicelens.design.retentions import same_data
from servicelens.design.text import normalise
from servicelens.model.design import Contradiction, Quantity, Requirement

_LABELS = {
    "retention": "retention", "availability_pct": "availability target",
    "latency_p99_ms": "p99 latency target", "latency_p50_ms": "median latency target",
    "record_bytes": "record size", "media_bytes": "media size",
    "read_write_ratio": "read:write ratio", "peak_factor": "peak factor",
    "daily_active_users": "daily active users", "total_users": "total users",
    "monthly_active_users": "monthly active users",
}


def find_contradictions(req: Requirement, duplicates=()) -> tuple[Contradiction, ...]:
    found = [Contradiction(f"Two different values for the {_LABELS.get(k, k)}: "
                           f"'{a.source}' and '{b.source}'. The first one is used.",
                           (a.source, b.source)) for k, a, b in duplicates
             if k != "retention" or same_data(normalise(req.text), a, b)]  # kept times of two data classes
    found += _users(req) + _latency(req) + _ratio(req) + _peak_vs_average(req)
    if req.availability_pct and req.availability_pct.value >= 100:
        found.append(Contradiction("100% availability cannot be engineered; a target like 99.99% "
                                   "(52 min of downtime a year) can.", (req.availability_pct.source,)))
    return tuple(found)


def _bigger(small: Quantity | None, big: Quantity | None, what: str) -> list[Contradiction]:
    if small and big and small.value > big.value:
        return [Contradiction(f"{what}: {small.value:,.0f} is more than {big.value:,.0f}.",
                              (small.source, big.source))]
    return []


def _users(req: Requirement) -> list[Contradiction]:
    return (_bigger(req.daily_active_users, req.total_users, "Daily active users exceed total users")
            + _bigger(req.daily_active_users, req.monthly_active_users, "Daily active users exceed monthly active users")
            + _bigger(req.monthly_active_users, req.total_users, "Monthly active users exceed total users"))


def _latency(req: Requirement) -> list[Contradiction]:
    return _bigger(req.latency_p50_ms, req.latency_p99_ms, "The median latency target is above the p99 target")


def _ratio(req: Requirement) -> list[Contradiction]:
    """Stated reads, stated writes and a stated ratio that disagree by more than 2x."""
    reads = sum(r.per_second for r in req.rates if r.kind == "read" and not r.per_user)
    writes = sum(r.per_second for r in req.rates if r.kind == "write" and not r.per_user)
    if not (req.read_write_ratio and reads and writes):
        return []
    implied = reads / writes
    stated = req.read_write_ratio.value
    if max(implied, stated) / max(min(implied, stated), 1e-9) > 2:
        return [Contradiction(f"The stated read:write ratio is {stated:g}:1 but the stated rates imply "
                              f"{implied:.3g}:1. The explicit rates are used.",
                              (req.read_write_ratio.source,))]
    return []


def stated_peaks_and_averages(req: Requirement) -> list[tuple[str, list, list]]:
    """(kind, stated peak rates, stated average rates) for each kind of traffic that states both."""
    out = []
    for kind in ("read", "write", "total"):
        peaks = [r for r in req.rates if r.kind == kind and r.peak and not r.per_user]
        avgs = [r for r in req.rates if r.kind == kind and not r.peak and not r.per_user]
        if peaks and avgs:
            out.append((kind, peaks, avgs))
    return out


def _peak_vs_average(req: Requirement) -> list[Contradiction]:
    """A stated peak below the average from a stated daily total, per kind."""
    found = []
    for _, peaks, avgs in stated_peaks_and_averages(req):
        peak, avg = max(p.per_second for p in peaks), sum(a.per_second for a in avgs)
        if peak < avg:
            found.append(Contradiction(
                f"The stated peak of {peak:,.0f}/s is below the {avg:,.0f}/s average implied by "
                f"'{avgs[0].source}'.", (peaks[0].source, avgs[0].source)))
        elif peak > 50 * avg:
            found.append(Contradiction(
                f"The stated peak of {peak:,.0f}/s is {peak / avg:,.0f}x the {avg:,.0f}/s average "
                f"implied by '{avgs[0].source}'; peaks are usually 2-10x the average.",
                (peaks[0].source, avgs[0].source)))
    return found

"""Capacity lines per stated workload: a system with several loads (location pings and
ride requests, score submissions and rank reads) is sized on each, not only on their
sum. Also the memory of in-memory indexes the building blocks add, and the connection
tier sized on concurrent connections.
"""
from __future__ import annotations

import math
import re

from servicelens.design.capacity import DAY_S, Plan, n
from servicelens.design.characteristics import Block
from servicelens.design.rates import RATE_SECONDS
from servicelens.design.retentions import retention_for
from servicelens.design.stream_peaks import is_burst
from servicelens.design.text import normalise
from servicelens.design.traffic import acting_users
from servicelens.design.work_items import find_work, worker_lines
from servicelens.design.workload import YEAR_S, Workload
from servicelens.model.design import RateMention, Requirement

EVENT_ROW_BYTES = 100.0  # one small event row: ids, a timestamp and a few values
CONNECTIONS_PER_GATEWAY_NODE = 100_000  # long-lived WebSocket/MQTT connections per 4 vCPU node, with headroom


def stream_rate(r: RateMention, w: Workload) -> tuple[float, str]:
    """A stated rate's average events/s, and how it was obtained."""
    if r.per_user:
        total = w.total_users or 0.0
        users = acting_users(r, w.dau or 0.0, total)
        return r.per_second * users, f"{n(users)} users x {r.count_per_period:g} {r.subject}/{r.period}"
    # a peak said per second, minute or hour is the busy moment; the average is below it
    avg = r.per_second / w.peak_factor if r.peak and r.period in ("second", "minute", "hour") and "deadline" not in r.subject else r.per_second
    stated = f"{n(r.count_per_period)} {r.subject or 'events'} per {r.period}"
    if avg != r.per_second:
        return avg, f"{stated} at peak / {w.peak_factor:g} (peak factor)"
    if r.period == "second":
        return avg, stated
    return avg, f"{stated} / {n(RATE_SECONDS[r.period])} s"


def add_work(plan: Plan, req: Requirement, w: Workload) -> None:
    """Worker-pool lines when the text says each item takes seconds of work: sized on the
    stated stream of those items (else the largest stated write stream, else the assumed
    write rate), by Little's law."""
    item = find_work(normalise(req.text))
    if not item:
        return
    streams = [(r, *stream_rate(r, w)) for r in req.rates if r.kind != "read"]
    named = [s for s in streams if item.thing and s[0].subject and s[0].subject.split()[-1].startswith(item.thing[:5])]
    best = (named or sorted(streams, key=lambda s: -s[1]) or [None])[0]
    avg = best[1] if best else w.write_avg
    label = item.thing + "s" if item.thing else "jobs"
    for name, value, unit, formula in worker_lines(item, avg * w.peak_factor, avg, label):
        plan.add("workload", name, value, unit, formula)


def add_workloads(plan: Plan, req: Requirement, w: Workload) -> None:
    """Per-stream lines for every stated rate, reads as well as writes: each stream is
    sized on its own (impressions and clicks are two loads, not one)."""
    streams = [(r, *stream_rate(r, w)) for r in req.rates]
    if not streams:
        return
    for r, avg, how in streams:
        if not avg:
            continue  # a per-user rate with nobody to act on it sizes nothing: no lines of zeros
        size, size_note = row_bytes(r, req, w)
        label = r.subject or "events"
        if "deadline" in label:
            plan.add("workload", f"{label}: required rate", avg, "events/s", f"{how} = {n(avg)} /s")
            continue
        if is_burst(r, req.rates):
            plan.add("workload", f"{label} per second (burst, stated)", r.per_second, "events/s",
                     f"{n(r.per_second)} /s (\"{r.source}\"): the busy moment of a stream whose average is stated; "
                     "it sizes the peak, not the daily volume")
            plan.add_bytes("workload", f"{label} ingest bandwidth (burst)", r.per_second * size, "/s",
                           f"{n(r.per_second)} /s x {n(size)} B")
            continue
        plan.add("workload", f"{label} per day (average)", avg * DAY_S, "events/day", f"{n(avg)} /s x 86,400 s = {n(avg * DAY_S)}")
        plan.add("workload", f"{label} per second (average)", avg, "events/s", f"{how} = {n(avg)} /s")
        plan.add("workload", f"{label} per second (peak)", avg * w.peak_factor, "events/s",
                 f"{n(avg)} x {w.peak_factor:g} (peak factor) = {n(avg * w.peak_factor)} /s")
        if r.period in ("day", "week", "month", "year"):  # a daily flow is planned by its busiest hour
            plan.add("workload", f"{label} per hour (peak)", avg * w.peak_factor * 3600, "events/hour",
                     f"{n(avg * w.peak_factor)} /s x 3,600 s")
        else:  # a flow stated per second or minute: how many arrive in its busiest hour (batches, queues, reports)
            plan.add("workload", f"{label} in the peak hour", avg * w.peak_factor * 3600, "count",
                     f"{n(avg * w.peak_factor)} /s x 3,600 s = {n(avg * w.peak_factor * 3600)}")
        if r.period in ("week", "month", "year"):
            per = {"week": 604_800, "month": 2_592_000, "year": YEAR_S}[r.period]
            plan.add("workload", f"{label} per {r.period}", avg * per, f"events/{r.period}", f"{n(avg)} /s x {per:,} s")
        plan.add("workload", f"{label} per year", avg * YEAR_S, "events/year", f"{n(avg * DAY_S)} /day x 365")
        way = "egress" if r.kind == "read" else "ingest"
        plan.add_bytes("workload", f"{label} {way} bandwidth (average)", avg * size, "/s", f"{n(avg)} /s x {n(size)} B ({size_note})")
        plan.add_bytes("workload", f"{label} {way} bandwidth (peak)", avg * w.peak_factor * size, "/s",
                       f"{n(avg * w.peak_factor)} /s x {n(size)} B")
        plan.add_bytes("workload", f"{label} volume per day", avg * DAY_S * size, "/day", f"{n(avg * DAY_S)} x {n(size)} B")
        if r.period in ("week", "month"):  # the volume in the period the text counted in
            per = {"week": 604_800, "month": 2_592_000}[r.period]
            plan.add_bytes("workload", f"{label} volume per {r.period}", avg * per * size, f"/{r.period}",
                           f"{n(avg * per)} x {n(size)} B")
        plan.add_bytes("workload", f"{label} volume per year", avg * YEAR_S * size, "/year", f"{n(avg * DAY_S)} /day x 365 x {n(size)} B")
        kept = retention_for(req, r.subject) if r.subject else req.retention
        if r.kind == "read" and kept is req.retention and req.media_bytes and size == req.media_bytes.value:
            kept = None  # downloading a stored object adds no object: only a retention said of the downloads counts
        if kept:
            keep = kept.value
            said = "" if kept is req.retention else f" (\"{kept.source}\")"
            plan.add("workload", f"{label} kept over the retention period", avg * keep, "count",
                     f"{n(avg)} /s x {n(keep / DAY_S)} days{said} x 86,400 s = {n(avg * keep)}")
            plan.add_bytes("workload", f"{label} stored over the retention period", avg * keep * size, "",
                           f"{n(avg)} /s x {n(keep / DAY_S)} days x 86,400 s x {n(size)} B")


# Subjects whose rows are small events (ids, a timestamp, a few numbers), not documents.
_EVENT_WORDS = {"click", "clicks", "impression", "impressions", "event", "events", "reading", "readings", "ping", "pings",
                "location", "gps", "updates", "heartbeat", "heartbeats", "metric", "metrics", "sample", "samples",
                "view", "views", "score", "scores", "vote", "votes", "like", "likes", "message", "messages"}


def _stems(text: str) -> set[str]:
    """Word stems that join a plural to its singular ("studies" / "a study is 250 MB")."""
    return {(w[:-3] + "y" if w.endswith("ies") else w)[:5] for w in re.findall(r"[a-z]{3,}", text.lower())}


def row_bytes(r: RateMention, req: Requirement, w: Workload) -> tuple[float, str]:
    """Bytes one event of the stream stores: the stated record size, else ~100 B for a
    small event row, else the design's record size (stated or assumed). A size the text
    binds to this stream's subject wins ("8 MB" of "images" for "licensed images")."""
    from servicelens.design.compose import size_of, subject_sizes  # compose builds on this module
    own = size_of(r.subject, subject_sizes(req, w)) if r.subject else None
    if own:
        return own[0], f"stated for {r.subject}"
    if req.record_bytes and req.media_bytes and _stems(r.subject) & _stems(req.record_bytes.source) \
            and req.record_bytes.source == req.media_bytes.source:
        return req.record_bytes.value, "stated"  # one clause sized the record and its attachment: the row is the record
    if req.media_bytes and _stems(r.subject) & _stems(req.media_bytes.source):
        return req.media_bytes.value, "the stated size of one object"
    if req.record_bytes:
        return req.record_bytes.value, "stated"
    if set(r.subject.lower().split()) & _EVENT_WORDS:
        return EVENT_ROW_BYTES, "assumed: an event row of ids, a timestamp and a few values"
    return w.record_bytes, "the record size of the assumptions"


def add_connections(plan: Plan, req: Requirement) -> None:
    if not req.concurrent_connections:
        return
    conns = req.concurrent_connections.value
    nodes = max(2, math.ceil(conns / CONNECTIONS_PER_GATEWAY_NODE))
    plan.add("compute", "concurrent connections (stated)", conns, "connections", req.concurrent_connections.source)
    plan.add("compute", "connection gateway nodes", nodes, "instances",
             f"max(2, ceil({n(conns)} / {CONNECTIONS_PER_GATEWAY_NODE:,} connections per node)) = {nodes}")


def add_block_memory(plan: Plan, blocks: tuple[Block, ...], sizing: dict[str, dict], population: tuple[float, str]) -> None:
    """In-memory index size for blocks that keep one entry per object (sorted set, geo index)."""
    items, what = population
    if not items:
        return
    for b in blocks:
        spec = sizing.get(b.id)
        if not spec:
            continue
        per = float(spec["bytes_per_item"])
        plan.add_bytes("memory", spec["name"], items * per, "", f"{n(items)} {what} x {per:g} B per entry")


def population(req: Requirement) -> tuple[float, str]:
    """The number of objects an in-memory index holds: the largest stated count of users,
    connections or members of an interval stream."""
    found = []
    for q, what in ((req.total_users, "users"), (req.daily_active_users, "active users"),
                    (req.monthly_active_users, "monthly users"), (req.concurrent_connections, "connected clients")):
        if q:
            found.append((q.value, what))
    for f in req.figures:
        if f.meaning.startswith("count of ") and f.value >= 1000:
            found.append((f.value, f.meaning[len("count of "):]))
    return max(found, default=(0.0, ""))

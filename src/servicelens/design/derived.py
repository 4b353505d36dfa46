"""Figures derived from stated quantities by their dimensions, for any kind of system.

A principal engineer multiplies what the text states: a population that acts every N
seconds is a rate (count / interval); a share of a period's volume that lands in a
window is a peak (share x volume / window); a stated count of stored things times a
row size is a data set; a query horizon ("over the last 90 days") is how long the
events must be kept. Each figure carries its derivation; a figure that needs a
convention (row size, what "most" means) states it as an assumption.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from servicelens.design.applied_figures import add_applied
from servicelens.design.batch_windows import batch_windows
from servicelens.design.message_figures import add_messages
from servicelens.design.capacity import DAY_S, Plan, n
from servicelens.design.compose import add_composed, bound_size
from servicelens.design.count_chains import count_chains
from servicelens.design.derived_turnover import add_turnover
from servicelens.design.derived_rollups import UNIT_AFTER, add_rollups, only_population
from servicelens.design.occupancy import occupancies, streams_carried
from servicelens.design.groups import groups_at_once
from servicelens.design.growth import add_growth, population_target
from servicelens.design.held_volumes import held_counts
from servicelens.design.measures import DURATION_S, OUTAGE_BEFORE, duration_unit, unit_seconds
from servicelens.design.rates import RATE_SECONDS
from servicelens.design.session_intervals import connected_interval
from servicelens.design.text import normalise, numbers
from servicelens.design.workload import Workload
from servicelens.design.windows import MOST_SHARE, Window, counted_before, window_share
from servicelens.design.window_parts import add_window_parts
from servicelens.design.workloads import EVENT_ROW_BYTES, row_bytes, stream_rate
from servicelens.model.design import Assumption, RateMention, Requirement

ROW_BYTES = 1_000  # a stored item (a definition, a catalogue record) with no stated size
_PRONOUNS = {"them", "these", "those", "it", "this", "that"}
ARRIVAL_WINDOW_S = 300  # a crowd told to come at one moment arrives over about five minutes
SESSION_INTERVAL_S = 10
SCHEDULE_INTERVAL_S = 300  # reporting every 5 minutes or more is a schedule on the clock, not a heartbeat
ALIGNED_WINDOW_S = 60
DRAIN_SECONDS = 600  # a backlog replayed within ten minutes of recovery, on top of live traffic  # clients on one schedule, without jitter, land within about a minute of the boundary  # an active session (a chat, a status page) sends or polls about every 10 s

_NUM = r"(\d+(?:\.\d+)?)"
_INTERVAL = re.compile(r"\bevery\s*(?:~|about|around|roughly)?\s*" + _NUM + r"\s*(s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?)\b", re.I)
_WORD = re.compile(r"[a-z][a-z\-]{2,}", re.I)
_AT_ONCE = re.compile(r"\s*(?:\w+\s+){0,2}?(?:online|connected|concurrent(?:ly)?|simultaneous(?:ly)?|at\s+(?:the\s+)?peak|at\s+once)\b", re.I)
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}
_PERIOD_AFTER = re.compile(r"\s*(?:per|a|an|each|every|/)\s*(?:second|sec|s|minute|min|hour|hr|h|day|week|month|year)\b", re.I)
_COUNT = r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|thousand|m|million)?\+?"
_CROWD = re.compile(_COUNT + r"\s+(?:[a-z\-]+\s+){0,2}?(?P<who>[a-z\-]+s)\s+(?:will\s+|all\s+|may\s+|can\s+)?"
                    r"(?:show\s+up|turn\s+up|arrive|log\s+(?:in|on)|join|rush\s+in|pile\s+in|hit\s+the\s+(?:site|app))\s+"
                    r"(?:all\s+)?(?:at\s+(?:once|the\s+same\s+(?:time|moment)|\d{1,2}(?::\d\d)?\s*(?:am|pm)?|noon|midnight)|"
                    r"the\s+moment|as\s+soon\s+as|when\s+(?:the\s+)?\w+\s+opens?)", re.I)
_DEADLINE_VERB = re.compile(r"\b(?:finish|finished|complete|completed|processed|done|paid|sent|delivered|produced|generated|"
                            r"exported|imported|published|run|ready)\b", re.I)
_ONLINE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent)\s+(?:of\s+(?:them|(?:our\s+|the\s+|all\s+|those\s+)?(?:[a-z\-]+\s+)?[a-z\-]+s)\s+)?"
                     r"(?:are\s+|is\s+|will\s+be\s+|may\s+be\s+|can\s+be\s+)?(?:online|connected|concurrent|logged\s+in|on\s+at\s+once|"
                     r"active\s+at\s+(?:once|the\s+same\s+time))\b", re.I)
_HORIZON = re.compile(r"\b(?:(?:over|for|in|from|across)\s+the|(?:query|queries|read|reads|show|shows|see|view|list|chart|plot)\s+"
                      r"(?:(?:a|an|the|each|every|one)\s+)?[a-z\-]+'s)\s+(?:last|past|previous)\s+" + _NUM
                      + r"\s*(days?|weeks?|months?|years?)\b", re.I)


@dataclass(frozen=True, slots=True)
class Derived:
    """What this module adds to the plan: the conventions it had to assume."""

    assumptions: tuple[Assumption, ...]


def add_derived(plan: Plan, req: Requirement, w: Workload) -> Derived:
    """Every derivation whose inputs the text states; the conventions used, once each."""
    used: list[Assumption] = []
    _interval_rates(plan, req, used)
    _aligned_bursts(plan, req, used)
    _recorded_hours(plan, req)
    _outage_backlog(plan, req, w)
    _window_peaks(plan, req, w, used)
    _horizon_storage(plan, req, w, used)
    _held_volumes(plan, req)
    add_turnover(plan, req)
    _stored_counts(plan, req, w, used)
    _chained_counts(plan, req, used)
    _crowd_arrivals(plan, req, used)
    _session_requests(plan, req, used)
    _group_sessions(plan, req)
    _deadline_batches(plan, req)
    _clock_batches(plan, req)
    _fanout_deliveries(plan, req, w)
    _occupancy(plan, req, w)
    add_composed(plan, req, w)
    add_applied(plan, req, w)
    add_messages(plan, req, w)
    used.extend(add_growth(plan, req, w))
    seen: dict[str, Assumption] = {}
    for a in used:
        seen.setdefault(a.topic, a)
    return Derived(tuple(seen.values()))


def event_bytes(req: Requirement, used: list[Assumption]) -> float:
    if req.record_bytes:
        return req.record_bytes.value
    used.append(Assumption("event size", f"{EVENT_ROW_BYTES:g} B", "one event row: ids, a timestamp and a few values"))
    return EVENT_ROW_BYTES


def interval_rate(text: str, phrase: str) -> tuple[float, str, float, bool] | None:
    """(events/s, actors, count, all at once) for "<actors> ... every N s" when the text
    states how many actors there are; None when it does not (no figure from nothing)."""
    m = _INTERVAL.search(phrase)
    if not m:
        return None
    seconds = float(m.group(1)) * unit_seconds(m.group(2))
    if not seconds:
        return None
    for word in _WORD.findall(phrase[:m.start()]):
        stem = word.lower()[:-1] if word.lower().endswith("s") else word.lower()
        found = _population(text, stem)
        if found:
            return found[0] / seconds, found[1], found[0], found[2]
    only = only_population(text)
    if only:  # "320,000 enrolled homes ... Devices report every 30 seconds": one per counted thing
        return only[0] / seconds, only[1], only[0], False
    return None


def _population(text: str, stem: str) -> tuple[float, str, bool] | None:
    """(count, noun, all at once) for a stated count of `stem` ("500k drivers online")."""
    pattern = rf"(?<![\d.,])(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\s*(k|thousand|m|million)?\+?\s+(?:[a-z\-]+\s+){{0,2}}{re.escape(stem)}s?\b"
    for m in re.finditer(pattern, text, re.I):
        if _PERIOD_AFTER.match(text, m.end()):
            continue  # "100 orders per day" is a rate, not a population
        if UNIT_AFTER.match(text, m.end(2) if m.group(2) else m.end(1)):
            continue  # "200 bytes per report" sizes a report; it counts no reporters
        scale = _SCALES.get((m.group(2) or "").lower(), 1.0)
        count = float(m.group(1).replace(",", "")) * scale
        if count:
            return count, stem + "s", bool(_AT_ONCE.match(text, m.end()))
    return None


def _interval_rates(p: Plan, req: Requirement, used: list[Assumption]) -> None:
    reporters: tuple[float, str] | None = None
    for f in req.figures:
        if f.meaning != "interval between events":
            continue
        found = interval_rate(req.text, f.phrase)
        if not found:
            continue
        rate, actors, count, at_once = found
        reporters = reporters or (count, actors)
        when = "peak, all at once" if at_once else "average"
        p.add("derived", f"events from {actors} per second ({when})", rate, "events/s",
              f"{n(count)} {actors} / {n(f.value)} s interval = {n(rate)} /s (\"{f.phrase}\")")
        size = event_bytes(req, used)
        p.add_bytes("derived", f"ingest bandwidth from {actors} ({when})", rate * size, "/s", f"{n(rate)} /s x {n(size)} B")
        if not at_once:
            p.add_bytes("derived", f"event volume from {actors} per day", rate * DAY_S * size, "/day", f"{n(rate)} /s x 86,400 s x {n(size)} B")
            if req.retention:  # a steady stream kept for the stated period: what that period holds
                days = req.retention.value / DAY_S
                p.add("derived", f"events from {actors} kept over the retention period", rate * req.retention.value, "rows",
                      f"{n(rate)} /s x {n(days)} days x 86,400 s (\"{req.retention.source}\")")
                p.add_bytes("derived", f"event volume from {actors} over the retention period", rate * req.retention.value * size,
                            "", f"{n(rate)} /s x {n(days)} days x 86,400 s x {n(size)} B")
        target = population_target(normalise(req.text), actors)
        if target and target.count > count:  # "50,000 controllers within 3 years": the rate it grows to
            grown = target.count / f.value
            p.add("derived", f"events from {actors} per second ({when}) at {n(target.count)} {actors}", grown, "events/s",
                  f"{n(target.count)} {actors} (\"{target.phrase}\") / {n(f.value)} s interval = {n(grown)} /s")
    add_rollups(p, req, reporters)


def _aligned_bursts(p: Plan, req: Requirement, used: list[Assumption]) -> None:
    """A population reporting every few minutes or more reports on a clock schedule: unless
    each client adds jitter, all N land within about a minute of each boundary ("2 million
    meters, a reading every 15 minutes": 2M / 60 s, not the 2,222/s average). Read by
    dimensions: a stated count N and a stated interval T whose quotient is a stated rate."""
    counts = [f.value for f in req.figures if f.value >= 100]
    intervals = [f.value for f in req.figures if f.meaning == "interval between events"]
    for r in req.rates:
        if r.per_user or r.per_second <= 0:
            continue
        stated = _INTERVAL.search(r.source)
        own = [float(stated.group(1)) * unit_seconds(stated.group(2))] if stated else []
        for seconds in own + intervals:
            population = r.per_second * seconds
            if seconds < SCHEDULE_INTERVAL_S or not any(abs(c - population) <= 0.01 * population for c in counts):
                continue
            used.append(Assumption("clock-aligned reporting", f"all clients within {ALIGNED_WINDOW_S} s of each boundary",
                                   "clients on a fixed schedule fire on the same clock boundary unless each adds jitter"))
            burst = population / ALIGNED_WINDOW_S
            p.add("derived", f"{r.subject or 'events'} per second if clients report aligned on the boundary (burst)", burst,
                  "events/s", f"{n(population)} clients / {ALIGNED_WINDOW_S} s = {n(burst)} /s, vs {n(r.per_second)} /s "
                  f"spread evenly over the {n(seconds)} s interval; jitter on the clients or a buffer absorbs it")
            return


_RECORDED = re.compile(_COUNT + r"\s*(hours?|hrs?|minutes?|mins?)\s+of\s+(?P<what>(?:[a-z\-]+\s+){0,2}?[a-z\-]+)\s+"
                       r"(?:a|an|per|each|every)\s+(?P<per>day|week|month|year)\b", re.I)
_PERIOD_S = {"day": DAY_S, "week": 7 * DAY_S, "month": 30 * DAY_S, "year": 365 * DAY_S}


def _recorded_hours(p: Plan, req: Requirement) -> None:
    """"9,000 hours of audio a month at 64 kbit/s": a duration of recordings produced per period
    at a stated bitrate is bytes per period (hours x 3,600 s x bytes/s), then per year, over the
    retention, and compounded over the horizon when the text states growth."""
    m = _RECORDED.search(req.text)
    if not m or not req.stream_bitrate:
        return
    from servicelens.design.growth import find_growth  # growth imports this module's siblings
    rate = req.stream_bitrate.value
    seconds = float(m.group(1).replace(",", "")) * _SCALES.get((m.group(2) or "").lower(), 1.0) * unit_seconds(m.group(3))
    what, per = m.group("what").lower(), m.group("per").lower()
    p.add_bytes("derived", f"bytes per hour of {what}", rate * 3600, "", f"{n(rate)} B/s x 3,600 s (\"{req.stream_bitrate.source}\")")
    period_bytes = seconds * rate
    p.add_bytes("derived", f"{what} stored per {per}", period_bytes, f"/{per}",
                f"{n(seconds / 3600)} hours x 3,600 s x {n(rate)} B/s (\"{' '.join(m.group(0).split())}\")")
    year = period_bytes * (365 * DAY_S / _PERIOD_S[per])
    p.add_bytes("derived", f"{what} stored per year", year, "/year", f"{n(period_bytes / 1e9)} GB/{per} x {n(365 * DAY_S / _PERIOD_S[per])}")
    if req.retention:
        years = req.retention.value / (365 * DAY_S)
        p.add_bytes("derived", f"{what} stored over the retention period (today's volume)", year * years, "",
                    f"{n(year / 1e12)} TB/year x {years:g} years")
    g = find_growth(normalise(req.text))
    if g:
        whole = int(g.years) if float(g.years).is_integer() else int(g.years) + 1
        factor = sum(g.per_year ** y for y in range(whole))
        p.add_bytes("derived", f"{what} stored over {g.years:g} years with growth", year * factor, "",
                    f"{n(year / 1e12)} TB/year x (1 + {g.per_year:.4g} + ... {g.per_year:.4g}^{whole - 1} = {factor:.3g}) (\"{g.phrase}\")")


_OUTAGE = re.compile(r"(?P<n>\d+(?:\.\d+)?)\s*(?P<u>seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?)\b", re.I)


def _outage_backlog(p: Plan, req: Requirement, w: Workload) -> None:
    """"Tills must keep working if the central system is down for up to 15 minutes": what
    arrives meanwhile waits, so the buffer holds the peak rate x the outage, and the replay
    after it adds that backlog on top of live traffic."""
    text = req.text
    for m in _OUTAGE.finditer(text):
        if not OUTAGE_BEFORE.search(text[max(0, m.start() - 60):m.start()]):
            continue
        seconds = float(m.group("n")) * unit_seconds(m.group("u"))
        streams = [(r, stream_rate(r, w)[0]) for r in req.rates if r.kind != "read" and "deadline" not in r.subject]
        streams = [s for s in streams if s[1] > 0]
        if not streams or seconds <= 0:
            return
        r, avg = max(streams, key=lambda s: s[1])
        label = r.subject or "events"
        peak = avg * w.peak_factor
        backlog = peak * seconds
        phrase = " ".join(text[max(0, m.start() - 40):m.end()].split())
        p.add("derived", f"{label} queued during the outage (backlog at peak)", backlog, "events",
              f"{n(peak)} /s at peak x {n(seconds)} s (\"{phrase}\") = {n(backlog)}")
        size, _how = row_bytes(r, req, w)
        p.add_bytes("derived", f"buffer for the {label} queued during the outage", backlog * size, "", f"{n(backlog)} x {n(size)} B")
        drain = DRAIN_SECONDS
        p.add("derived", f"{label} replay rate to drain the backlog in {drain // 60} minutes (on top of live)", backlog / drain,
              "events/s", f"{n(backlog)} / {drain} s = {n(backlog / drain)} /s")
        return


def _stream_for(win: Window, req: Requirement, text: str) -> RateMention | None:
    """The stated rate a share is of: one naming the same thing; for "them"/"it" the last
    rate stated before the share; else the only counted-per-period rate (per-second rates
    are already instantaneous)."""
    rates = [r for r in req.rates if r.period != "second" and "deadline" not in r.subject]
    words = {w[:5] for w in _WORD.findall(win.what)}
    named = [r for r in rates if words & {w[:5] for w in _WORD.findall(r.subject)}]
    if named:
        return named[0]
    if set(win.what.split()) & _PRONOUNS:
        before = [r for r in rates if 0 <= text.find(r.source[:40]) < win.start]  # sources are read in the normalised text
        return before[-1] if before else None
    generic = words & {"traff", "reque", "activ", "usage", "load", "event"}
    return rates[0] if len(rates) == 1 and (generic or not words) else None


def _window_peaks(p: Plan, req: Requirement, w: Workload, used: list[Assumption]) -> None:
    text = normalise(req.text)
    for win in window_share(text):
        r = None if win.people else _stream_for(win, req, text)
        counted = None if win.people else counted_before(text, win)
        if r is None and (counted is None or not win.spread):
            _population_window(p, req, win, text)
            continue
        if r is not None and (counted is None or math.isclose(r.count_per_period, counted[0], rel_tol=0.01)
                              or _own_number(counted[0], r)):
            avg, how = stream_rate(r, w)
            period = win.period or ("day" if win.daily else r.period)
            volume, label = avg * RATE_SECONDS[period], r.subject or "events"
            basis = f"{n(volume)} {label}/{period} ({how})"
            of_stream = True
        else:  # a day's count said with the window ("14,000 filings between 16:00 and 23:59") is its volume
            volume, label = counted
            basis = f"{n(volume)} {label} (\"{win.phrase}\")"
            of_stream = False
        peak = win.share * volume / win.seconds
        if win.conventional:
            used.append(Assumption("share of traffic in the busy window", f"{MOST_SHARE:.0%}", "'most' read as the 80/20 convention"))
        p.add("derived", f"{label} per second (peak, in the stated window)", peak, "events/s",
              f"{win.share:g} x {basis} / {n(win.seconds)} s window = {n(peak)} /s (\"{win.phrase}\")")
        if of_stream:  # the parts each of the stream's things carries land in the same window
            add_window_parts(p, req, w, r, peak, win.phrase)
        if win.seconds >= 2 * DAY_S:  # a window of days (a filing rush, a sale week) is planned per day
            days = win.seconds / DAY_S
            p.add("derived", f"{label} per day (peak, in the stated window)", win.share * volume / days, "events/day",
                  f"{win.share:g} x {basis} / {n(days)} days window = {n(win.share * volume / days)} /day")
        if win.seconds >= 3600:  # a window of hours (a rush, a shift) is planned per hour, as its volume is said
            hours = win.seconds / 3600
            per_hour = win.share * volume / hours
            p.add("derived", f"{label} per hour (peak, in the stated window)", per_hour, "events/hour",
                  f"{win.share:g} x {basis} / {n(hours)} h window = {n(per_hour)} /hour")
            if win.spread and req.peak_factor:  # a working window's busiest hour is the stated multiple of its average
                pf = req.peak_factor.value
                p.add("derived", f"{label} per hour (busiest hour of the window)", per_hour * pf, "events/hour",
                      f"{n(per_hour)} /hour x {pf:g} (\"{req.peak_factor.source}\") = {n(per_hour * pf)} /hour")


def _own_number(count: float, r: RateMention) -> bool:
    """The count before a window is the stream's own per-holder number ("a clinic writes 120
    entries a day" with 140 clinics): the window's share is of the stream's total, not of 120."""
    own = r.source.split(" (x ")[0]
    return " (x " in r.source and bool(re.search(rf"(?<![\d.,]){re.escape(f'{count:.15g}')}(?![\d.,]\d)", own.replace(",", "")))


_COUNTED_BEFORE = re.compile(r"(?<![\d.,:])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|thousand|m|million)?\+?\s+"
                             r"(?:[a-z\-]+\s+){0,2}?(?P<who>[a-z\-]+s)\b", re.I)


_NOT_POPULATIONS = frozenset("hours minutes seconds days weeks months years bytes times".split())


def _count(m: re.Match) -> float:
    return float(m.group(1).replace(",", "")) * _SCALES.get((m.group(2) or "").lower(), 1.0)


def _population_window(p: Plan, req: Requirement, win: Window, text: str) -> None:
    """"Up to 12,000 students sit the exam ... almost all of them submit in the last 5
    minutes": a share of a stated population (no rate) acting in a window is a peak rate."""
    if win.daily:
        return
    own = _COUNTED_BEFORE.fullmatch(win.what)  # "nearly all 1,800 handovers fall into those 2.5 hours"
    found = [m for m in _COUNTED_BEFORE.finditer(text, 0, win.start)
             if not _PERIOD_AFTER.match(text, m.end()) and not re.match(r"\s*(?:per|each)\b", text[m.end():])]
    if own:
        found = [own]
    elif win.people:  # "everyone": the largest population counted before it, whatever else is counted between
        found = [m for m in found if m.group("who").lower() not in _NOT_POPULATIONS]
        found.sort(key=_count)
    elif not set(win.what.split()) & _PRONOUNS:
        # "60% of members claim in the first hour": a share of a population the text counts by that noun
        named = win.what.split()[-1] if win.what.split() else ""
        found = [m for m in found if named and m.group("who").lower() == named]
    if not found:
        return
    m = found[-1]
    count = _count(m)
    who = m.group("who").lower()
    if who in _NOT_POPULATIONS:
        return
    peak = win.share * count / win.seconds
    acting = "" if own else " acting"  # the window's own things ("1,800 handovers") are not people acting
    p.add("derived", f"{who}{acting} per second (peak, in the stated window)", peak, "requests/s",
          f"{win.share:g} x {n(count)} {who} / {n(win.seconds)} s window = {n(peak)} /s (\"{win.phrase}\")")
    if win.seconds >= 3600:  # a window of hours is planned per hour, as the text says it
        hours = win.seconds / 3600
        p.add("derived", f"{who}{acting} per hour (peak, in the stated window)", win.share * count / hours, "events/hour",
              f"{win.share:g} x {n(count)} {who} / {n(hours)} h window = {n(win.share * count / hours)} /hour")
    if req.media_bytes:  # each of them moves the stated object: the window's bandwidth and the objects kept
        size = req.media_bytes.value
        p.add_bytes("derived", f"{who} upload bandwidth (peak, in the stated window)", peak * size, "/s",
                    f"{n(peak)} /s x {n(size)} B")
        p.add_bytes("derived", f"objects from all {who}", count * size, "", f"{n(count)} {who} x {n(size)} B")


def _horizon_storage(p: Plan, req: Requirement, w: Workload, used: list[Assumption]) -> None:
    """A query over the last N days needs N days of events kept, when no retention is stated;
    within a longer stated retention the last N days are the hot tier the fast path serves
    ("open any study from the last 90 days within 2 seconds", kept 10 years)."""
    m = _HORIZON.search(req.text)
    streams = [r for r in req.rates if "deadline" not in r.subject]
    if not m or not streams:
        return
    keep = float(m.group(1)) * DURATION_S[duration_unit(m.group(2))]
    if req.retention and keep >= req.retention.value:
        return
    what = "in the hot tier (the queried horizon)" if req.retention else "kept for the queried horizon"
    for r in streams:
        avg, _ = stream_rate(r, w)
        if not avg:
            continue  # a per-user rate with nobody counted to act on it keeps nothing
        size, _how = row_bytes(r, req, w) if req.retention else (event_bytes(req, used), "")
        p.add_bytes("derived", f"{r.subject or 'events'} {what}", avg * keep * size, "",
                    f"{n(avg * DAY_S)} /day x {n(keep / DAY_S)} days x {n(size)} B (\"{' '.join(m.group(0).split())}\")")


def _held_volumes(p: Plan, req: Requirement) -> None:
    """The average size of one of the things a stated volume holds (180 TB / 300M documents)."""
    for vol, count in held_counts(req.figures, normalise(req.text)):
        thing = count.meaning[len("count of "):]
        p.add_bytes("derived", f"average size of one of the {thing}", vol.value / count.value, "",
                    f"{n(vol.value / 1e12)} TB held (\"{vol.phrase}\") / {n(count.value)} {thing}")


def _stored_counts(p: Plan, req: Requirement, w: Workload, used: list[Assumption]) -> None:
    """A stated count of things the system keeps ("2,000 flags", "1.2M items") is a data set,
    unless the text states the volume they hold; another count of the same things ("a typical
    matter is 5 million documents") is sized at the average that volume gives."""
    pairs = held_counts(req.figures, normalise(req.text))
    held = {id(count) for _vol, count in pairs}
    average = {count.meaning: vol.value / count.value for vol, count in pairs}
    for f in req.figures:
        if not f.meaning.startswith("count of ") or f.value < 1000 or id(f) in held:
            continue
        thing = f.meaning[len("count of "):]
        if bound_size(req, w, thing):
            continue  # its own size is stated: compose.py sizes it from that
        if f.meaning in average:
            size = average[f.meaning]
        elif req.record_bytes:
            size = req.record_bytes.value
        else:
            size = ROW_BYTES
            used.append(Assumption("stored item size", f"{ROW_BYTES:g} B", "no size was stated for a stored item; a row with its fields and metadata"))
        p.add_bytes("derived", f"{thing}: data set size", f.value * size, "", f"{n(f.value)} {thing} x {n(size)} B")


def _chained_counts(p: Plan, req: Requirement, used: list[Assumption]) -> None:
    """"45 hotels, 150 rooms each": the total the system keeps (6,750 rooms) and its size."""
    text = normalise(req.text)
    streams = {r.subject for r in req.rates if r.per_user}
    rated = {r.subject.split()[-1] for r in req.rates if r.subject and "(x " in r.source}
    for total, thing, how in count_chains(text, numbers(text), [], set()):
        if thing in streams or thing in rated:
            continue  # "they initiate 3 trades each" on a given day is a per-user rate, sized there; "each with 5
            # movements a day" is a rate per holder, sized by the rate parser
        p.add("derived", f"{thing} (total)", total, "count", how)
        if total >= 1000:
            size = req.record_bytes.value if req.record_bytes else ROW_BYTES
            if not req.record_bytes:
                used.append(Assumption("stored item size", f"{ROW_BYTES:g} B", "no size was stated for a stored item; a row with its fields and metadata"))
            p.add_bytes("derived", f"{thing}: data set size", total * size, "", f"{n(total)} {thing} x {n(size)} B")


def crowd(text: str) -> tuple[float, str, str] | None:
    """(people, who, phrase) for a crowd told to come at one moment ("2M fans show up at 10:00")."""
    m = _CROWD.search(text)
    if not m:
        return None
    count = float(m.group(1).replace(",", "")) * _SCALES.get((m.group(2) or "").lower(), 1.0)
    return (count, m.group("who").lower(), " ".join(m.group(0).split())) if count else None


def _crowd_arrivals(p: Plan, req: Requirement, used: list[Assumption]) -> None:
    found = crowd(req.text)
    if not found:
        return
    people, who, phrase = found
    used.append(Assumption("arrival window", f"{ARRIVAL_WINDOW_S // 60} minutes",
                           "a crowd told to come at one moment does not arrive in one second; it spreads over a few minutes"))
    rate = people / ARRIVAL_WINDOW_S
    p.add("derived", f"{who} arriving per second (peak burst)", rate, "requests/s",
          f"{n(people)} {who} / {ARRIVAL_WINDOW_S} s (arrivals over ~{ARRIVAL_WINDOW_S // 60} minutes, assumed) = {n(rate)} /s (\"{phrase}\")")


def online_share(text: str) -> tuple[float, str] | None:
    """(share, phrase) for "5% of users are online at peak" / "a tenth of members connected at once"."""
    m = _ONLINE.search(text)
    return (float(m.group(1)) / 100, " ".join(m.group(0).split())) if m else None


def concurrency(req: Requirement) -> tuple[float, str] | None:
    """Concurrent sessions: stated, or the stated share of the users who are online at once."""
    if req.concurrent_connections:
        return req.concurrent_connections.value, req.concurrent_connections.source
    share = online_share(req.text)
    users = req.daily_active_users or req.total_users or req.monthly_active_users
    if share and users:
        return share[0] * users.value, f"{share[0]:g} x {n(users.value)} users (\"{share[1]}\")"
    return None


def _session_requests(p: Plan, req: Requirement, used: list[Assumption]) -> None:
    """Concurrent sessions each send or poll now and then: their request rate."""
    found = concurrency(req)
    if not found or any(r.per_user and r.period in ("second", "minute", "hour") for r in req.rates):
        return  # no assumed activity when the text says what each online user does
    sessions, source = found
    if not req.concurrent_connections:
        p.add("derived", "concurrent users online (derived)", sessions, "connections", source)
    stated = connected_interval(req)
    if stated:  # the text says how often a connected session sends: nothing is assumed
        if interval_rate(req.text, stated.phrase) is None:  # senders the text does not count: the sessions
            rate = sessions / stated.seconds
            p.add("derived", f"{stated.sent} from connected sessions per second (peak)", rate, "requests/s",
                  f"{n(sessions)} concurrent / {n(stated.seconds)} s interval = {n(rate)} /s ({source}; \"{stated.phrase}\")")
        return
    used.append(Assumption("activity of a connected session", f"one request every {SESSION_INTERVAL_S} s",
                           "an active chat, status page or live view sends or polls every few seconds"))
    rate = sessions / SESSION_INTERVAL_S
    p.add("derived", "requests from concurrent sessions per second (peak)", rate, "requests/s",
          f"{n(sessions)} concurrent / {SESSION_INTERVAL_S} s per request (assumed) = {n(rate)} /s ({source})")


_PEOPLE_MEANINGS = ("users (registered)", "daily active users", "monthly active users")


def _group_sessions(p: Plan, req: Requirement) -> None:
    """People online at once in groups of a stated size: the groups at once and, with a stated
    length of one group, how many start per second (Little's law)."""
    found = concurrency(req)
    if not found:
        return
    people, source = found
    nouns = [w for f in req.figures if f.meaning in _PEOPLE_MEANINGS for w in _WORD.findall(f.phrase.lower()) if w.endswith("s")]
    g = groups_at_once(normalise(req.text), people, source, nouns)
    if not g:
        return
    p.add("derived", f"{g.groups()} at once (peak)", g.at_once, "count", f"{n(people)} {g.member} at once / {g.size:g} {g.member} per {g.group} (\"{g.phrase}\") = {n(g.at_once)}")
    if g.length_s:
        rate = g.started_per_second()
        p.add("derived", f"{g.groups()} started per second (peak)", rate, "events/s",
              f"{n(g.at_once)} at once / {n(g.length_s)} s per {g.group} (\"{g.length_phrase}\") = {n(rate)} /s (Little's law)")


def _deadline_batches(p: Plan, req: Requirement) -> None:
    """A batch that must finish within a deadline writes one row per item it processes;
    a batch of people ("pays 80,000 employees ... within 2 hours") also sets a rate."""
    for f in req.figures:
        if f.meaning.startswith("write rate (") and "(deadline)" in f.meaning and f.value >= 1:
            p.add("derived", "rows written per batch (one per item processed)", f.value, "rows",
                  f"{n(f.value)} items, one send/result row each (\"{f.phrase}\")")
    for r, seconds, phrase in period_batches(req):
        rate = r.count_per_period / seconds
        p.add("derived", f"{r.subject} per second to finish one {r.period}'s batch within the deadline", rate, "events/s",
              f"{n(r.count_per_period)} {r.subject}/{r.period} / {n(seconds)} s = {n(rate)} /s (\"{phrase}\")")
    for count, who, seconds, phrase in people_batches(req):
        rate = count / seconds
        p.add("derived", f"{who} processed per second to meet the deadline", rate, "events/s",
              f"{n(count)} {who} / {n(seconds)} s = {n(rate)} /s (\"{phrase}\")")
        p.add("derived", "rows written per batch (one per item processed)", count, "rows", f"{n(count)} {who}, one result row each")


def _clock_batches(p: Plan, req: Requirement) -> None:
    """A daily batch between a start and a deadline over a counted population ("after the
    ledger closes at 00:30 we compute each account's interest ...; posted by 05:00" with "4M
    accounts"): the window, the items per second it must sustain, and the rows a year of runs
    writes (one per item per day)."""
    text = normalise(req.text)
    for bw in batch_windows(text):
        found = _population(text, bw.item)
        if not found:
            continue  # items the text never counts: no rate from nothing
        count, items, _ = found
        window = f"{bw.start} to {bw.end}"
        p.add("derived", f"batch window ({window})", bw.seconds, "s", f"{window} = {n(bw.seconds / 3600)} h = {n(bw.seconds)} s (\"{bw.phrase[:90]}\")")
        for label, total, how in _batch_sizes(count, items, req):
            rate = total / bw.seconds
            p.add("derived", f"{items} processed per second to finish within the window{label}", rate, "events/s",
                  f"{n(total)} {items}{how} / {n(bw.seconds)} s = {n(rate)} /s (one write per {bw.item}; a rerun inside the "
                  "window needs twice this)")
            p.add("derived", f"rows written per year (one per {bw.item} per daily run){label}", total * 365, "rows",
                  f"{n(total)} {items} x 365 runs = {n(total * 365)}")


def _batch_sizes(count: float, items: str, req: Requirement) -> list[tuple[str, float, str]]:
    """The population today and, when the text states where it grows to, at that size."""
    out = [("", count, "")]
    target = population_target(normalise(req.text), items)
    if target and target.count > count:
        out.append((f" at {n(target.count)} {items}", target.count, f" (\"{target.phrase}\")"))
    return out


def period_batches(req: Requirement) -> list[tuple[RateMention, float, str]]:
    """(rate, seconds, phrase) when a period's volume is produced as one batch under a
    deadline ("1.5M payslips are generated monthly and must be produced within 6 hours")."""
    out = []
    for f in req.figures:
        if f.meaning != "deadline / time budget" or f.value <= 0 or not _DEADLINE_VERB.search(f.phrase):
            continue
        for r in req.rates:
            noun = (r.subject.split() or [""])[-1]
            if r.period in ("day", "week", "month", "year") and not r.per_user and noun and noun in f.phrase.lower() \
                    and f.value < RATE_SECONDS[r.period]:
                out.append((r, f.value, f.phrase))
                break
    return out


def people_batches(req: Requirement) -> list[tuple[float, str, float, str]]:
    """(count, who, seconds, phrase) for a deadline whose clause counts the people a batch
    serves; the rate extractor leaves people to the user counts, so the deadline is read here."""
    out = []
    people = {f.phrase: f for f in req.figures if f.unit == "users" and f.value >= 1000}
    for f in req.figures:
        if f.meaning != "deadline / time budget" or f.phrase not in people:
            continue
        who = re.search(_COUNT + r"\s+(?:[a-z\-]+\s+){0,2}?([a-z\-]+s)\b", f.phrase, re.I)
        if who and _DEADLINE_VERB.search(f.phrase, who.end()) and f.value > 0:
            out.append((people[f.phrase].value, who.group(3).lower(), f.value, f.phrase))
    return out


def _fanout_deliveries(p: Plan, req: Requirement, w: Workload) -> None:
    """Each written item goes to N recipients: deliveries are the write rate times N
    (the feed domain sizes its own timeline inserts)."""
    if not req.fanout or "feeds" in req.domains:
        return
    fan = req.fanout.value
    for r in req.rates:
        if r.kind == "read" or "deadline" in r.subject:
            continue
        avg, how = stream_rate(r, w)
        label = r.subject or "events"
        p.add("derived", f"deliveries of {label} per second (average, fan-out)", avg * fan, "events/s",
              f"{n(avg)} {label}/s ({how}) x {n(fan)} recipients each = {n(avg * fan)} /s")
        p.add("derived", f"deliveries of {label} per second (peak, fan-out)", avg * fan * w.peak_factor, "events/s",
              f"{n(avg * fan)} /s x {w.peak_factor:g} (peak factor)")
        p.add("derived", f"deliveries of {label} per day", avg * fan * DAY_S, "events/day", f"{n(avg * fan)} /s x 86,400 s")


def _occupancy(p: Plan, req: Requirement, w: Workload) -> None:
    """Sessions, visits or calls open at once (Little's law) and the bandwidth they carry."""
    found = occupancies(req, [(r, stream_rate(r, w)[0]) for r in req.rates], w.peak_factor)
    for o in found:
        p.add("derived", f"{o.subject} open at once (average, Little's law)", o.average, "count",
              f"{o.formula} = {n(o.average)}")
        p.add("derived", f"{o.subject} open at once (peak)", o.peak, "count",
              f"{n(o.average)} x {w.peak_factor:g} (peak factor) = {n(o.peak)}")
    carried = streams_carried(req, found)
    if carried and req.stream_bitrate:
        streams, what = carried
        p.add_bytes("derived", f"bandwidth of {what} (peak)", streams * req.stream_bitrate.value, "/s",
                    f"{n(streams)} {what} x {n(req.stream_bitrate.value)} B/s (\"{req.stream_bitrate.source}\")")

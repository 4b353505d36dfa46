"""Capacity arithmetic composed per subject from whatever the text binds to it.

For each noun the text counts or streams, the quantities bound to it (subjects.py) are
multiplied the way an engineer does on a whiteboard:

    count x size            = the stored data set   (12M images x 9.5 MB = 114 TB)
    rate x size             = bandwidth, volume per day, per month; x retention = kept bytes
    rate x per-item factor  = a second stream       (90,000 bags/day x 7 scans = 630,000/day)
    share x stream / window = the second stream's peak, when the first's window is stated
    peak x burst duration   = what one burst brings (16.7 alerts/s for 15 minutes = 15,000)

A line is added only when no line of the plan already shows the same value in the same
unit, so a subject the older per-domain code sized is not shown twice.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from servicelens.design.capacity import DAY_S, Plan, n, size_unit
from servicelens.design.catalog import people_nouns
from servicelens.design.distributions import per_actor, per_holder
from servicelens.design.measures import DURATION_S, duration_unit
from servicelens.design.rates import RATE_SECONDS
from servicelens.design.retentions import retention_for
from servicelens.design.subjects import PerItem, SubjectSize, about, anchor_before, bind_per_items, bind_sizes, head
from servicelens.design.text import normalise, numbers, sentence_bounds
from servicelens.design.windows import window_share
from servicelens.design.workload import Workload
from servicelens.design.workloads import stream_rate
from servicelens.model.design import Requirement

MONTH_S = 30 * DAY_S
_BURST = re.compile(r"\bfor\s+(?:about\s+|around\s+|up\s+to\s+|~\s*)?(?P<n>\d+(?:\.\d+)?)\s*(?P<u>seconds?|secs?|minutes?|mins?|hours?|hrs?)\b",
                    re.I)


@dataclass(frozen=True, slots=True)
class Stream:
    """A flow of one subject: its average per second and how that was obtained."""

    subject: str
    average: float
    how: str
    period: str  # the period the text stated it in (its volume per that period is shown)


def size_of(subject: str, sizes: list[SubjectSize]) -> tuple[float, str] | None:
    """(bytes, how) of one of `subject`: its typical sizes, summed when one adds to another
    ("8 MB original ... add 1.5 MB per image"). A ceiling ("uploads of up to 10 MB") is no
    typical size: multiplied by a count or a rate it would size the worst case as the usual."""
    mine = [s for s in sizes if about(s.subject, subject) or about(subject, s.subject)]
    typical = [s for s in mine if not s.ceiling]
    if not typical:
        return None
    base = [s for s in typical if not s.additive][:1] or typical[:1]
    extra = [s for s in typical if s.additive and s not in base]
    total = sum(s.value for s in base + extra)
    parts = [f"{_size(s.value)} (\"{s.phrase}\")" for s in base + extra]
    return total, parts[0] if len(parts) == 1 else f"({' + '.join(parts)} = {_size(total)})"


def _size(b: float) -> str:
    value, unit = size_unit(b)
    return f"{n(value)} {unit}"


def subject_sizes(req: Requirement, w: Workload) -> list[SubjectSize]:
    """Every stated size with the subject it is bound to."""
    text = normalise(req.text)
    return list(_sizes(text, tuple(dict.fromkeys(_anchors(req, streams(req, w), bind_per_items(text))))))


@lru_cache(maxsize=8)
def _sizes(text: str, anchors: tuple[str, ...]) -> tuple[SubjectSize, ...]:
    """Memo of a pure function: every stream's row size asks for the same bindings."""
    return tuple(bind_sizes(text, numbers(text), list(anchors)))


def bound_size(req: Requirement, w: Workload, subject: str) -> tuple[float, str] | None:
    """The size the text binds to `subject`, if any (for callers sizing a stored count)."""
    return size_of(subject, subject_sizes(req, w))


def _counts(req: Requirement) -> list[tuple[str, float]]:
    return [(f.meaning[len("count of "):], f.value) for f in req.figures if f.meaning.startswith("count of ") and f.value >= 2]


def _anchors(req: Requirement, base: list[Stream], factors: list[PerItem]) -> list[str]:
    return [s.subject for s in base] + [c[0] for c in _counts(req)] + [f.name() for f in factors] + [f.holder for f in factors]


def streams(req: Requirement, w: Workload) -> list[Stream]:
    out = []
    for r in req.rates:
        if "deadline" in r.subject or not r.subject:
            continue
        avg, how = stream_rate(r, w)
        if avg > 0:
            out.append(Stream(r.subject, avg, how, r.period))
    return out


def derived_streams(base: list[Stream], factors: list[PerItem]) -> list[tuple[Stream, Stream, PerItem]]:
    """(holder stream, new stream, factor) for each per-item factor whose holder is streamed."""
    out = []
    for f in factors:
        for s in base:
            if about(s.subject, f.holder):
                out.append((s, Stream(f.name(), s.average * f.factor, f"{n(s.average)} {s.subject}/s ({s.how}) x {f.factor:g} (\"{f.phrase}\")",
                                      s.period), f))
                break
    return out


def add_composed(plan: Plan, req: Requirement, w: Workload) -> None:
    """Every per-subject product whose factors the text states."""
    text = normalise(req.text)
    base = streams(req, w)
    counts = _counts(req)
    factors = bind_per_items(text)
    derived = derived_streams(base, factors)
    sizes = list(_sizes(text, tuple(dict.fromkeys(_anchors(req, base, factors)))))
    for thing, count in counts:
        size = size_of(thing, sizes)
        if size and count * size[0] >= 1e6:
            _bytes(plan, f"{thing}: stored size", count * size[0], "", f"{n(count)} {thing} x {size[1]}")
    for holder, s, f in derived:
        _derived_stream(plan, req, w, holder, s, text)
    for s in base + [d[1] for d in derived]:
        size = size_of(s.subject, sizes)
        if size:
            _sized_stream(plan, req, s, size)
    _bursts(plan, req, w, base, text)
    _in_progress(plan, req, w, base, text)
    for d in per_holder(text) + per_actor(text, people_nouns()):
        per = f" per {d.period}" if d.period else ""
        _add(plan, f"{d.members} per {d.holder}{per} (average)", d.value, f"events/{d.period}" if d.period else "count", d.formula)


def _has(plan: Plan, value: float, unit: str) -> bool:
    return any(i.unit == unit and abs(i.value - value) <= 0.01 * max(abs(value), 1e-12) for i in plan.items)


def _add(plan: Plan, name: str, value: float, unit: str, formula: str) -> None:
    if value > 0 and not _has(plan, float(f"{value:.4g}"), unit):
        plan.add("derived", name, value, unit, formula)


def _bytes(plan: Plan, name: str, b: float, per: str, formula: str) -> None:
    value, unit = size_unit(b)
    if b > 0 and not _has(plan, float(f"{value:.4g}"), unit + per):
        plan.add_bytes("derived", name, b, per, formula)


def _derived_stream(plan: Plan, req: Requirement, w: Workload, holder: Stream, s: Stream, text: str) -> None:
    _add(plan, f"{s.subject} per day", s.average * DAY_S, "events/day", f"{s.how} x 86,400 s = {n(s.average * DAY_S)}")
    _add(plan, f"{s.subject} per second (average)", s.average, "events/s", f"{s.how} = {n(s.average)} /s")
    _add(plan, f"{s.subject} per second (peak)", s.average * w.peak_factor, "events/s",
         f"{n(s.average)} /s x {w.peak_factor:g} (peak factor) = {n(s.average * w.peak_factor)} /s")
    factor = s.average / holder.average if holder.average else 0.0
    for win in window_share(text):
        if not win.what or not (about(win.what, holder.subject) or about(s.subject, head(win.what))):
            continue
        period = win.period or ("day" if win.daily else holder.period)
        volume = s.average * RATE_SECONDS.get(period, DAY_S)
        peak = win.share * volume / win.seconds
        _add(plan, f"{s.subject} per second (peak, in the stated window)", peak, "events/s",
             f"{win.share:g} x {n(volume)} {s.subject}/{period} ({n(factor)} per one of {holder.subject}) / {n(win.seconds)} s = {n(peak)} /s "
             f"(\"{win.phrase}\")")
    kept = retention_for(req, s.subject)
    if kept:
        days = kept.value / DAY_S
        _add(plan, f"{s.subject} kept over the retention period", s.average * kept.value, "count",
             f"{n(s.average * DAY_S)} /day x {n(days)} days")


def _sized_stream(plan: Plan, req: Requirement, s: Stream, size: tuple[float, str]) -> None:
    b, how = size
    _bytes(plan, f"{s.subject} bandwidth (average)", s.average * b, "/s", f"{n(s.average)} /s x {how}")
    _bytes(plan, f"{s.subject} volume per day", s.average * DAY_S * b, "/day", f"{n(s.average * DAY_S)} /day x {how}")
    if s.period in ("week", "month", "year"):
        seconds = {"week": 7 * DAY_S, "month": MONTH_S, "year": 365 * DAY_S}[s.period]
        _bytes(plan, f"{s.subject} volume per {s.period}", s.average * seconds * b, f"/{s.period}",
               f"{n(s.average * seconds)} /{s.period} x {how}")
    _bytes(plan, f"{s.subject} volume per year", s.average * 365 * DAY_S * b, "/year", f"{n(s.average * DAY_S)} /day x 365 x {how}")
    kept = retention_for(req, s.subject)
    if kept:
        days = kept.value / DAY_S
        _bytes(plan, f"{s.subject} stored over the retention period", s.average * kept.value * b, "",
               f"{n(s.average * DAY_S)} /day x {n(days)} days x {how}")


def _bursts(plan: Plan, req: Requirement, w: Workload, base: list[Stream], text: str) -> None:
    """A peak held for a stated time ("spike to 20x that for 15 minutes") brings peak x time."""
    if not req.peak_factor or not base:
        return
    src = req.peak_factor.source
    at = text.find(src[:40]) if src else -1
    if at < 0:
        return
    _s0, s1 = sentence_bounds(text, at)
    m = _BURST.search(text, at, min(s1, at + len(src) + 40))
    if not m:
        return
    seconds = float(m.group("n")) * DURATION_S[duration_unit(m.group("u"))]
    before = [b for b in base if 0 <= text.find(b.subject) <= at + len(src)] or base
    s = max(before, key=lambda x: x.average)
    peak = s.average * w.peak_factor
    _add(plan, f"{s.subject} in one burst ({n(seconds / 60)} minutes at peak)", peak * seconds, "events",
         f"{n(peak)} /s x {n(seconds)} s (\"{' '.join(text[at:m.end()].split())}\") = {n(peak * seconds)}")


# The length of one item, said as such: "an average journey of 2 hours", "each visit lasts 40 minutes".
_ITEM_LENGTH = re.compile(r"\b(?:average|typical|mean|each|lasts?|lasting|takes?|taking)\b", re.I)
_PER_HOLDER = re.compile(r"\bper\s+(?P<holder>[a-z][a-z\-]+)\b", re.I)


def _in_progress(plan: Plan, req: Requirement, w: Workload, base: list[Stream], text: str) -> None:
    """A stated length of one item of a stream ("an average journey of 2 hours" after "90,000 bags
    a day") gives the items under way at once (Little's law: rate x length); a rate stated per
    one of them ("1 lookup per bag per hour while it is in transit") acts on that many."""
    lengths = [f for f in req.figures if f.meaning == "duration" and f.unit == "s" and f.value > 0]
    for s in base:
        if " per " in f" {s.subject} ":
            continue
        length = next((f for f in lengths if length_of(text, f.phrase, s.subject, [b.subject for b in base])), None)
        if not length:
            continue
        open_now = s.average * length.value
        _add(plan, f"{s.subject} under way at once (average, Little's law)", open_now, "count",
             f"{n(s.average)} /s x {n(length.value)} s (\"{length.phrase}\") = {n(open_now)}")
        for r in req.rates:
            holder = _PER_HOLDER.search(r.subject)
            if not holder or not about(s.subject, holder.group("holder")) or r.per_user:
                continue
            rate = r.per_second * open_now
            what = r.subject[:holder.start()].strip() or "events"
            _add(plan, f"{what} per second (per one of {n(open_now)} {s.subject} under way)", rate, "events/s",
                 f"{r.count_per_period:g} per {holder.group('holder')} per {r.period} ({n(r.per_second)} /s) x {n(open_now)} = {n(rate)} /s")


def length_of(text: str, phrase: str, subject: str, subjects: list[str]) -> bool:
    """Whether a stated length belongs to `subject`: its phrase names it, or names no stream and
    its sentence's nearest streamed noun before it is `subject`."""
    if about(phrase, subject):
        return True
    if any(about(phrase, other) for other in subjects) or not _ITEM_LENGTH.search(phrase):
        return False  # another stream's, or not the length of one item ("down for up to 15 minutes")
    at = text.find(phrase)
    if at < 0:
        return False
    near = anchor_before(text, at, subjects)
    return bool(near) and near == subject

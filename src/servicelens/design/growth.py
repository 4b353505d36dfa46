"""Growth over years: "volume grows 20% per year and we plan for the next five years",
"sales expects 3x within two years", "traffic doubles every year".

A design sized on today's volume is out of date before it ships; a principal engineer sizes
the horizon the text names: the volume at its end and the storage written over it, each
year larger than the last (compounded, not linear).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.capacity import DAY_S, Plan, n
from servicelens.design.text import normalise, numbers, sentence_bounds
from servicelens.design.work_items import find_work
from servicelens.design.workload import YEAR_S, Workload
from servicelens.design.workloads import stream_rate
from servicelens.model.design import Assumption, Requirement

_YEARS = r"(?P<y>\d+(?:\.\d+)?)\s*(?:years?|yrs?)"
_PERCENT = re.compile(
    r"\b(?:grow|grows|growing|grew|growth|increase|increases|increasing|rise|rises|rising)\s+(?:of\s+|by\s+|at\s+)?(?:about\s+|~)?"
    r"(?P<p>\d+(?:\.\d+)?)\s*%\s*(?:a|per|each|every|/)\s*year\b"
    r"|(?P<p2>\d+(?:\.\d+)?)\s*%\s*(?:year[- ]over[- ]year|yoy|annual(?:ly)?|per\s+year|a\s+year|each\s+year)\s*(?:growth)?", re.I)
_MULTIPLE = re.compile(
    r"(?P<x>\d+(?:\.\d+)?)\s*x\s+(?:growth\s+)?(?:within|in|over|by)\s+(?:the\s+next\s+)?" + _YEARS +
    r"|\b(?P<w>double|doubles|doubling|triple|triples|tripling|quadruple|quadruples)\s+(?:within|in|over)\s+(?:the\s+next\s+)?"
    + _YEARS.replace("?P<y>", "?P<y2>"), re.I)
# "600 sensors today, growing to 5,000 within 3 years", "from 40 to 400 stores in 2 years":
# a count now and the count it reaches are the multiple
_TO_COUNT = re.compile(r"\b(?:grow\w*|ris\w*|scal\w*|expand\w*|increas\w*|reach\w*|going)\s+(?:up\s+)?to\s+~?(?P<m>\d+(?:\.\d+)?)"
                       r"\s*(?:[a-z\-]+\s+){0,2}?(?:within|in|by|over)\s+(?:the\s+next\s+)?" + _YEARS.replace("?P<y>", "?P<y3>"), re.I)
_COUNT_BEFORE = re.compile(r"(?<![\d.])(?P<n>\d+(?:\.\d+)?)\s+(?:[a-z\-]+\s+){0,2}?[a-z\-]+s\b[^.;]*$", re.I)
_EVERY_YEAR = re.compile(r"\b(?P<w>double|doubles|doubling|triple|triples|tripling)\s+(?:every|each)\s+year\b", re.I)
_HORIZON = re.compile(r"\b(?:next|coming|following|over|for|within|in)\s+(?:the\s+next\s+)?" + _YEARS, re.I)
_WORD_MULTIPLE = {"double": 2, "doubles": 2, "doubling": 2, "triple": 3, "triples": 3, "tripling": 3,
                  "quadruple": 4, "quadruples": 4}
# Without a stated horizon, growth is sized over the usual planning horizon.
DEFAULT_YEARS = 3.0


@dataclass(frozen=True, slots=True)
class Growth:
    per_year: float  # multiplier per year (1.2 for 20%)
    years: float  # planning horizon
    phrase: str
    horizon_stated: bool


def find_growth(text: str) -> Growth | None:
    """The growth the text states, with its horizon; None when it states none."""
    m = _MULTIPLE.search(text)
    if m:
        factor = float(m.group("x")) if m.group("x") else _WORD_MULTIPLE[m.group("w").lower()]
        years = float(m.group("y") or m.group("y2"))
        if factor > 1 and years > 0:
            return Growth(factor ** (1 / years), years, " ".join(m.group(0).split()), True)
    m = _TO_COUNT.search(text)
    now = _COUNT_BEFORE.search(text, max(0, m.start() - 120), m.start()) if m else None
    if m and now and float(now.group("n")) > 0:
        factor, years = float(m.group("m")) / float(now.group("n")), float(m.group("y3"))
        if factor > 1 and years > 0:
            return Growth(factor ** (1 / years), years, " ".join(text[now.start():m.end()].split()), True)
    m = _PERCENT.search(text) or _EVERY_YEAR.search(text)
    if not m:
        return None
    per_year = _WORD_MULTIPLE[m.group("w").lower()] if m.groupdict().get("w") else \
        1 + float(m.group("p") or m.group("p2")) / 100
    horizon = _HORIZON.search(text, m.end()) or _HORIZON.search(text)
    years = float(horizon.group("y")) if horizon else DEFAULT_YEARS
    if per_year <= 1 or years <= 0:
        return None
    return Growth(per_year, years, " ".join(m.group(0).split()), bool(horizon))


def add_growth(p: Plan, req: Requirement, w: Workload) -> tuple[Assumption, ...]:
    """Volume at the horizon and storage over it for the main stated stream; the assumption
    of a horizon when the text gives none."""
    text = normalise(req.text)
    g = find_growth(text)
    if not g:
        return ()
    streams = [(r, *stream_rate(r, w)) for r in req.rates if r.kind != "read" and "deadline" not in r.subject]
    streams = [s for s in streams if s[1] > 0]
    if not streams:
        return ()
    r, avg, _ = max(streams, key=lambda s: s[1])
    label = r.subject or "events"
    end = g.per_year ** g.years
    yrs = f"{g.years:g} years"
    how = f"x {g.per_year:.4g}^{g.years:g} = x {end:.3g} (\"{g.phrase}\")"
    p.add("derived", f"{label} per day in {yrs}", avg * DAY_S * end, "events/day", f"{n(avg * DAY_S)} /day {how}")
    p.add("derived", f"{label} per second (average) in {yrs}", avg * end, "events/s", f"{n(avg)} /s {how}")
    p.add("derived", f"{label} per second (peak) in {yrs}", avg * w.peak_factor * end, "events/s",
          f"{n(avg)} /s x {w.peak_factor:g} (peak factor) {how}")
    size = (req.media_bytes or req.record_bytes)
    if size:  # the volume a year at the horizon's rate, and the bandwidth it arrives at
        p.add_bytes("derived", f"{label} volume per year in {yrs}", avg * end * YEAR_S * size.value, "/year",
                    f"{n(avg * end)} /s x 365 days x {n(size.value)} B")
        p.add_bytes("derived", f"{label} ingest bandwidth (average) in {yrs}", avg * end * size.value, "/s",
                    f"{n(avg * end)} /s x {n(size.value)} B")
        years = int(g.years) if float(g.years).is_integer() else int(g.years) + 1
        total = sum(g.per_year ** y for y in range(years))
        stored = avg * YEAR_S * size.value * total
        p.add_bytes("derived", f"{label} stored over {yrs} with growth", stored, "",
                    f"{n(avg * YEAR_S)} /year x {n(size.value)} B x (1 + {g.per_year:.4g} + ... {g.per_year:.4g}^{years - 1} = {total:.3g})")
    work = find_work(text)
    if work and work.cpu:
        p.add("derived", f"worker vCPU in {yrs} (average)", avg * end * work.seconds, "vCPU",
              f"{n(avg)} /s {how} x {work.seconds:g} s of CPU")
    if g.horizon_stated:
        return ()
    return (Assumption("growth horizon", f"{DEFAULT_YEARS:g} years", "the text states growth but no horizon; a design is "
                       "usually sized for the next three years"),)


@dataclass(frozen=True, slots=True)
class Target:
    """The count a stated population is expected to reach ("growing to 12M in 2 years")."""

    count: float
    phrase: str


# A count said as where a population is heading: "growing to 12M", "expect 50,000 controllers
# within 3 years", "plan to reach 10,000 chargers by end of 2027" ("up to 6 tiers" is a maximum).
_TOWARDS = re.compile(r"(?:\b(?:grow\w*|ris(?:e|es|ing)|scal(?:e|es|ing)|expand\w*|increas\w*)\s+(?:up\s+)?to|"
                      r"\breach(?:es|ing)?|\bexpect(?:s|ed|ing)?|\bplan(?:s|ned|ning)?\s+(?:to\s+reach|for)|\btarget(?:s|ing)?|"
                      r"\bforecasts?)\s+(?:about\s+|around\s+|roughly\s+|~)?$", re.I)
_FUTURE = re.compile(r"\s*(?:within|in|by|over)\s+(?:the\s+next\s+)?(?:\d+(?:\.\d+)?\s*(?:years?|yrs?|months?)|(?:the\s+)?end\s+of(?:\s+\d{4})?|\d{4})",
                     re.I)


def population_target(text: str, noun: str) -> Target | None:
    """The largest count of `noun` (a plural) the text says it grows to; None when it says none.
    A count after a verb of heading ("growing to", "expect", "reach") belongs to the noun that
    follows it, or, when none follows, to the noun counted just before in the same sentence."""
    stem = noun[:-1] if noun.endswith("s") else noun
    best = None
    for num in numbers(text):
        lo = max(0, num.start - 40)
        towards = _TOWARDS.search(text[lo:num.start])
        if not towards:
            continue
        after = re.match(rf"\s*(?:(?!(?:per|a|an|each|every|of|for)\b)[a-z\-]+\s+){{0,2}}?{re.escape(stem)}s?\b", text[num.end:], re.I)
        if not after:
            a, _ = sentence_bounds(text, num.start)
            counted = re.search(rf"\d\s*(?:k|m|million|thousand)?\+?\s+(?:[a-z\-]+\s+){{0,2}}?{re.escape(stem)}s?\b", text[a:num.start], re.I)
            if not counted or not _FUTURE.match(text, num.end):
                continue
        end = num.end + (after.end() if after else 0)
        horizon = _FUTURE.match(text, end)
        phrase = " ".join(text[lo + towards.start():(horizon.end() if horizon else end)].split())
        if best is None or num.value > best.count:
            best = Target(num.value, phrase)
    return best

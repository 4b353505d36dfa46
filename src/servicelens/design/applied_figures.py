"""Figures that apply one stated quantity to the subject of another.

The composition an engineer does after reading the volumes: a stated share of a counted
stream is a second stream; the time one of them takes gives the people (or workers) busy
at once; a stream that runs only some hours of the day is faster while it runs; an item
that reaches every member of a counted population is that many deliveries, and a deadline
for reaching them all is a delivery rate; a per-recipient bitrate times the audience at
once is the egress. Every figure names its subject and shows its arithmetic; nothing is
produced for a subject the text does not count.

    share x stream               2% of 120M swipes/day = 2.4M matches/day
    sub-stream x time per item   20,000 held/day x 90 s = 500 h/day; /86,400 = 21 busy at once
    day volume / active hours    30,000 builds / 10 h = 50 /min (x 12 min each = 600 under way)
    active rate x active hours   80 positions/s x 18 h = 5.2M /day
    items x recipients           12 alerts/day x 8M devices = 96M deliveries/day
    recipients / deadline        8M devices / 180 s = 44,444 /s
    bitrate x audience at once   20,000 viewers x 2.5 Mbit/s = 50 Gbit/s
    bitrate x length of one      2.5 Mbit/s x 60 min = 1.1 GB a recording; x 200 a month, kept 30 days
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.capacity import DAY_S, Plan, n, size_unit
from servicelens.design.compose import bound_size, length_of
from servicelens.design.measures import unit_seconds
from servicelens.design.subjects import about, same_word
from servicelens.design.text import clause_bounds, normalise, sentence_bounds
from servicelens.design.workload import Workload
from servicelens.design.workloads import stream_rate
from servicelens.model.design import RateMention, Requirement

_NUM = r"(\d+(?:\.\d+)?)"
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9}
_TIME = r"(?P<t>\d+(?:\.\d+)?)\s*(?P<u>seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h)\b"
_PRONOUNS = frozenset({"them", "those", "these", "it", "this", "that"})
# "2% of swipes", "about 4% of them", "5 percent of the orders"
_SHARE = re.compile(_NUM + r"\s*(?:%|percent)\s+of\s+(?:(?:the|all|our|those|these|its|their)\s+)?(?P<noun>[a-z][a-z\-]+)", re.IGNORECASE)
# a share that says who is online or when traffic arrives is read elsewhere (concurrency, windows)
_NOT_A_STREAM_SHARE = re.compile(r"\s*(?:[a-z\-]+\s+){0,3}?(?:are|is|will\s+be)?\s*(?:online|connected|concurrent|logged|active|"
                                 r"arrive|arrives|happen|happens|come|comes|land|lands|fall|falls|occur|occurs|between|during|in\s+the)\b",
                                 re.IGNORECASE)
# "a moderator takes 90 seconds per held comment", "each agent spends 4 minutes on a call"
_TIME_PER_ITEM = re.compile(r"\b(?:a|an|one|each|the|every)\s+(?P<who>[a-z][a-z\-]+)\s+(?:takes|spends|needs)\s+"
                            r"(?:on\s+average\s+|about\s+|around\s+|roughly\s+|~\s*)?" + _TIME +
                            r"\s+(?:on\s+average\s+)?(?:per|on\s+(?:a|an|each|every)|for\s+(?:a|an|each|every))\s+"
                            r"(?P<item>(?:[a-z][a-z\-]+\s+){0,2}[a-z][a-z\-]+)\b", re.IGNORECASE)
# "spread over 10 working hours", "about 18 hours a day", "during 8 business hours"
# "8 working hours a day", and "during 7-hour patrols", "8-hour shifts": the hours a working spell lasts
_ACTIVE = re.compile(r"\b(?:about\s+|around\s+|roughly\s+|~\s*)?" + _NUM + r"\s*-?\s*(?P<q>working\s+|business\s+|operating\s+|opening\s+|"
                     r"service\s+|office\s+)?hours?(?:(?P<day>\s+(?:a|per|each|every)\s+(?:working\s+|business\s+)?day)|"
                     r"[-\s]+(?P<spell>shifts?|patrols?|rounds?|working\s+days?|days?))?\b", re.IGNORECASE)
# "shown to every attendee", "must reach every opted-in device", "sent to all subscribers"
_REACH = re.compile(r"\b(?:shown|sent|delivered|pushed|broadcast|displayed|reach|reaches|go\s+out|goes\s+out)\s+(?:to\s+)?"
                    r"(?:every|each|all(?:\s+the)?|all\s+of\s+the)\s+(?P<who>(?:[a-z][a-z\-]+\s+){0,2}[a-z][a-z\-]+)", re.IGNORECASE)
_WITHIN = re.compile(r"\bwithin\s+(?:about\s+|around\s+|~\s*)?" + _TIME, re.IGNORECASE)
# "one message per attendee every 10 minutes": a per-actor interval
_PER_ACTOR_EVERY = re.compile(r"\b(?P<k>one|a|an|\d+(?:\.\d+)?)\s+(?P<item>[a-z][a-z\-]+?)s?\s+per\s+(?P<actor>[a-z][a-z\-]+)\s+"
                              r"(?:every|each)\s+" + _TIME, re.IGNORECASE)
_AT_ONCE = re.compile(r"\b(?:at\s+(?:the\s+same\s+time|once)|concurrent(?:ly)?|simultaneous(?:ly)?|online|live|connected)\b", re.IGNORECASE)
_BITRATE = re.compile(_NUM + r"\s*(?P<s>[kmg])(?:bit|b)(?:/s|ps)\s+(?:to|for|per)\s+(?:each|every|a|one)?\s*(?P<who>[a-z][a-z\-]+)", re.IGNORECASE)
_BITS = {"k": 1e3, "m": 1e6, "g": 1e9}
_ANY_BITRATE = re.compile(_NUM + r"\s*(?P<s>[kmg])(?:bit|b)(?:/s|ps)\b", re.IGNORECASE)
# "a 60-minute session", "each 2-hour lecture", "calls last 8 minutes"
_ITEM_LENGTH = re.compile(r"\b(?:a|an|each|every|one)\s+" + _NUM + r"[- ](?P<u>second|minute|min|hour)s?\s+(?P<item>[a-z][a-z\-]+)|"
                          r"\b(?P<item2>[a-z][a-z\-]+?)s?\s+(?:lasts?|run|runs|take|takes)\s+(?:about\s+|around\s+|~\s*)?"
                          r"(?P<t2>\d+(?:\.\d+)?)\s*(?P<u2>seconds?|minutes?|mins?|hours?)\b", re.IGNORECASE)
_RECORDED_WORD = re.compile(r"\b(?:record(?:ed|ing|ings|s)?|archived?|stored|kept)\b", re.IGNORECASE)
# counted nouns that are units, not things ("30 days", "4 bytes"): no population
_UNITS = frozenset({"seconds", "secs", "minutes", "mins", "hours", "hrs", "days", "weeks", "months", "years", "bytes",
                    "times", "percents", "shifts", "steps", "digits", "characters", "chars", "decimals"})
# where the noun phrase after "every" ends ("every opted-in device within 3 minutes")
_PHRASE_END = frozenset({"within", "in", "at", "by", "before", "after", "on", "when", "while", "and", "or", "as", "so", "of"})


@dataclass(frozen=True, slots=True)
class Flow:
    """A stream of one subject: its events per second, where the text states it, how."""

    subject: str
    per_second: float
    at: int
    how: str
    phrase: str = ""  # the words that state it ("each swipes through about 60 profiles per day")
    daily: bool = True  # False for a rate that holds only while something runs (a session)


@dataclass(frozen=True, slots=True)
class Population:
    """A stated count of things ("8 million installs"), whether they are there at once."""

    noun: str
    count: float
    at: int
    at_once: bool


def add_applied(plan: Plan, req: Requirement, w: Workload) -> None:
    """Every application of a stated quantity to another's subject that the text supports."""
    text = normalise(req.text)
    people = populations(text)
    flows = base_flows(req, w, text) + actor_flows(text, people)
    shares = share_flows(text, flows)
    for f, base in shares:
        _add(plan, f"{f.subject} per day", f.per_second * DAY_S, "events/day", f"{n(base.per_second * DAY_S)} {base.subject}/day x {f.how}")
        _add(plan, f"{f.subject} per second (average)", f.per_second, "events/s", f"{n(base.per_second)} /s x {f.how}")
    _time_per_item(plan, text, flows + [f for f, _ in shares])
    _active_hours(plan, req, w, text)
    _recipients(plan, req, text, flows, people)
    _audience_bandwidth(plan, text, people)
    _recorded_items(plan, req, text, flows)


def _add(plan: Plan, name: str, value: float, unit: str, formula: str) -> None:
    """A line, unless the plan already shows this value in this unit (no figure twice)."""
    shown = float(f"{value:.4g}")
    if value > 0 and not any(i.unit == unit and abs(i.value - shown) <= 0.01 * abs(shown) for i in plan.items):
        plan.add("derived", name, value, unit, f"{formula} = {n(value)}")


def _add_bytes(plan: Plan, name: str, b: float, per: str, formula: str) -> None:
    value, unit = size_unit(b)
    shown = float(f"{value:.4g}")
    if b > 0 and not any(i.unit == unit + per and abs(i.value - shown) <= 0.01 * abs(shown) for i in plan.items):
        plan.add_bytes("derived", name, b, per, formula)


def _seconds(m: re.Match) -> float:
    return float(m.group("t")) * unit_seconds(m.group("u"))


def populations(text: str) -> list[Population]:
    """Every stated count of a plural noun that is not a rate ("20000 attendees", "8 million installs")."""
    out = []
    pattern = re.compile(r"(?<![\d.,])" + _NUM + r"\s*(k|thousand|m|million|b|billion)?\+?\s+(?:[a-z][a-z\-]+\s+){0,2}?"
                         r"(?P<noun>[a-z][a-z\-]+s)\b(?!\s+(?:per|a|an|each|every)\s+(?:second|minute|hour|day|week|month|year)\b)", re.IGNORECASE)
    for m in pattern.finditer(text):
        if re.match(r"\s*(?:per|a|an|each|every)\s+(?:second|minute|hour|day|week|month|year|session|working)\b", text[m.end():]):
            continue
        if re.match(r"\s*(?:%|percent|x\b)", text[m.end(1):]):
            continue
        if m.group("noun").lower() in _UNITS:
            continue
        scale = _SCALES.get((m.group(2) or "").lower(), 1.0)
        _c0, c1 = clause_bounds(text, m.start())
        out.append(Population(m.group("noun").lower(), float(m.group(1)) * scale, m.start(),
                              bool(_AT_ONCE.search(text, m.end(), c1))))
    return [p for p in out if p.count >= 2]


def _population_of(people: list[Population], noun: str) -> Population | None:
    named = [p for p in people if same_word(p.noun, noun)]
    return max(named, key=lambda p: p.count) if named else None


def base_flows(req: Requirement, w: Workload, text: str) -> list[Flow]:
    """Each stated rate as a flow. A rate per actor is multiplied by the actors only when its
    own words name a counted population ("2M users ... each swipes 60 a day"); "Editors send
    about 12 alerts a day" counts no editors, so 12 a day is the total."""
    out = []
    people = populations(text)
    for r in req.rates:
        if "deadline" in r.subject or not r.subject:
            continue
        said = re.findall(r"[a-z][a-z\-]+", _before_count(r))  # the actor precedes the count
        if r.per_user and not any(same_word(p.noun, x) for p in people for x in said):
            # "Editors send about 12 alerts a day" with no count of editors: the rate is the total
            avg, how = r.per_second, f"{n(r.count_per_period)} {r.subject} per {r.period} (in all: no count of senders stated)"
        else:
            avg, how = stream_rate(r, w)
        at = text.find(r.source[:40]) if r.source else -1
        if avg > 0:
            out.append(Flow(r.subject, avg, at, how, r.source))
    return out


def _before_count(r: RateMention) -> str:
    """The words of a rate's phrase before its own count ("... 2M users and each swipes about" for 60)."""
    src = r.source.lower()
    at = [m.start() for m in re.finditer(r"\d+(?:\.\d+)?", src) if abs(float(m.group(0)) - r.count_per_period) < 1e-9]
    return src[:at[-1]] if at else src


def actor_flows(text: str, people: list[Population]) -> list[Flow]:
    """"one message per attendee every 10 minutes" with "20,000 attendees": 33.3 messages/s."""
    out = []
    for m in _PER_ACTOR_EVERY.finditer(text):
        actors = _population_of(people, m.group("actor"))
        seconds = _seconds(m)
        if not actors or not seconds:
            continue
        k = 1.0 if m.group("k").lower() in ("one", "a", "an") else float(m.group("k"))
        k_word = m.group("k").lower()
        item = m.group("item").lower() + ("" if k_word in ("one", "a", "an", "1") else "s")
        out.append(Flow(item, k * actors.count / seconds, m.start(),
                        f"{k:g} {item} per {m.group('actor')} every {n(seconds)} s x {n(actors.count)} {actors.noun}",
                        m.group(0), daily=False))
    return out


def share_flows(text: str, flows: list[Flow]) -> list[tuple[Flow, Flow]]:
    """(sub-stream, its stream) for "N% of <stream's subject|them>" after a stated stream."""
    out = []
    for m in _SHARE.finditer(text):
        noun = m.group("noun").lower()
        if _NOT_A_STREAM_SHARE.match(text, m.end()):
            continue
        before = [f for f in flows if 0 <= f.at < m.start()]
        if noun in _PRONOUNS:
            s0, _s1 = sentence_bounds(text, m.start())
            base = max(before, key=lambda f: f.at) if before and max(f.at for f in before) >= s0 - 400 else None
        else:
            # the stream of that subject, or the one whose stating words name it ("each swipes ... 60 profiles")
            base = next((f for f in sorted(before, key=lambda f: -f.at) if about(f.subject, noun)), None)
            base = base or next((f for f in flows if about(f.subject, noun)), None)
            base = base or next((f for f in sorted(before, key=lambda f: -f.at) if _as_verb(f.phrase, noun)), None)
        if not base:
            continue
        share = float(m.group(1)) / 100
        _c0, c1 = clause_bounds(text, m.start())
        clause = " ".join(text[m.start():c1].split())
        label = base.subject if noun in _PRONOUNS else noun
        sub = Flow(f"{label} ({m.group(1)}% share)", base.per_second * share, m.start(), f"{share:g} (\"{clause}\")",
                   clause, base.daily)
        out.append((sub, base))
    return out


def _as_verb(phrase: str, noun: str) -> bool:
    """Whether a stream's words say `noun` as the act that makes it ("each swipes through 60
    profiles", "users who click 5 ads"): a share of swipes is then a share of that stream."""
    return re.search(rf"\b(?:each|who|everyone|everybody|they|we)\s+{re.escape(noun.removesuffix('s'))}",
                     phrase, re.IGNORECASE) is not None


def _time_per_item(plan: Plan, text: str, flows: list[Flow]) -> None:
    """A stated time per item of a stream: the hours of work a day and the workers busy at once."""
    for m in _TIME_PER_ITEM.finditer(text):
        items = m.group("item").lower().split()
        candidates = [f for f in flows if f.at < m.start() and any(about(f.subject, w) for w in items)]
        if not candidates:
            continue
        f = max(candidates, key=lambda x: x.at)  # the latest-stated stream of that subject (a share of it, when stated)
        seconds = _seconds(m)
        who = m.group("who").lower()
        phrase = " ".join(m.group(0).split())
        per_day = f.per_second * DAY_S
        _add(plan, f"{who} time needed per day", per_day * seconds / 3600, "hours/day",
             f"{n(per_day)} {f.subject}/day x {n(seconds)} s (\"{phrase}\") / 3,600")
        _add(plan, f"{who}s busy at once (average, Little's law)", f.per_second * seconds, f"{who}s",
             f"{n(f.per_second)} /s x {n(seconds)} s")


def _active_hours(plan: Plan, req: Requirement, w: Workload, text: str) -> None:
    """A stream said to run only N hours a day: its rate while it runs, or its day's volume."""
    for r in req.rates:
        at = text.find(r.source[:40]) if r.source else -1
        if at < 0 or not r.subject or "deadline" in r.subject:
            continue
        s0, s1 = sentence_bounds(text, at)
        m = next((x for x in _ACTIVE.finditer(text, s0, s1) if (x.group("q") or x.group("day") or x.group("spell"))
                  and 0 < float(x.group(1)) < 24), None)
        if not m:
            continue
        hours = float(m.group(1))
        window = hours * 3600
        phrase = " ".join(m.group(0).split())
        if r.period == "day" and not r.per_user:
            rate = r.count_per_period / window
            _add(plan, f"{r.subject} per second while active ({phrase})", rate, "events/s",
                 f"{n(r.count_per_period)} {r.subject}/day / ({n(hours)} h x 3,600 s)")
            _add(plan, f"{r.subject} per minute while active", rate * 60, "events/min", f"{n(rate)} /s x 60")
            length = next((f for f in req.figures if f.meaning == "duration" and f.unit == "s" and f.value > 0
                           and length_of(text, f.phrase, r.subject, [x.subject for x in req.rates])), None)
            if length:
                _add(plan, f"{r.subject} under way at once while active (Little's law)", rate * length.value, "instances",
                     f"{n(rate)} /s x {n(length.value)} s (\"{length.phrase}\")")
            size = bound_size(req, w, r.subject)
            if size:
                _add_bytes(plan, f"{r.subject} bandwidth while active", rate * size[0], "/s", f"{n(rate)} /s x {size[1]}")
        elif r.period in ("second", "minute", "hour") and not r.per_user:
            per_day = r.per_second * window
            _add(plan, f"{r.subject} per day (active {n(hours)} h a day)", per_day, "events/day",
                 f"{n(r.per_second)} /s x {n(hours)} h x 3,600 s (\"{phrase}\")")


def _recipients(plan: Plan, req: Requirement, text: str, flows: list[Flow], people: list[Population]) -> None:
    """An item that reaches every member of a counted population: deliveries, and with a
    deadline for reaching them all, the delivery rate and what it carries."""
    for m in _REACH.finditer(text):
        words = m.group("who").lower().split()
        words = words[:next((i for i, x in enumerate(words) if x in _PHRASE_END), len(words))]
        if not words:
            continue
        crowd = next((p for p in (_population_of(people, w) for w in reversed(words)) if p), None)
        how = ""
        if not crowd and len({p.noun for p in people}) == 1:
            crowd = people[0]
            how = f" (every {words[-1]}: the only population the text counts)"
        if not crowd:
            continue
        s0, s1 = sentence_bounds(text, m.start())
        c0, c1 = clause_bounds(text, m.start())
        here = [f for f in flows if s0 <= f.at < s1] or [f for f in flows if 0 <= f.at < m.start()][-1:]
        named = [f for f in here if about(text[c0:m.start()], f.subject)]
        for f in named or here:
            if not f.daily:
                _add(plan, f"deliveries of {f.subject} per second (each to every {crowd.noun[:-1]})", f.per_second * crowd.count,
                     "events/s", f"{n(f.per_second)} {f.subject}/s ({f.how}) x {n(crowd.count)} {crowd.noun}{how}")
                continue
            per_day = f.per_second * DAY_S
            _add(plan, f"deliveries of {f.subject} per day (each to every {crowd.noun[:-1]})", per_day * crowd.count, "events/day",
                 f"{n(per_day)} {f.subject}/day x {n(crowd.count)} {crowd.noun}{how}")
            _add(plan, f"deliveries of {f.subject} per second (average, each to every {crowd.noun[:-1]})",
                 per_day * crowd.count / DAY_S, "events/s", f"{n(per_day)} /day x {n(crowd.count)} / 86,400 s")
        c0, c1 = clause_bounds(text, m.start())
        within = _WITHIN.search(text, m.start("who"), max(c1, m.end() + 60))
        if within and _seconds(within) > 0:
            seconds = _seconds(within)
            rate = crowd.count / seconds
            _add(plan, f"deliveries per second to reach every {crowd.noun[:-1]} {' '.join(within.group(0).split())}", rate, "events/s",
                 f"{n(crowd.count)} {crowd.noun} / {n(seconds)} s{how}")
            size = req.record_bytes.value if req.record_bytes else 0.0
            if size:
                _add_bytes(plan, "outbound bandwidth while every one is reached", rate * size, "/s",
                           f"{n(rate)} /s x {n(size)} B (\"{req.record_bytes.source}\")")


def _audience_bandwidth(plan: Plan, text: str, people: list[Population]) -> None:
    """A bitrate sent to each member of an audience that is there at once: the egress."""
    for m in _BITRATE.finditer(text):
        s0, s1 = sentence_bounds(text, m.start())
        crowd = _population_of(people, m.group("who")) or next(
            (p for p in people if p.at_once and s0 - 400 <= p.at < s1), None)
        if not crowd or not crowd.at_once:
            continue
        bits = float(m.group(1)) * _BITS[m.group("s").lower()]
        _add_bytes(plan, f"egress to {n(crowd.count)} {crowd.noun} at once", crowd.count * bits / 8, "/s",
                   f"{n(crowd.count)} {crowd.noun} x {m.group(1)} {m.group('s').upper()}bit/s / 8")
        _add(plan, f"concurrent connections ({crowd.noun} at once)", crowd.count, "connections",
             f"one connection per one of {n(crowd.count)} {crowd.noun}")


def _recorded_items(plan: Plan, req: Requirement, text: str, flows: list[Flow]) -> None:
    """A recorded stream of a stated bitrate and a stated length of one item: the size of one
    recording, the volume of the stated items per period, and what the retention keeps."""
    rate = _ANY_BITRATE.search(text)
    if not rate or not _RECORDED_WORD.search(text):
        return
    bytes_s = float(rate.group(1)) * _BITS[rate.group("s").lower()] / 8
    for m in _ITEM_LENGTH.finditer(text):
        item = (m.group("item") or m.group("item2") or "").lower()
        seconds = (float(m.group(1)) * unit_seconds(m.group("u")) if m.group("item")
                   else float(m.group("t2")) * unit_seconds(m.group("u2")))
        mine = [f for f in flows if f.daily and about(f.subject, item)]
        if not seconds or not mine:
            continue
        size = bytes_s * seconds
        phrase = " ".join(m.group(0).split())
        _add_bytes(plan, f"size of one recorded {item}", size, "",
                   f"{rate.group(1)} {rate.group('s').upper()}bit/s / 8 x {n(seconds)} s (\"{phrase}\")")
        f = mine[0]
        _add_bytes(plan, f"recorded {f.subject} per day", f.per_second * DAY_S * size, "/day", f"{n(f.per_second * DAY_S)} /day x {n(size)} B")
        if req.retention:
            kept = f.per_second * req.retention.value
            _add_bytes(plan, f"recorded {f.subject} kept over the retention period", kept * size, "",
                       f"{n(kept)} {f.subject} ({n(req.retention.value / DAY_S)} days) x {n(size)} B")
        return

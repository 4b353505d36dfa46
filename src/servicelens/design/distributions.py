"""How many of one counted thing each of another holds, when the text counts both together.

"30 kindergartens with about 1,800 children", "6,000 bikes across 450 docking stations",
"6,500 members holding 410,000 shares across 28 projects", "about 1,200 found items a day
from 14 depots": an engineer divides at once (60 children per kindergarten, 13 bikes per
station, 63 shares per member and 14,600 per project, 86 items per depot a day). That per-
holder average sizes a screen, a list, a per-holder queue or lock, and a shard.

Two counts are read as members and holders only when the words between them are those of
distribution (with, across, in, on, at, from, over, holding, among, between, an apposition's
comma), never a verb or "and": "5,200 pupils and 380 teachers" are two populations, not
pupils held by teachers. The larger count is the members; a count with a period after it
("1,200 items a day") is a flow, divided per holder per that period.

A flow said in one sentence with a count of the people who do it or handle it ("~2,100 drivers
... doing ~180k drops a day", "25 tickets a day, and the 4 people on the IT team pick them up")
is also the work per one of them (86 drops per driver a day, 6.25 tickets per person a day):
the figure that says whether the people keep up, whatever words join the two (`per_actor`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.groups import size_spans
from servicelens.design.text import numbers, sentence_bounds

# "1,800 children", "14 municipal cemeteries", "1,200 found items": up to two words before the noun
# (plurals without an s: "children", "people", "staff", "9.5 million cattle", "40,000 sheep")
_COUNTED = re.compile(r"\s*(?P<words>(?:[a-z][a-z\-]*\s+){0,2}?)(?P<noun>children|people|staff|cattle|sheep|livestock|poultry|"
                      r"[a-z][a-z\-]*s)\b", re.I)
_PERIOD = re.compile(r"\s*(?:per|a|an|each|every|/)\s*(?P<p>second|minute|hour|day|week|month|year)\b", re.I)
_BETWEEN = re.compile(r"^(?:\s|,|~|\(|\b(?:with|across|in|on|at|from|over|holding|among|between|spread|of|for|total|about|around|"
                      r"roughly|approximately|some|nearly|almost|altogether|overall)\b)*$", re.I)
# Counted words that are a unit or an amount, not things anyone holds.
_NOT_THINGS = frozenset("""bytes kilobytes megabytes gigabytes terabytes seconds minutes hours days weeks months years
times percent nines users requests kb mb gb tb ms chars characters points degrees tonnes kilos metres meters miles
dollars euros pounds cents words pages lines""".split())
_MIN_RATIO = 2.0  # fewer than two per holder is a pairing, not a distribution


@dataclass(frozen=True, slots=True)
class Counted:
    value: float
    noun: str  # plural as written ("children", "stations")
    start: int
    end: int  # after the noun (and its period, when it is a flow)
    period: str  # "" for a count; "day" for "1,200 items a day"


@dataclass(frozen=True, slots=True)
class PerHolder:
    """`members` per one of `holders` (per `period` when the members are a flow)."""

    members: str
    holder: str  # singular
    value: float
    period: str
    formula: str


def _singular(noun: str) -> str:
    w = noun.lower()
    if w == "children":
        return "child"
    if w == "people":
        return "person"
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if re.search(r"(?:ss|ch|sh|x)es$", w):
        return w[:-2]
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def counted(text: str) -> list[Counted]:
    """Every number of the text followed by the plural noun it counts."""
    out = []
    for n in numbers(text):
        m = _COUNTED.match(text, n.end)
        if not m or n.value < 1:
            continue
        noun = m.group("noun").lower()
        if noun in _NOT_THINGS or any(w.lower() in _NOT_THINGS for w in m.group("words").split()):
            continue
        p = _PERIOD.match(text, m.end())
        out.append(Counted(n.value, m.group("noun"), n.start, p.end() if p else m.end(), p.group("p").lower() if p else ""))
    return out


def per_holder(text: str) -> list[PerHolder]:
    """Members per holder for every pair of counts the text joins by words of distribution."""
    items = counted(text)
    out = []
    for a, b in zip(items, items[1:]):
        if sentence_bounds(text, a.start) != sentence_bounds(text, b.start):
            continue
        if not _BETWEEN.match(text[a.end:b.start]) or a.noun.lower() == b.noun.lower():
            continue
        members, holders = (a, b) if a.value >= b.value else (b, a)
        if holders.period or members.value / holders.value < _MIN_RATIO:
            continue
        holder = _singular(holders.noun)
        if _said_per_holder(text, members, holder):
            continue  # "6 warehouses with 800k SKUs each": the members are already per holder
        value = members.value / holders.value
        out.append(PerHolder(members.noun.lower(), holder, value, members.period,
                             f"{members.value:,.0f} {members.noun}{' per ' + members.period if members.period else ''} / "
                             f"{holders.value:,.0f} {holders.noun} = {value:,.3g}"))
    return out


# "800k SKUs each", "40 desks apiece", "150 rooms per hotel": a count already said per one holder
_PER_ONE = re.compile(r"\s*(?:(?P<each>each|apiece)\b|(?:per|a|an|in\s+each|at\s+each|for\s+each)\s+(?P<h>[a-z][a-z\-]*)\b)", re.I)


def _said_per_holder(text: str, members: Counted, holder: str) -> bool:
    """Whether the members' count is said per one holder, not in total: dividing it again by
    the holders would be a figure of one holder's share of one holder's things."""
    m = _PER_ONE.match(text, members.end)
    return bool(m and (m.group("each") or _singular(m.group("h")) == holder))


# "up to 8 players", "at most 40 people": a bound on a group, not a population that works
_BOUND_BEFORE = re.compile(r"\b(?:up\s+to|at\s+most|max(?:imum)?(?:\s+of)?|no\s+more\s+than)\s*~?$", re.I)


def per_actor(text: str, people: frozenset[str]) -> list[PerHolder]:
    """A flow per one of the people counted in its sentence: (flow's things) per (person) per period.

    `people` are the nouns that count people (plural, lower case). A group's size ("(10
    players)", "up to 8 players") is no population, and a flow of people per people ("we hire
    30 people a month and have 1,500 staff") is a ratio of two populations, not work."""
    items = counted(text)
    groups = size_spans(text)
    out = []
    for flow in (c for c in items if c.period and c.noun.lower() not in people):
        where = sentence_bounds(text, flow.start)
        for actor in items:
            if actor.period or actor.noun.lower() not in people or actor.start in groups \
                    or sentence_bounds(text, actor.start) != where or _BOUND_BEFORE.search(text[max(0, actor.start - 20):actor.start]):
                continue
            value = flow.value / actor.value
            out.append(PerHolder(flow.noun.lower(), _singular(actor.noun), value, flow.period,
                                 f"{flow.value:,.0f} {flow.noun} per {flow.period} / {actor.value:,.0f} {actor.noun} = {value:,.3g}"))
    return out

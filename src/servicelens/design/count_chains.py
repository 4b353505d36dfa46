"""Counts stated per one of another counted thing: "45 hotels, 150 rooms each", "800 stores
with 12 tills each", "30 lockers per station" with "650 stations".

The total is what the system stores and sizes (6,750 rooms), though the text never writes
it; the holder's count comes from the text (a count of that noun, or the things counted
just before a bare "each"), never from a guess.
"""
from __future__ import annotations

import re

from servicelens.design.rates import HOLDER_HAS, count_of, counted_before
from servicelens.design.text import Number

_PER_HOLDER = re.compile(r"\s*(?:[a-z\-]+\s+){0,1}?(?P<thing>[a-z\-]{3,}s)\s+(?:on\s+average\s+|in\s+total\s+)?"
                         r"(?:(?P<each>each|apiece)\b|per\s+(?P<holder>[a-z\-]{3,})\b(?!\s*(?:per|a|an)\s))", re.I)
# "300 lectures at once, each with up to 400 students": the per-holder count after a leading "each"
_EACH_BEFORE = re.compile(r"\beach\s+(?:with|has|having|holding|of\s+(?:which|them)\s+(?:has|with))\s+"
                          r"(?:up\s+to|about|around|roughly|at\s+most|~)?\s*~?$", re.I)
_THING_AFTER = re.compile(r"\s*(?:[a-z\-]+\s+){0,1}?(?P<thing>[a-z\-]{3,}s)\b", re.I)
_PERIODS = {"second", "minute", "hour", "day", "week", "month", "year", "night", "shift", "session", "request", "user"}
# Ties between people: "50 friends per user" is not a quota per user but rows of a relation that
# the system stores, one per pair (100 million users x 50 = 5 billion friendships).
_RELATIONS = frozenset("friends followers followees follows contacts connections subscriptions buddies "
                       "teammates colleagues neighbours neighbors".split())


def count_chains(text: str, nums: tuple[Number, ...], user_nouns: list[str], taken: set[int]) -> list[tuple[float, str, str]]:
    """(total, thing, how) for each count said per one of a counted holder; `taken` are
    number starts already read as rates (a rate per holder is sized by the rate parser)."""
    out = []
    for n in nums:
        if n.start in taken:
            continue
        m = _PER_HOLDER.match(text, n.end)
        lead = _EACH_BEFORE.search(text, max(0, n.start - 40), n.start)
        if not m and lead:
            m = _THING_AFTER.match(text, n.end)
            thing = m.group("thing").lower() if m else ""
            holder = counted_before(text, lead.start(), user_nouns) if thing and thing not in user_nouns else None
            if holder and holder[1].rstrip("s") != thing.rstrip("s"):
                total = holder[0] * n.value
                out.append((total, thing, f"{holder[0]:,.0f} {holder[1]} x {n.value:g} {thing} each = {total:,.0f}"))
            continue
        has = HOLDER_HAS.search(text, max(0, n.start - 80), n.start) if not m else None
        if has:  # "each warehouse holds roughly 2,000 bins" with "60 warehouses"
            after = _THING_AFTER.match(text, n.end)
            word = has.group("holder").lower()
            stem = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
            holder = count_of(text, stem, n.start) if after and after.group("thing").lower() not in user_nouns else None
            if holder and holder[1].rstrip("s") != after.group("thing").lower().rstrip("s"):
                thing = after.group("thing").lower()
                total = holder[0] * n.value
                out.append((total, thing, f"{holder[0]:,.0f} {holder[1]} x {n.value:g} {thing} each = {total:,.0f}"))
            continue
        if not m:
            continue
        thing = m.group("thing").lower()
        holder_word = (m.group("holder") or "").lower()
        if (holder_word in _PERIODS and not (holder_word == "user" and thing in _RELATIONS)) \
                or (thing in user_nouns and thing not in _RELATIONS):
            continue
        if holder_word:
            stem = holder_word[:-1] if holder_word.endswith("s") and not holder_word.endswith("ss") else holder_word
            holder = count_of(text, stem, n.start)
        else:
            holder = counted_before(text, n.start, user_nouns)
        if not holder or holder[1].rstrip("s") == thing.rstrip("s"):
            continue
        total = holder[0] * n.value
        out.append((total, thing, f"{holder[0]:,.0f} {holder[1]} x {n.value:g} {thing} each = {total:,.0f}"))
    return out

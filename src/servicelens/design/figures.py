"""Every number of the requirement, with the phrase it came from and what it was taken for.

The "requirement as understood" table is built here so that no stated figure is dropped
silently: a number the parser could not place is listed as not understood (and asked
about), never ignored. Numbers the dedicated extractors (measures, rates) placed keep
their role; the rest are read from the words around them (concurrency, intervals,
holds, deadlines, counts of things, money).
"""
from __future__ import annotations

import re

from servicelens.design.ceilings import is_ceiling
from servicelens.design.measures import DURATION_S, SIZE_UNITS, _DUR_RE, _SIZE_RE, Measures, duration_unit
from servicelens.design.text import Number, clause_bounds, is_clock_time, is_money
from servicelens.model.design import Quantity, RateMention, StatedFigure

_ROLE_MEANING = {
    "total_users": "users (registered)", "daily_active_users": "daily active users",
    "monthly_active_users": "monthly active users", "daily_active_fraction": "share of users active daily",
    "read_write_ratio": "read:write ratio", "peak_factor": "peak multiple of the average",
    "record_bytes": "record size", "media_bytes": "object size", "media_fraction": "share of writes with media",
    "retention": "retention", "latency_p99_ms": "latency target (p99)", "latency_p50_ms": "latency target (p50)",
    "availability_pct": "availability target", "fanout": "fan-out (recipients per event)",
    "query_chars": "characters per query", "user_fraction": "share of users",
    "stream_bitrate": "bandwidth of one stream", "identifier": "a name or id, not a quantity", "stated_bandwidth": "bandwidth (stated)",
    "held_volume": "data volume held",
}
_CONCURRENT = re.compile(r"\b(?:concurrent(?:ly)?|simultaneous(?:ly)?|at (?:the same time|once)|online at|connected|live connections?|open connections?|sockets?)\b", re.I)
_HOLD = re.compile(r"\b(?:hold|holds|held|lock|locked|reserve|reserved|reservation|expire|expires|expiry|ttl|timeout|time out|released?)\b", re.I)
_DEADLINE = re.compile(r"\b(?:within|in under|under|less than|no more than|at most|finish|complete|completed|deliver(?:ed)?|propagat\w*|visible|take effect|arrive)\b", re.I)
_NEGATED = re.compile(r"\b(?:not|never|no|cannot|nobody)\b[^.;]*$", re.I)
_PCT = re.compile(r"\s*(?:%|percent\b)", re.I)
_MULT = re.compile(r"\s*(?:x|times)(?![a-z])", re.I)
_EVERY_BEFORE = re.compile(r"\bevery\s*(?:about|around|~|roughly)?\s*$", re.I)
_LEAD_WINDOW = re.compile(r"\b(?:every|each|in|over|within|per|under|after)\s*(?:about|around|~|roughly)?\s*$", re.I)
# words that qualify the counted noun ("40,000 concurrent players"); alone ("9M concurrent at peak") they count nothing
_QUALIFIERS = ("more", "new", "active", "unique", "distinct", "different", "concurrent", "individual", "total", "separate",
               "internal", "external", "enrolled", "registered", "subscribed", "connected", "installed", "deployed")
_NOUN_AFTER = re.compile(r"\s*-?\s*(?:(?:" + "|".join(_QUALIFIERS) + r")\s+)*([a-z][a-z\-]{2,})", re.I)
_FILLER = {"of", "the", "a", "an", "and", "or", "to", "per", "in", "on", "at", "for", "with", "by", "from"}


def understood(text: str, nums: tuple[Number, ...], measures: Measures, rates: dict[int, RateMention],
               used_fields: frozenset[str]) -> tuple[StatedFigure, ...]:
    """One row per number in the text, in order; `used_fields` are the requirement fields
    the workload reads (so a row says whether the arithmetic used it)."""
    roles = dict(measures.roles)
    window_starts = _rate_windows(text, rates)
    rows = []
    for n in nums:
        value, unit = _value_unit(text, n)
        phrase = _phrase(text, n)
        if n.start in roles:
            role = roles[n.start]
            unit = "users" if role.endswith("_users") else unit
            rows.append(StatedFigure(value, unit, phrase, _ROLE_MEANING.get(role, role.replace("_", " ")),
                                     role in used_fields or role == "user_fraction"))
        elif n.start in rates and rates[n.start].peak and _CONCURRENT.search(text[n.end:n.end + 50]) \
                and re.match(r"\s*(?:[a-z\-]+\s+){0,3}?(?:are\s+|is\s+)?(?:online|connected|concurrent|simultaneous|at\s)", text[n.end:], re.I):
            # "80,000 players connected at the same time, every player submits one answer every
            # 10 s": the population of an interval rate is also the concurrency the gateway carries
            rows.append(StatedFigure(value, unit, phrase, "concurrent connections", True))
        elif n.start in rates:
            r = rates[n.start]
            what = "per user " if r.per_user else ""
            rows.append(StatedFigure(value, unit, phrase, f"{r.kind} rate {what}({r.subject}, per {r.period})", True))
        elif is_ceiling(text, n.start) and not is_money(text, n.start, n.end):
            rows.append(StatedFigure(value, unit, phrase, "rate limit (a ceiling, not a load)", False))
        elif n.start in window_starts:
            rows.append(StatedFigure(value, unit, phrase, "period of a stated rate", True))
        else:
            meaning, used = classify(text, n, unit)
            rows.append(StatedFigure(value, unit, phrase, meaning, used))
    return tuple(rows)


def classify(text: str, n: Number, unit: str) -> tuple[str, bool]:
    """What an otherwise unplaced number is, from its unit and the words around it."""
    c0, c1 = clause_bounds(text, n.start)
    left = text[max(c0, n.start - 50):n.start]
    clause = text[c0:c1]
    if is_clock_time(text, n.start, n.end):
        return "clock time", False
    if is_money(text, n.start, n.end):
        return "amount of money", False
    if unit == "s":
        if _EVERY_BEFORE.search(left):  # "hold a connection and send a heartbeat every 30 s": a period, not a hold
            return "interval between events", True
        if _HOLD.search(clause):
            return "hold / expiry duration", True
        if _LEAD_WINDOW.search(left) and re.search(r"\bevery\b|\beach\b", left, re.I):
            return "interval between events", True
        if _DEADLINE.search(clause) or _LEAD_WINDOW.search(left):
            return "deadline / time budget", True
        return "duration", False
    if unit in ("%",):
        return "percentage", False
    if unit == "x":
        return "multiplier", False
    if unit == "B":
        return "size", False
    if unit == "ms":
        return "latency", False
    if _CONCURRENT.search(clause[max(0, n.start - c0 - 40):n.end - c0 + 40]):
        if _NEGATED.search(left):
            return "count in a rule (what must not happen at once)", False  # "should not run 2 sessions at the same time"
        return "concurrent connections", True
    noun = counted_noun(text, n)
    if noun and re.search(r"\b(?:up to|at most|maximum of|max(?:imum)?|no more than)\s*$", left, re.I):
        return f"maximum per group ({noun})", True
    if noun:
        if re.match(r"\s*(?:top|first|last)\s*$", left[-6:], re.I) or re.search(r"\btop\s*$", left, re.I):
            return f"top-N size ({noun})", True
        return f"count of {noun}", True
    if re.search(r"\btop\s*$", left, re.I):
        return "top-N size", True
    return "", False


def counted_noun(text: str, n: Number) -> str:
    """The noun a bare number counts ("40,000 seats" -> "seats"), or ''."""
    m = _NOUN_AFTER.match(text, n.end)
    if not m:
        return ""
    word = m.group(1).lower()
    if word in _FILLER or word in _QUALIFIERS or word in SIZE_UNITS or duration_unit(word) in DURATION_S:
        return ""
    if n.value != 1 and not word.endswith("s"):
        # "400 field technicians", "90k annual members": a singular word before the plural is its modifier
        from servicelens.design.entities import counted_head  # entities reads figures' words: imported late
        return counted_head(text, word, m.end()) or word
    return word


def concurrency(figures: tuple[StatedFigure, ...]) -> Quantity | None:
    """The largest stated count of concurrent connections (the gateway is sized on it)."""
    found = [f for f in figures if f.meaning == "concurrent connections"]
    if not found:
        return None
    best = max(found, key=lambda f: f.value)
    return Quantity(best.value, "connections", best.phrase)


def _value_unit(text: str, n: Number) -> tuple[float, str]:
    size = _SIZE_RE.match(text, n.end)
    if size and size.group(1).lower() not in ("characters", "chars"):
        return n.value * SIZE_UNITS[size.group(1).lower()], "B"
    if re.match(r"\s*(?:ms|milliseconds?)\b", text[n.end:n.end + 14], re.I):
        return n.value, "ms"
    dur = _DUR_RE.match(text, n.end) or re.match(r"\s*(s|secs?|seconds?)\b", text[n.end:n.end + 10], re.I)
    if dur:
        word = dur.group(1).lower()
        seconds = 1 if word in ("s", "sec", "secs", "second", "seconds") else DURATION_S[duration_unit(word)]
        return n.value * seconds, "s"
    if re.match(r"\s*-\s*(minute|hour|day|second|week|month|year)s?\b", text[n.end:n.end + 12], re.I):
        word = re.match(r"\s*-\s*([a-z]+)", text[n.end:], re.I).group(1)
        return n.value * DURATION_S[duration_unit(word)], "s"
    if _PCT.match(text, n.end):
        return n.value, "%"
    if _MULT.match(text, n.end):
        return n.value, "x"
    return n.value, "count"


def _phrase(text: str, n: Number) -> str:
    """The clause around the number, cut to a readable window."""
    c0, c1 = clause_bounds(text, n.start)
    return " ".join(text[max(c0, n.start - 60):min(c1, n.end + 60)].split())


def _rate_windows(text: str, rates: dict[int, RateMention]) -> set[int]:
    """Numbers inside a rate's period phrase ("in 4 weeks", "every 5 seconds"): a number
    right after such a preposition, within reach after a rate's own number."""
    out = set()
    for start in rates:
        m = re.compile(r"[^.;]{0,100}?\b(?:in|over|within|every)\s+(\d+(?:\.\d+)?)\s*[a-z]", re.I).match(text, start + 1)
        if m:
            out.add(m.start(1))
    return out


def unaccounted(figures: tuple[StatedFigure, ...]) -> tuple[StatedFigure, ...]:
    """Figures the parser could not place: they become open questions, not silence."""
    return tuple(f for f in figures if not f.meaning)

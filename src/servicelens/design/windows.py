"""Shares of a volume that land in a window, in the orders people write them:

    "half of all runs come in the final 2 hours"            share, then window
    "most traffic between 18:00 and 22:00"                   share, then clock window
    "the morning rush (7-9am) carrying 30% of them"          window, then share
    "half of them in the commuting peaks (7-9 and 17-19)"    several clock windows, summed
    "Friday 18:00-20:00 taking a quarter of the week's searches"  the share's own period
    "70% of the day's readings arrive between 15:00 and 16:30"  the period as a possessive, then clock window

A clock window recurs every day, so its share is of a day's volume unless the counted
noun names another period ("the week's searches"); a length ("the final 2 hours") is of
the stream's own period.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.measures import unit_seconds
from servicelens.design.text import sentence_bounds

MOST_SHARE = 0.8  # "most X happen in ..." read as the 80/20 convention
SHARES = {"half": 0.5, "a third": 1 / 3, "a quarter": 0.25, "most": MOST_SHARE, "the majority": MOST_SHARE,
          "the bulk": MOST_SHARE, "nearly all": 0.9, "almost all": 0.9}
# A share of the people counted before it, named by a pronoun of quantity ("nearly everyone
# crosses the halfway mat within a 40-minute window"): the population acts in the window.
PEOPLE_SHARES = {"everyone": 1.0, "everybody": 1.0, "nearly everyone": 0.9, "almost everyone": 0.9,
                 "nearly everybody": 0.9, "almost everybody": 0.9}
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8, "ten": 10, "twelve": 12}
# "all" is a share only of something counted or referred to ("all of them", "all 1,800
# handovers"): "all orders in the last 30 days" is a query, not a volume in a window.
_SHARE_WORDS = r"half|a third|a quarter|most|the majority|the bulk|nearly all|almost all|(?:nearly |almost )?every(?:one|body)|" \
               r"all(?=\s+(?:of\s+(?:them|those|these)\b|\d))|\d+(?:\.\d+)?\s*(?:%|percent)"
_SHARE = re.compile(
    r"\b(?:(?:about|around|roughly|nearly|over)\s+)?(?P<share>" + _SHARE_WORDS + r")\s+(?:of\s+)?(?:all\s+|the\s+|our\s+)?"
    # "70% of the day's inspections": the period the share is of, said as a possessive before the noun
    r"(?:(?:a\s+|one\s+|each\s+|every\s+)?(?P<pos>day|week|month|year)(?:'s|s'|\u2019s)\s+)?"
    r"(?P<what>(?:\d[\d,]*(?:\.\d+)?\s*(?:k|m)?\s+)?[a-z][a-z\- ]{0,40}?)\s+"
    r"(?:(?!(?:deliver|process|serv|answer|resolv|handl|complet|finish|return|respond|render|load|index|sync|replicat|"
    r"propagat|visib|expir|ship|work|live|based)\w*)[a-z]+\s+){0,3}?(?P<prep>in|into|during|over|between|within)\s+(?:the\s+|a\s+|one\s+|those\s+|these\s+)?"
    r"(?:(?P<ord>final|first|last|busiest|peak|same|single|opening)\s+)?"
    r"(?:(?P<n>\d+(?:\.\d+)?|one|two|three|four|five|six|eight|ten|twelve)\s*-?\s*(?P<u>hours?|hrs?|minutes?|mins?|days?|weeks?)\b|"
    # "in the first hour": an ordinal before a bare unit is one of it
    r"(?P<u1>hour|minute|day|week)\b|"
    r"(?P<h1>\d{1,2})(?::(?P<m1>\d\d))?\s*(?P<ap1>am|pm)?\s*(?:and|to|-|–)\s*(?P<h2>\d{1,2})(?::(?P<m2>\d\d))?\s*(?P<ap2>am|pm)?)",
    re.I)
# A share of a named volume anywhere in a sentence: "carrying 30% of them", "a quarter of the week's searches".
_SHARE_OF = re.compile(r"\b(?:(?:about|around|roughly|nearly|over)\s+)?(?P<share>" + _SHARE_WORDS + r")\s+of\s+"
                       r"(?:all\s+|the\s+|our\s+)?(?P<what>[a-z][a-z\-']*(?:\s+(?!(?:in|during|at|on|over|between|and|are|is|"
                       r"come|arrive|happen|fall|land)\b)[a-z][a-z\-']*){0,2})", re.I)
# A clock range that is plainly a time of day: a colon or am/pm ("7-9am", "18:00-20:00").
_CLOCK = re.compile(r"(?<![\d:.])(?P<h1>\d{1,2})(?::(?P<m1>\d\d))?\s*(?P<ap1>am|pm)?\s*(?:-|–|to)\s*"
                    r"(?P<h2>\d{1,2})(?::(?P<m2>\d\d))?\s*(?P<ap2>am|pm)?(?![\d:])", re.I)
_PERIOD_OF = re.compile(r"\b(day|week|month|year)(?:'s|s')", re.I)


@dataclass(frozen=True, slots=True)
class Window:
    """A share of a stream's volume that lands in a window."""

    share: float
    what: str
    seconds: float
    phrase: str
    conventional: bool  # the share is a reading of "most", not a stated number
    daily: bool
    start: int
    period: str = ""  # the period the share is of when the text names it ("the week's searches")
    people: bool = False  # "everyone ...": the share is of the people counted before it, not of a stream
    spread: bool = False  # the whole volume spread over a working window or shift, not a rush within it


def window_share(text: str) -> list[Window]:
    """Every share-in-a-window the text states, one per sentence at most per share."""
    out = [_from_match(m) for m in _SHARE.finditer(text)]
    out = [w for w in out if w is not None]
    covered = {sentence_bounds(text, w.start) for w in out}
    for m in _SHARE_OF.finditer(text):
        bounds = sentence_bounds(text, m.start())
        if bounds in covered:
            continue
        seconds = sum(_clock_span(c) for c in _CLOCK.finditer(text, *bounds) if _plain_clock(c))
        share = _share(m.group("share"))
        if seconds <= 0 or not 0 < share <= 1:
            continue
        what = m.group("what").strip().lower()
        period = _PERIOD_OF.search(what)
        out.append(Window(share, _PERIOD_OF.sub("", what).strip(), seconds, " ".join(text[bounds[0]:bounds[1]].split())[:160],
                          share == MOST_SHARE, True, m.start(), period.group(1).lower() if period else ""))
        covered.add(bounds)
    return out + spread_windows(text, covered)


# The whole of a day's volume said to fall in a window of hours, with no share word:
# "1,800 pallets per day over a 10-hour receiving shift", "650 PRs a day, concentrated in a
# 9-hour working window", "14,000 filings between 16:00 and 23:59".
_SPREAD = re.compile(r"\b(?:concentrated\s+|bunched\s+|packed\s+|squeezed\s+|spread\s+)?(?:over|in|during|across|within)\s+"
                     r"(?:a|an|one|the|our)\s+(?P<n>\d+(?:\.\d+)?|one|two|three|four|five|six|eight|ten|twelve)\s*-?\s*"
                     r"(?P<u>hours?|hrs?|h)\b(?:\s+[a-z\-]+){0,2}?\s+(?:window|shift|day|period|block|slot)s?\b|"
                     r"\bbetween\s+(?P<h1>\d{1,2})(?::(?P<m1>\d\d))?\s*(?P<ap1>am|pm)?\s+and\s+"
                     r"(?P<h2>\d{1,2})(?::(?P<m2>\d\d))?\s*(?P<ap2>am|pm)?(?![\d:])", re.I)
_PER_DAY = re.compile(r"\b(?:a|an|per|each|every)\s+(?:working\s+|business\s+|single\s+)?(?:day|weekday)\b|\bdaily\b|"
                      r"\bon\s+a\s+(?:single\s+|busy\s+)?(?:day|weekday)\b", re.I)
_COUNTED = re.compile(r"(?<![\d.,:])(?P<c>\d+(?:\.\d+)?)\s*(?P<k>k|m|thousand|million)?\+?\s+(?:[a-z\-]+\s+){0,2}?(?P<noun>[a-z\-]+s)\b",
                      re.I)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}


def spread_windows(text: str, taken: set[tuple[int, int]]) -> list[Window]:
    """The whole of a counted day's volume in a stated window, in sentences no share reading
    took: the counted phrase before the window (in the same sentence) is what lands in it."""
    out = []
    for m in _SPREAD.finditer(text):
        bounds = sentence_bounds(text, m.start())
        if bounds in taken:
            continue
        before = text[bounds[0]:m.start()]
        counted = [c for c in _COUNTED.finditer(before) if not re.match(r"\s*(?:%|percent|x\b)", before[c.end("c"):])]
        if not counted:
            continue
        c = counted[-1]
        if m.group("n"):  # a length of hours spreads a day's stream: the sentence says it is per day
            if not _PER_DAY.search(text, bounds[0], bounds[1]):
                continue
            num = m.group("n").lower()
            seconds = float(_WORD_NUMBERS.get(num, 0) or num) * unit_seconds(m.group("u"))
        elif _plain_clock(m) and _said_of(before[c.end():]):
            seconds = _clock_span(m)
        else:
            continue
        count = float(c.group("c")) * _SCALE.get((c.group("k") or "").lower(), 1.0)
        if seconds < 3600 or seconds >= 86400 or count <= 0:
            continue
        # written out in full: `counted_before` reads the count back from `what` (`:g` wrote 1.2e+06)
        shown = f"{count:.0f}" if count.is_integer() else f"{count:f}"
        out.append(Window(1.0, f"{shown} {c.group('noun').lower()}", seconds, " ".join(text[bounds[0] + c.start():m.end()].split()),
                          False, True, m.start(), spread=True))
        taken.add(bounds)
    return out


def _said_of(between: str) -> bool:
    """A clock range belongs to the count just before it when nothing but a short verb phrase
    separates them ("9,000 scripts are uploaded between"), not another clause ("3,000 students;
    the desk is staffed between")."""
    return not re.search(r"[;:,()]", between) and len(between.split()) <= 4


def counted_before(text: str, win: Window) -> tuple[float, str] | None:
    """(count, noun) a window's volume names: its own count ("14000 filings"), or for "them"
    the count said last before it in its sentence ("180,000 doses ..., most of them between")."""
    own = re.match(r"(\d+(?:\.\d+)?)\s+([a-z\-]+s)\b", win.what)
    if own:
        return float(own.group(1)), own.group(2)
    if not set(win.what.split()) & {"them", "those", "these"}:
        return None
    a, _ = sentence_bounds(text, win.start)
    counted = list(_COUNTED.finditer(text[a:win.start]))
    if not counted:
        return None
    c = counted[-1]
    return float(c.group("c")) * _SCALE.get((c.group("k") or "").lower(), 1.0), c.group("noun").lower()


def _from_match(m: re.Match) -> Window | None:
    share = _share(m.group("share"))
    if m.group("n"):
        num = m.group("n").lower()
        window = float(_WORD_NUMBERS.get(num, 0) or num) * unit_seconds(m.group("u"))
    elif m.group("u1"):
        if (m.group("ord") or "").lower() not in ("first", "final", "opening"):
            return None  # "in the same hour" names no length of its own
        window = unit_seconds(m.group("u1"))
    else:
        window = _clock_span(m)
    if 0 < share <= 1 and window > 0:
        people = " ".join(m.group("share").lower().split()) in PEOPLE_SHARES
        if m.group("prep").lower() == "within" and not people:
            return None  # "99% of messages are delivered within 5 minutes" is a latency target, not a window
        if (people or m.group("share").lower() == "all") and re.match(r"(?:nearly|almost)\b", m.group(0), re.I):
            share = min(share, 0.9)
        return Window(share, m.group("what").strip().lower(), window, " ".join(m.group(0).split()),
                      share == MOST_SHARE, not (m.group("n") or m.group("u1")), m.start(),
                      (m.group("pos") or "").lower(), people=people)
    return None


def _share(word: str) -> float:
    w = " ".join(word.lower().split())
    if w in PEOPLE_SHARES:
        return PEOPLE_SHARES[w]
    if w == "all":
        return 1.0
    if w[0].isdigit():
        return float(re.match(r"\d+(?:\.\d+)?", w).group(0)) / 100
    return SHARES[w]


def _plain_clock(m: re.Match) -> bool:
    return bool(m.group("m1") or m.group("m2") or m.group("ap1") or m.group("ap2"))


def _clock_span(m: re.Match) -> float:
    def hour(h: str, mm: str | None, ap: str | None) -> float:
        v = float(h) % 12 + (12 if (ap or "").lower() == "pm" else 0) if ap else float(h)
        return v + (float(mm) / 60 if mm else 0.0)
    a = hour(m.group("h1"), m.group("m1"), m.group("ap1") or m.group("ap2"))
    b = hour(m.group("h2"), m.group("m2"), m.group("ap2"))
    span = (b - a) % 24
    return span * 3600 if 0 < span < 24 else 0.0



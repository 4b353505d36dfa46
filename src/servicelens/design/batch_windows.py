"""A daily batch bounded by two clock times, and what it walks over.

    "after the ledger closes at 00:30 we compute each account's interest ...; they must all be
     posted by 05:00"                       window 00:30 -> 05:00 = 16,200 s, over accounts
    "from 22:00 the export sends every order of the day; it must be done before 6am"

A principal engineer turns such a sentence into the rate the batch must sustain: the items it
walks (a stated count) divided by the time between the start and the deadline. Only the window
and the items are read here; the count comes from the caller, so nothing is sized from a
window whose items the text never counts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_CLOCK = r"(?P<{0}h>\d{{1,2}})(?::(?P<{0}m>\d\d))?\s*(?P<{0}ap>am|pm)?"
# The start: "after the ledger closes at 00:30", "from 22:00", "starting at 1am".
_START = re.compile(r"\b(?:after|once|when)\b[^.;:]{0,60}?\bat\s+" + _CLOCK.format("s") + r"(?![\d:])|"
                    r"\b(?:from|starting\s+at|starts\s+at|begins\s+at|kicks\s+off\s+at)\s+" + _CLOCK.format("t") + r"(?![\d:])",
                    re.I)
# The deadline: "posted by 05:00", "done before 6am", "no later than 07:30".
_END = re.compile(r"\b(?:by|before|until|no\s+later\s+than)\s+" + _CLOCK.format("e") + r"(?![\d:])", re.I)
# What the batch walks: "each account's", "every order", "all invoices".
_ITEMS = re.compile(r"\b(?:each|every)\s+(?:single\s+)?(?P<one>[a-z][a-z\-]{2,})|\ball\s+(?:the\s+|our\s+)?(?P<many>[a-z][a-z\-]{2,}s)\b",
                    re.I)
_NOT_ITEMS = frozenset("night day morning evening week month hour minute year time one other".split())
_REACH = 400  # the deadline is said in the same or the next clause, not paragraphs later


@dataclass(frozen=True, slots=True)
class BatchWindow:
    """The time between a batch's start and its deadline, and the singular noun it walks."""

    seconds: float
    start: str  # as written ("00:30")
    end: str
    item: str
    phrase: str


def batch_windows(text: str) -> list[BatchWindow]:
    """Every start-and-deadline pair whose clauses name the items walked ("each account")."""
    out = []
    for s in _START.finditer(text):
        start_h, start_m, start_ap = _parts(s, "s") if s.group("sh") else _parts(s, "t")
        e = _END.search(text, s.end(), min(len(text), s.end() + _REACH))
        if not e:
            continue
        borrowed = e.group("eap") if not start_m and int(start_h) <= 12 else None  # "from 10 to 11pm"
        a = _hours(start_h, start_m, start_ap or borrowed)
        b = _hours(e.group("eh"), e.group("em"), e.group("eap"))
        if a is None or b is None:
            continue
        span = (b - a) % 24
        item = _item(text[s.start():e.end()])
        if not 0 < span < 24 or not item or not _is_clock(start_m, start_ap or borrowed) or not _is_clock(e.group("em"), e.group("eap")):
            continue
        out.append(BatchWindow(span * 3600, _written(start_h, start_m, start_ap), _written(e.group("eh"), e.group("em"), e.group("eap")),
                               item, " ".join(text[s.start():e.end()].split())[:200]))
    return out


def _parts(m: re.Match, key: str) -> tuple[str, str | None, str | None]:
    return m.group(f"{key}h"), m.group(f"{key}m"), m.group(f"{key}ap")


def _is_clock(minutes: str | None, ap: str | None) -> bool:
    """A time of day is written with minutes or am/pm ("by 5" is not read as a clock)."""
    return bool(minutes or ap)


def _hours(h: str, m: str | None, ap: str | None) -> float | None:
    hour = int(h)
    if hour > 24 or (m and int(m) > 59):
        return None
    if ap:
        hour = hour % 12 + (12 if ap.lower() == "pm" else 0)
    return hour + (int(m) / 60 if m else 0.0)


def _written(h: str, m: str | None, ap: str | None) -> str:
    return f"{h}{':' + m if m else ''}{ap or ''}"


def _item(span: str) -> str:
    """The singular noun after each/every, or the plural after all, in the batch's clauses."""
    for m in _ITEMS.finditer(span):
        word = (m.group("one") or m.group("many")).lower()
        if m.group("many"):
            word = word[:-1]
        if word not in _NOT_ITEMS and not word.endswith("ly"):
            return word
    return ""

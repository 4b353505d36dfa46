"""Renewals of a stock of things that each last a stated period.

"140k permits in issue; permits last 12 months", "30,000 members, memberships run for a
year", "certificates are valid for 90 days" beside a count of them: every one of them is
renewed or replaced once per period, so the stock turns over at count / period (Little's law
read backwards). A principal engineer derives the renewal rate from these two numbers before
anything else, since it is the steady write load of a permit, licence or subscription system.
"""
from __future__ import annotations

import re

from servicelens.design.capacity import DAY_S, Plan, n
from servicelens.design.measures import DURATION_S, duration_unit
from servicelens.design.rates import count_of
from servicelens.design.text import normalise
from servicelens.model.design import Requirement

_LASTS = re.compile(r"\b(?P<what>[a-z][a-z\-]{2,}?)s?\s+(?:last|lasts|run\s+for|runs\s+for|are\s+valid\s+for|is\s+valid\s+for|"
                    r"expire\s+after|expires\s+after|renew\s+every|are\s+renewed\s+every|is\s+renewed\s+every)\s+"
                    r"(?:about\s+|around\s+|~\s*)?(?P<n>\d+(?:\.\d+)?|a|an|one)\s*-?\s*(?P<u>days?|weeks?|months?|years?)\b", re.I)
MIN_STOCK = 50  # fewer things than this turn over too slowly to size anything from


def add_turnover(p: Plan, req: Requirement) -> None:
    """Renewals per day and per year of each counted stock whose things last a stated period."""
    text = normalise(req.text)  # "73,000 licences" reads as one number
    for m in _LASTS.finditer(text):
        stem = m.group("what").lower()
        stock = count_of(text, stem, m.start())
        if not stock or stock[0] < MIN_STOCK:
            continue
        k = 1.0 if m.group("n").lower() in ("a", "an", "one") else float(m.group("n"))
        seconds = k * DURATION_S[duration_unit(m.group("u"))]
        if seconds < DAY_S:
            continue  # a stock that turns over within a day is a session or a hold, sized elsewhere
        phrase = " ".join(m.group(0).split())
        per_day = stock[0] * DAY_S / seconds
        p.add("derived", f"{stock[1]} renewed per day (stock / validity)", per_day, "events/day",
              f"{n(stock[0])} {stock[1]} / {n(seconds / DAY_S)} days (\"{phrase}\") = {n(per_day)} /day")
        p.add("derived", f"{stock[1]} renewed per year (stock / validity)", per_day * 365, "events/year",
              f"{n(per_day)} /day x 365")

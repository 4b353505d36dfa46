"""Rows a time-series rollup tier holds, and the one population a text counts.

"15-minute rollups for 3 years", "hourly aggregates for 5 years": a rollup keeps one row per
reporting thing per bucket, so the tier holds population x retention / bucket rows whatever
the raw rate is. This is the figure a principal engineer sizes the long tier by (it is what
settlement or trend queries scan), and it is independent of how often the things report.
"""
from __future__ import annotations

import re

from servicelens.design.capacity import Plan, n
from servicelens.design.measures import DURATION_S, duration_unit
from servicelens.design.text import normalise
from servicelens.model.design import Requirement

_COUNT = r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*(k|thousand|m|million)?\+?"
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}
_COUNTED = re.compile(_COUNT + r"\s+(?:[a-z\-]+\s+){0,2}?(?P<noun>[a-z\-]+s)\b", re.I)
_PERIOD_AFTER = re.compile(r"\s*(?:per|a|an|each|every|/)\s*(?:second|sec|s|minute|min|hour|hr|h|day|week|month|year)\b", re.I)
# what a number is when a unit follows it: a size, a duration, a share or a multiple, never a population
UNIT_AFTER = re.compile(r"\s*(?:b|bytes?|kb|mb|gb|tb|kib|mib|gib|ms|s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|"
                        r"weeks?|months?|years?|%|percent|x|times)\b", re.I)
ONLY_POPULATION_MIN = 100  # fewer things than this are sites or teams, not the reporters of a stream

_BUCKET_WORDS = {"minutely": "minute", "hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month"}
_ROLLUP = re.compile(
    r"\b(?:(?P<n>\d+(?:\.\d+)?)[- ](?P<unit>second|sec|minute|min|hour|day)s?|(?P<adj>minutely|hourly|daily|weekly|monthly))"
    r"\s+(?:rollups?|roll-ups?|aggregates?|aggregations?|averages?|summar(?:y|ies)|buckets?|downsamples?|resolution)\b"
    r"[^.;]{0,40}?\b(?:for|kept|retained|stored)\s+(?:up\s+to\s+|about\s+)?(?P<keep>\d+(?:\.\d+)?)\s*"
    r"(?P<keep_unit>days?|weeks?|months?|years?)\b", re.I)


def only_population(text: str) -> tuple[float, str] | None:
    """(count, noun) of the one population of things the text counts (at least a hundred, not
    a rate, a size or a duration), or None when it counts none or several: an interval said of
    a thing the text does not count ("devices report every 30 s") is one per counted thing."""
    found: dict[str, float] = {}
    for m in _COUNTED.finditer(text):
        if _PERIOD_AFTER.match(text, m.end()) or UNIT_AFTER.match(text, m.end(2) if m.group(2) else m.end(1)):
            continue
        count = float(m.group(1).replace(",", "")) * _SCALES.get((m.group(2) or "").lower(), 1.0)
        if count >= ONLY_POPULATION_MIN:
            found.setdefault(m.group("noun").lower(), count)
    return next(((c, noun) for noun, c in found.items()), None) if len(found) == 1 else None


def add_rollups(p: Plan, req: Requirement, reporters: tuple[float, str] | None) -> None:
    """Rows each stated rollup tier holds, for the things that report (`reporters`, else the
    one population the text counts)."""
    who = reporters or only_population(normalise(req.text))
    if not who:
        return
    count, noun = who
    for m in _ROLLUP.finditer(normalise(req.text)):
        bucket_s = (float(m.group("n")) * DURATION_S[duration_unit(m.group("unit"))] if m.group("n")
                    else DURATION_S[_BUCKET_WORDS[m.group("adj").lower()]])
        keep_s = float(m.group("keep")) * DURATION_S[duration_unit(m.group("keep_unit"))]
        if not bucket_s or keep_s < bucket_s:
            continue
        rows = count * keep_s / bucket_s
        phrase = " ".join(m.group(0).split())
        p.add("derived", f"rows kept at {n(bucket_s)} s resolution (rollup: one per {noun[:-1]} per bucket)", rows, "rows",
              f"{n(count)} {noun} x {n(keep_s)} s / {n(bucket_s)} s (\"{phrase}\") = {n(rows)}")

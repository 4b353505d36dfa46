"""The parts a stream carries, in that stream's busy window.

When most of a day's inspections arrive in 90 minutes, the 4 photos each of them carries
arrive in the same 90 minutes: an engineer sizes the window's upload link from the parts,
not from the day's average. A part stream is one the text counts per one of another
("each inspection carries about 4 photos": rates.py writes its source as "x 4 per one of
10,000 inspections per day"); its window rate is the holder's window rate times the parts
per holder, and with a size bound to the part it is a bandwidth:

    window peak x parts per one          1.3 inspections/s x 4 = 5.2 photos/s
    part rate x size of one part         5.2 photos/s x 2 MB = 10.4 MB/s
"""
from __future__ import annotations

import re

from servicelens.design.capacity import Plan, n
from servicelens.design.compose import size_of, subject_sizes
from servicelens.design.workload import Workload
from servicelens.model.design import RateMention, Requirement

_PER_ONE = re.compile(r"\(x (?P<k>[\d.,]+) per one of [\d.,]+ (?P<holder>[a-z][a-z\- ]*?) per [a-z]+\)", re.I)


def parts_of(stream: RateMention, rates: tuple[RateMention, ...]) -> list[tuple[RateMention, float]]:
    """(part stream, parts per one) for every stream counted per one of `stream`."""
    out = []
    for r in rates:
        m = _PER_ONE.search(r.source)
        if r is stream or not m or not stream.subject or m.group("holder").lower() != stream.subject.lower():
            continue
        k = float(m.group("k").replace(",", ""))
        if k > 0:
            out.append((r, k))
    return out


def add_window_parts(p: Plan, req: Requirement, w: Workload, stream: RateMention, peak: float, phrase: str) -> None:
    """The window rate of each part `stream` carries, and its bandwidth when a part's size is stated."""
    for part, k in parts_of(stream, req.rates):
        rate = peak * k
        p.add("derived", f"{part.subject} per second (peak, in the stated window)", rate, "events/s",
              f"{n(peak)} {stream.subject}/s x {k:g} {part.subject} per one = {n(rate)} /s (\"{phrase}\")")
        size = size_of(part.subject, subject_sizes(req, w))
        if size:
            p.add_bytes("derived", f"{part.subject} upload bandwidth (peak, in the stated window)", rate * size[0], "/s",
                        f"{n(rate)} {part.subject}/s x {size[1]}")

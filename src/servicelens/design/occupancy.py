"""Things in progress at once, by Little's law: a stated flow of sessions, visits, calls or
games and the stated length of one give how many are open at any moment (L = rate x time),
at the average and at the peak; with a stated per-stream bandwidth, what they carry
together. A flow and a length belong together when the length's own phrase names the
flow's subject ("18,000 sessions a day" and "an average session lasts 45 min"); a length
that names nothing the text counts ("averaging 12 minutes each") sizes nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from servicelens.design.identifiers import singular as _singular
from servicelens.model.design import RateMention, Requirement


@dataclass(frozen=True, slots=True)
class Occupancy:
    subject: str  # the flow's subject, as the text wrote it ("sessions")
    average: float  # open at once at the average rate
    peak: float  # open at once at the peak rate
    formula: str


def _stem(subject: str) -> str:
    last = subject.split()[-1].lower() if subject.split() else ""
    return _singular(last) if len(last) >= 3 else ""


# words of a flow's subject that name no particular thing ("new customer sign-ups", "api calls")
_GENERIC = frozenset("new more total daily average peak incoming outgoing inbound outbound api http user users customer "
                     "customers client clients".split())


def _names(phrase: str, stem: str) -> bool:
    return bool(stem) and re.search(rf"\b{re.escape(stem)}", phrase.lower()) is not None


def occupancies(req: Requirement, flows: list[tuple[RateMention, float]], peak_factor: float) -> list[Occupancy]:
    """`flows`: each stated rate with its average per second (workloads.stream_rate)."""
    # a hold ("a booking holds its seats for 15 minutes") is a length too: holds live at once
    lengths = [f for f in req.figures if f.meaning in ("duration", "hold / expiry duration") and f.unit == "s" and f.value > 0]
    out = []
    for rate, avg in flows:
        stems = [_stem(rate.subject)] + [_singular(w) for w in rate.subject.lower().split()[:-1] if len(w) >= 4 and w not in _GENERIC]
        length = next((f for stem in stems for f in lengths if _names(f.phrase, stem)), None)
        if not length or avg <= 0:
            continue
        out.append(Occupancy(rate.subject, avg * length.value, avg * peak_factor * length.value,
                             f"{avg:.3g} /s x {length.value:g} s (\"{length.phrase}\")"))
    return out


def streams_carried(req: Requirement, found: list[Occupancy]) -> tuple[float, str] | None:
    """(open streams at the peak, what they are) for the stated per-stream bandwidth: the
    flow its clause names, else the only flow open at once, else a stated count of the
    things its clause names ("200 cameras ... 4 Mbps each")."""
    bitrate = req.stream_bitrate
    if not bitrate:
        return None
    named = [o for o in found if _names(bitrate.source, _stem(o.subject))]
    if named or len(found) == 1:
        o = (named or found)[0]
        return o.peak, f"{o.subject} open at the peak"
    counts = [f for f in req.figures if f.meaning.startswith("count of ")
              and _names(bitrate.source, _stem(f.meaning[len("count of "):]))]
    if counts:
        return counts[0].value, counts[0].meaning[len("count of "):]
    return None


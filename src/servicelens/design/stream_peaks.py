"""A stream stated twice, once as an average and once at its peak ("12,000 rentals per day
on average and 3,000 per hour at the busiest hour", "peak ~1.2k checkouts/s, a normal day
~50/s"), is one load with a peak factor, not two loads to add up.
"""
from __future__ import annotations

from servicelens.design.bounds import FIELD_BOUNDS
from servicelens.model.design import Quantity, RateMention

_BARE = {"", "events"}  # a rate written without its noun ("a normal day ~50/s") takes its neighbour's


def _same_stream(a: RateMention, b: RateMention) -> bool:
    return a.kind == b.kind or a.subject in _BARE or b.subject in _BARE if (a.subject in _BARE or b.subject in _BARE) \
        else a.subject == b.subject


def split_peaks(rates: tuple[RateMention, ...]) -> tuple[tuple[RateMention, ...], Quantity | None]:
    """(the rates to size on, the peak factor the pair implies) — the peak statement of a
    stream with a stated average becomes its peak factor; the average is kept (under the
    named subject when the average was written bare)."""
    for peak in rates:
        if not peak.peak or peak.per_user:
            continue
        for avg in rates:
            if avg is peak or avg.peak or avg.per_user or not _same_stream(avg, peak) or avg.per_second <= 0:
                continue
            factor = peak.per_second / avg.per_second
            if factor <= 1 or factor > FIELD_BOUNDS["peak_factor"].high:
                continue  # beyond any whole-system peak: a burst on one part ("a viral form"), its own load
            subject = avg.subject if avg.subject not in _BARE else peak.subject
            kept = RateMention(subject, avg.kind if avg.subject not in _BARE else peak.kind, avg.per_second, avg.period,
                               avg.count_per_period, False, avg.source, False)
            rest = tuple(kept if r is avg else r for r in rates if r is not peak)
            source = f"{peak.source} / {avg.source}"
            return rest, Quantity(factor, "x", f"{source} (peak {peak.per_second:.4g}/s / average {avg.per_second:.4g}/s)")
    return rates, None


def is_burst(r: RateMention, rates: tuple[RateMention, ...]) -> bool:
    """A peak of a stream whose average is stated too, left apart by `split_peaks` because it
    is far beyond any whole-system peak ("30M responses a month ... a viral form gets 2,000
    responses/second for a few minutes"): the burst is that stream's busy moment, already
    counted in its average. It sizes the peak, never the average, a day's volume or storage."""
    return r.peak and not r.per_user and any(
        a is not r and not a.peak and not a.per_user and a.kind == r.kind and a.subject == r.subject
        and a.subject not in _BARE and 0 < a.per_second < r.per_second for a in rates)

"""Sanity checks on the numbers: bounds the domain sets and orders of magnitude, each
with its arithmetic, so a reader sees why a figure is believable or not.

A design computed from wrong figures is wrong however sound its parts. Three kinds of
check, all from what the requirement states:
- a hard rule bounds a quantity: nothing is sold twice, so sales (and payments) cannot
  exceed the stated stock of what is sold, however many people want it;
- stated numbers that must be ordered are (active <= registered users, peak >= average);
- derived per-person activity is humanly possible (nobody makes 10,000 writes a day).
"""
from __future__ import annotations

import re

from servicelens.design.contradictions import stated_peaks_and_averages
from servicelens.design.invariant_shapes import find_shapes, subject_of
from servicelens.design.rates import RATE_SECONDS
from servicelens.model.design import NumberCheck, Requirement

_COUNT = re.compile(r"^(?:count of|maximum per group \()\s*([a-z][a-z\-]+)")
# Writes per active person per day beyond which a figure is more likely a slip than a fact
# (a busy human acts a few hundred times a day; machines are counted as devices, not users).
HUMAN_WRITES_PER_DAY = 2_000


def number_checks(req: Requirement) -> tuple[NumberCheck, ...]:
    """Every check that applies to the stated figures, in a fixed order (assumed figures
    are not checked: they are the tool's, not the requirement's)."""
    out: list[NumberCheck] = []
    out += _stock_bounds(req)
    out += _user_order(req)
    out += _peak_order(req)
    out += _per_person(req)
    return tuple(out)


def _stock_bounds(req: Requirement) -> list[NumberCheck]:
    """A stated stock of what a hard rule guards bounds how much of it can ever be sold."""
    # Only what is sold or assigned once is a stock; a per-holder limit ("3 rentals per
    # member") bounds each holder, not the whole of what can be sold.
    guarded = {_stem(subject_of(i.phrase)) for i in req.invariants if i.kind == "no-double-sell"}
    guarded |= {_stem(s.subject) for s in find_shapes(req.text) if s.kind == "no-double-sell"}
    guarded -= {""}
    stocks = []
    for f in req.figures:
        m = _COUNT.match(f.meaning)
        noun = _guarded_after_number(f.phrase, f.value, guarded) if m else ""
        if noun and f.value >= 1:
            stocks.append((f.value, noun, f.phrase))
    for r in req.rates:
        words = r.subject.lower().split()
        if words and _stem(words[-1]) in guarded and r.count_per_period >= 1:
            stocks.append((r.count_per_period, f"{words[-1]} per {r.period}", r.source))
    if not stocks:
        return []
    stock, noun, phrase = max(stocks)
    demand = _largest_crowd(req)
    if not demand:
        return [NumberCheck(f"sales bounded by the stock of {noun}", "ok",
                            f"at most {stock:,.0f} {noun} can be sold (\"{phrase}\"); successful sales and their payments "
                            f"<= {stock:,.0f} per sale period")]
    crowd, who = demand
    if crowd <= stock:
        return [NumberCheck(f"sales bounded by the stock of {noun}", "ok",
                            f"{crowd:,.0f} {who} <= {stock:,.0f} {noun}: every buyer can be served")]
    share = stock / crowd
    return [NumberCheck(f"sales bounded by the stock of {noun}", "warning",
                        f"{crowd:,.0f} {who} > {stock:,.0f} {noun} (\"{phrase}\"): at most {stock:,.0f} sales and "
                        f"payments succeed ({share:.1%} of them); size the payment path on {stock:,.0f}, and the rest "
                        "need a fast, fair 'sold out'")]


def _guarded_after_number(phrase: str, value: float, guarded: set[str]) -> str:
    """The guarded noun among the three words after the number ("12000 appointment slots"
    -> "slots"), or ''."""
    for m in re.finditer(r"\d[\d,.]*\s*[kmb]?\b((?:\s+[a-z][a-z\-]*){1,3})", phrase.lower()):
        for word in m.group(1).split():
            if _stem(word) in guarded:
                return word
    return ""


def _largest_crowd(req: Requirement) -> tuple[float, str] | None:
    people = [(q.value, label) for q, label in ((req.concurrent_connections, "people at once"),
                                                 (req.daily_active_users, "daily active users"),
                                                 (req.total_users, "users")) if q is not None]
    return max(people) if people else None


def _user_order(req: Requirement) -> list[NumberCheck]:
    pairs = [(req.daily_active_users, "daily active", req.monthly_active_users, "monthly active"),
             (req.monthly_active_users, "monthly active", req.total_users, "registered"),
             (req.daily_active_users, "daily active", req.total_users, "registered")]
    out = []
    for small, a, big, b in pairs:
        if small is not None and big is not None:
            ok = small.value <= big.value
            out.append(NumberCheck(f"{a} users <= {b} users", "ok" if ok else "contradiction",
                                   f"{small.value:,.0f} {'<=' if ok else '>'} {big.value:,.0f}"))
    return out


def _peak_order(req: Requirement) -> list[NumberCheck]:
    out = []
    for kind, peaks, avgs in stated_peaks_and_averages(req):
        peak, avg = max(p.per_second for p in peaks), sum(a.per_second for a in avgs)
        ok = peak >= avg
        shown = " + ".join(f"{a.count_per_period:,.0f}/{a.period} ({a.count_per_period:,.0f} / "
                           f"{RATE_SECONDS[a.period]:,} s)" for a in avgs)
        out.append(NumberCheck(f"stated peak >= average ({kind})", "ok" if ok else "contradiction",
                               f"peak {peak:,.2f}/s {'>=' if ok else '<'} average {avg:,.2f}/s = {shown}"))
    return out


def _per_person(req: Requirement) -> list[NumberCheck]:
    users = req.daily_active_users or req.total_users
    stated = [r for r in req.rates if r.kind == "write" and not r.per_user and not r.peak]
    write_avg = sum(r.per_second for r in stated)
    if users is None or users.value <= 0 or write_avg <= 0:
        return []
    per_day = write_avg * 86_400 / users.value
    plausible = per_day <= HUMAN_WRITES_PER_DAY
    who = "daily active user" if req.daily_active_users else "user"
    arithmetic = (f"{write_avg:,.2f} writes/s x 86,400 s / {users.value:,.0f} = {per_day:,.1f} writes per {who} per day"
                  + ("" if plausible else f" (> {HUMAN_WRITES_PER_DAY:,}: check the rate or the user count, or count "
                                          "the machines that write as devices)"))
    return [NumberCheck("writes per person per day", "ok" if plausible else "warning", arithmetic)]


def _stem(word: str) -> str:
    w = word.lower()
    for cut in ("ies", "es", "s"):
        if w.endswith(cut) and len(w) > len(cut) + 2:
            return w[: -len(cut)] + ("y" if cut == "ies" else "")
    return w

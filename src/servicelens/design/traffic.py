"""Average read and write rates from what was stated: explicit rates, per-user rates x
daily active users, a total split by the read:write ratio, or a stated default.
Each rate carries the formula that produced it."""
from __future__ import annotations

from typing import Any

import re

from servicelens.design.derived_ops import filed_act
from servicelens.design.measures import ratio_reads
from servicelens.design.notes import Notes as _Notes
from servicelens.design.rates import RATE_SECONDS
from servicelens.design.stream_peaks import is_burst
from servicelens.design.text import has_phrase
from servicelens.model.design import Requirement


def resolve_rates(req, d, dau, peak, notes: _Notes):
    """Average write and read rates (events/s) from stated rates, ratios and defaults,
    with the formula that produced each."""
    total = req.total_users.value if req.total_users else (req.monthly_active_users.value if req.monthly_active_users else 0.0)
    online = req.concurrent_connections.value if req.concurrent_connections else 0.0

    def pick(kind):
        agg = _one_per_subject([r for r in req.rates if r.kind == kind and not r.per_user and not is_burst(r, req.rates)], peak)
        per_user = [r for r in req.rates if r.kind == kind and r.per_user]
        if agg and per_user and (dau or online):  # "20M rides a day" and "each driver pings every 5 s": both load the system
            acting = [(r, *_actors(r, dau, total, online)) for r in per_user]
            return (sum(r.per_second / (peak if r.peak else 1) for r in agg)
                    + sum(r.per_second * n / (peak if at_peak else 1) for r, n, at_peak, _ in acting), agg[0].subject,
                    " + ".join([_rate_formula(r, peak) for r in agg]
                               + [f"{fmt_count(n)} {who} x {fmt_count(r.count_per_period)} {r.subject}/{r.period}"
                                  for r, n, _, who in acting]),
                    agg[0].period)
        if agg:
            return (sum(r.per_second / (peak if r.peak else 1) for r in agg), agg[0].subject,
                    " + ".join(_rate_formula(r, peak) for r in agg), agg[0].period)
        if per_user and not dau and not (online and all(r.period in _WHILE_ONLINE for r in per_user)):
            notes.assume("daily active users", "1,000,000", "a per-user rate was given without a user count",
                         "How many daily active users are there?")
        if per_user:
            users = dau or 1e6
            acting = [(r, *_actors(r, users, total, online)) for r in per_user]
            if any(who.startswith("concurrent") for *_, who in acting):
                notes.assume("who acts at a per-second or per-minute rate", "the concurrent users, at the peak",
                             "an action repeated every few seconds or minutes is done while online; the stated concurrent "
                             "users are the peak population")
            return (sum(r.per_second * n / (peak if at_peak else 1) for r, n, at_peak, _ in acting), per_user[0].subject,
                    " + ".join(f"{fmt_count(n)} {who} x {fmt_count(r.count_per_period)} {r.subject}/{r.period}"
                               f" / {fmt_count(_seconds(r.period))} s" for r, n, _, who in acting), per_user[0].period)
        return 0.0, "", "", ""
    for r in req.rates:
        if r.peak:
            notes.assume(f"'{r.source}'", "a peak rate", "a per-second figure a system must handle is sized as the peak; the average is the peak divided by the peak factor")
    write, wsubj, wf, wperiod = pick("write")
    read, rsubj, rf, rperiod = pick("read")
    total, _, tf, tperiod = pick("total")
    ratio = req.read_write_ratio.value if req.read_write_ratio else None
    if req.domains[0] == "typeahead":
        s, _, _, _, searches = _typeahead(read, write, dau, d, notes)
        return s, 0.0, "logged searches", "suggestion requests", searches, (rf or wf or "default", "", rperiod or wperiod or "day")
    if total and not (write and read):
        if write:
            read, rf = max(total - write, 0.0), f"total ({tf}) - writes"
        elif read:
            write, wf = max(total - read, 0.0), f"total ({tf}) - reads"
        elif d.get("total_split") == "reads":
            notes.assume("traffic mix", "every stated request is a rate-limit check (a read); key management writes are negligible",
                         "limits are checked on every API call, keys change rarely")
            return 0.0, total, "key changes", "rate-limit checks", 0.0, ("negligible", tf, tperiod or "day")
        elif d.get("total_split") == "writes":
            notes.assume("traffic mix", "every stated request is a password login", "the worst case for CPU, which dominates authentication cost; cheap refreshes and /me reads are inside the same figure")
            return total, 0.0, "logins", "reads", 0.0, (tf, "all stated requests counted as logins", tperiod or "day")
        else:
            r = ratio if ratio is not None else _default_ratio(d, notes, req)
            notes.assume("stated total rate", f"split into writes and reads at {r:g} read(s) per write",
                         f"the text gives {tf} without saying how much of it is reads",
                         "How many of the stated requests are writes, and how many reads?")
            write, read = total / (1 + r), total * r / (1 + r)
            wf, rf = f"({tf}) / (1 + {r:g})", f"({tf}) x {r:g} / (1 + {r:g})"
            ratio = r
    filed = filed_act(req.actions, req.entities) if req.domains[0] == "system" and req.total_users else ""
    if not write and not read:
        if filed:
            write, wf = _filed_writes(req.total_users.value, filed, notes)
            wperiod = "month"
        else:
            write, wf = _default_writes(req, d, dau, peak, notes)
        if ratio is None and dau and "writes_per_user_day" in d and d.get("requests_per_user_day", 0) > d["writes_per_user_day"]:
            read, rf = _session_reads(dau, d, notes)
    if write and not read:
        r = ratio if ratio is not None else _default_ratio(d, notes, req)
        read, rf = write * r, f"{fmt_count(write)} writes/s x {r:g} reads per write"
        if ratio is not None and req.read_write_ratio:
            named = ratio_reads(req.read_write_ratio.source)  # "150 availability searches" per booking
            if named:
                rsubj, rf = named, f"{fmt_count(write)} {wsubj or 'writes'}/s x {r:g} {named} per one"
    elif read and not write:
        r = ratio if ratio is not None else _default_ratio(d, notes, req)
        write, wf = (read / r if r else 0.0), f"{fmt_count(read)} reads/s / {r:g} reads per write"
        if ratio is None:
            write, wf = _writes_within_stock(req, rsubj, r, write, wf, notes)
    return write, read, wsubj or "writes", rsubj or "reads", read, (wf, rf, wperiod or tperiod or "day")


# How far writes derived from an assumed ratio may exceed, per year, the stated stock of the
# things read before the assumption is the wrong reading: ten years' worth of the whole stock.
STOCK_RENEWALS_PER_YEAR = 10.0
STOCK_YEARS = 3.0  # the stock is taken to have grown over the usual planning horizon
YEAR_S = 31_536_000


def _one_per_subject(rates: list, peak: float) -> list:
    """One stream per thing counted: "11.5M returns a year" and "750k returns on deadline day"
    state one stream at two scales (a year's total and its busiest day), not two streams to add;
    the larger average sizes it."""
    best: dict[str, Any] = {}
    for r in rates:
        key = r.subject.lower()
        if key in ("events", ""):
            continue  # "300k/day" names no thing: two unnamed counts may be two streams
        if key not in best or r.per_second / (peak if r.peak else 1) > best[key].per_second / (peak if best[key].peak else 1):
            best[key] = r
    return [r for r in rates if r.subject.lower() in ("events", "") or best.get(r.subject.lower()) is r]


def _writes_within_stock(req, read_subject: str, ratio: float, write: float, formula: str, notes: _Notes) -> tuple[float, str]:
    """Writes when only reads were stated and the ratio is assumed: keep them, unless they would
    add more of the things read in a year than ten times the stock the text states of them ("1.5
    million published episodes" read 25 million times a day are downloads, not 25 million new
    episodes a day). Then the design says so and takes the stock as grown over the planning
    horizon, which is the reading the text supports: reads are views, writes are new items."""
    stock = _stated_stock(req, read_subject)
    if not stock or write * YEAR_S <= STOCK_RENEWALS_PER_YEAR * stock[0]:
        return write, formula
    count, phrase = stock
    derived = write * YEAR_S
    supported = count / STOCK_YEARS / YEAR_S
    notes.assume("writes (scale check)", f"the stated stock renewed over {STOCK_YEARS:g} years: {fmt_count(count / STOCK_YEARS)} a year",
                 f"an assumed {ratio:g}:1 read:write ratio would add {derived:,.0f} a year, "
                 f"{derived / count:,.0f}x the stated \"{phrase}\"; the stated reads are views or downloads of what is "
                 "kept, and new items are few next to them",
                 f"How many new {read_subject or 'items'} are added per day?")
    return supported, f"{fmt_count(count)} (\"{phrase}\") / {STOCK_YEARS:g} years / {fmt_count(YEAR_S)} s"


def _stated_stock(req, subject: str) -> tuple[float, str] | None:
    """The largest stated count of the things a stream reads ("1.5 million published episodes"
    for "episodes"): a counted figure whose number is followed, within three words, by the
    subject's noun."""
    words = subject.lower().split()
    if not words:
        return None
    noun = words[-1].rstrip("s")[:6]
    best = None
    for f in req.figures:
        if not f.meaning.startswith("count of") or f.value < 1:
            continue
        for m in re.finditer(r"\d[\d,.]*\s*(?:k|m|b|thousand|million|billion)?\b((?:\s+[a-z][a-z\-]*){1,3})", f.phrase.lower()):
            if any(w.rstrip("s")[:6] == noun for w in m.group(1).split()) and (best is None or f.value > best[0]):
                best = (f.value, " ".join(f.phrase[m.start():m.end()].split()))
    return best


def _seconds(period: str) -> float:
    return RATE_SECONDS[period]


def _rate_formula(r, peak: float) -> str:
    if r.period == "second" and r.peak:
        return f"{fmt_count(r.per_second)} {r.subject}/s at peak / {peak:g} (peak factor)"
    if r.period == "second":
        return f"{fmt_count(r.per_second)} {r.subject}/s"
    return f"{fmt_count(r.count_per_period)} {r.subject}/{r.period} / {fmt_count(_seconds(r.period))} s/{r.period}"


def fmt_count(x: float) -> str:
    """100000000 -> '100 million', as the user would write it."""
    if x >= 1e9 and x % 1e8 == 0:
        return f"{x / 1e9:g} billion"
    if x >= 1e6 and x % 1e5 == 0:
        return f"{x / 1e6:g} million"
    return f"{x:,.0f}" if x >= 100 else f"{x:,.3g}"


def _typeahead(read, write, dau, d, notes: _Notes):
    searches = read or write
    if not searches:
        users = dau or 1e6
        searches = users * d["writes_per_user_day"] / 86_400
        notes.assume("searches", f"{d['writes_per_user_day']:g} per daily active user per day", "a typical search engine user", "How many searches per day?")
    notes.assume("writes", "one logged query per completed search", "suggestions are rebuilt offline from the query log")
    return searches, 0.0, "logged searches", "suggestion requests", searches


def _session_reads(dau: float, d: dict, notes: _Notes) -> tuple[float, str]:
    """Reads from what an active user does in a day when the text gives users and no rates:
    the requests of their sessions less the writes among them (an assumption, stated)."""
    per, writes = float(d["requests_per_user_day"]), float(d["writes_per_user_day"])
    notes.assume("requests per active user", f"{per:g} per day ({per - writes:g} reads + {writes:g} writes)",
                 "the page loads and API calls of one active user's day, a session or two",
                 "How many requests does an active user make per day?")
    return dau * (per - writes) / 86_400, f"{fmt_count(dau)} daily active users x {per - writes:g} reads/day / 86,400 s"


def _default_ratio(d: dict, notes: _Notes, req: Requirement) -> float:
    r = float(d["read_write_ratio"])
    if has_phrase(req.text, ["read-heavy", "read heavy", "mostly reads"]):
        r = max(r, 10.0)
    elif has_phrase(req.text, ["write-heavy", "write heavy", "mostly writes"]):
        r = min(r, 0.5)
    notes.assume("read:write ratio", f"{r:g}:1", "typical for this domain", "How many reads are there per write?")
    return r


FILED_PER_PERSON_MONTH = 1.0  # an expense claim, a leave request, a loan: about one a month per person


def _filed_writes(people: float, what: str, notes: _Notes) -> tuple[float, str]:
    """Writes when people file something another person or process acts on: a habit per month
    of everybody (acting_users), not a daily habit of the daily actives."""
    noun = what.replace("_", " ")
    notes.assume(f"{noun}s filed per person", f"about {FILED_PER_PERSON_MONTH:g} a month",
                 f"a {noun} someone else decides on or fulfils is filed now and then, not every day",
                 f"How many {noun}s does one person file a month?")
    return (people * FILED_PER_PERSON_MONTH / RATE_SECONDS["month"],
            f"{fmt_count(people)} people x {FILED_PER_PERSON_MONTH:g} {noun}/month / {fmt_count(RATE_SECONDS['month'])} s")


def _default_writes(req, d, dau, peak, notes: _Notes) -> float:
    if dau and "writes_per_user_day" in d:  # a domain without per-user writes (crawler) sizes by traffic
        per = d["writes_per_user_day"]
        notes.assume("writes per active user", f"{per:g} per day", "a typical engagement level for this domain",
                     "How many writes does an active user make per day?")
        return dau * per / 86_400, f"{fmt_count(dau)} daily active users x {per:g} writes/day / 86,400 s"
    peak_rps = {"high": 5000.0, "low": 20.0}.get(req.traffic_hint, 200.0)
    why = {"high": "'high traffic' usually means thousands of requests per second; sizing for 5,000 req/s at peak covers the common reading",
           "low": "an internal or low-traffic service"}.get(req.traffic_hint, "no traffic figure was given; a modest public service")
    notes.assume("peak traffic", f"{peak_rps:,.0f} req/s", why,
                 "What peak request rate must it sustain (or how many daily active users, and how many actions each)?")
    r = float(d["read_write_ratio"])
    return peak_rps / peak / (1 + r), f"{peak_rps:,.0f} req/s assumed peak / {peak:g} (peak factor) / (1 + {r:g} reads per write)"


# Periods of an action done while online ("a message every 30 s", "2 requests per minute").
_WHILE_ONLINE = ("second", "minute", "hour")


def _actors(r, dau: float, total: float, online: float) -> tuple[float, bool, str]:
    """(how many act, whether their rate is the peak, who they are) for a per-user rate: the
    stated concurrent users for an action repeated within the hour (they are the peak), else
    the daily actives or everybody (acting_users)."""
    if online and r.period in _WHILE_ONLINE:
        return online, True, "concurrent users"
    n = acting_users(r, dau, total)
    return n, r.peak, "daily active users" if n == dau else "users"


def acting_users(r, dau: float, total: float) -> float:
    """Who a per-user rate applies to: everybody for a weekly, monthly or yearly habit
    ("each employee files ~10 requests a year"), the daily actives for a daily one."""
    if r.period in ("week", "month", "year") and total:
        return total
    if total and _EVERY_MEMBER.search(r.source) and not _DAILY_ACTIVE.search(r.source):
        return total  # "each patient takes readings twice a day": every member, not a share active that day
    return dau


# "each patient takes 2 readings per day", "every member of them logs 3 meals a day": a daily
# habit said of each one of the counted people, not of a typical active user
# (a noun and its verb after "each": "8M DAU, each plays ~10 matches" speaks of the daily actives)
_EVERY_MEMBER = re.compile(r"\b(?:each|every)\s+(?:one\s+of\s+them\s+|of\s+them\s+|enrolled\s+|registered\s+)?"
                           r"(?!(?:day|week|month|hour|year|minute|second|time|morning|night)\b)[a-z]+\s+(?:[a-z]+\s+){1,3}?"
                           r"(?:about\s+|around\s+|roughly\s+|~\s*)?\d", re.I)
_DAILY_ACTIVE = re.compile(r"\b(?:dau|daily\s+active|active\s+(?:each|every|per)\s+day|on\s+a\s+given\s+day)\b", re.I)

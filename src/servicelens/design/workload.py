"""Requirement -> Workload: every number the capacity plan needs, filled in.

Each value the user did not give gets a default from the domain catalogue and an
`Assumption` saying why; the important ones also become `OpenQuestion`s.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from servicelens.design.attachments import ATTACHED_OBJECT_BYTES, attached_objects, is_optional
from servicelens.design.catalog import Catalog
from servicelens.design.notes import Notes as _Notes
from servicelens.design.stream_peaks import is_burst
from servicelens.design.traffic import fmt_count as _n
from servicelens.design.traffic import resolve_rates as _rates
from servicelens.design.upload_work import media_work
from servicelens.model.design import Assumption, OpenQuestion, Requirement

YEAR_S = 31_536_000
# A size from which a stored thing is a file in object storage, never a database row.
OBJECT_BYTES = 100_000


@dataclass(frozen=True, slots=True)
class Workload:
    domains: tuple[str, ...]
    stack: str
    write_avg: float  # events/s, average
    read_avg: float
    peak_factor: float
    write_subject: str
    read_subject: str
    record_bytes: float
    media_bytes: float  # average stored object size; 0 when the domain stores none
    media_max_bytes: float
    media_fraction: float  # share of writes that carry a media object
    retention_years: float
    latency_p99_ms: float
    availability_pct: float
    dau: float
    total_users: float
    fanout: float
    query_chars: float
    searches_avg: float  # typeahead: completed searches/s before keystroke amplification
    consistency: str
    compliance: tuple[str, ...]
    channels: tuple[tuple[str, float], ...]  # per-subject average write rates
    write_formula: str = ""
    read_formula: str = ""
    write_period: str = "day"  # the period the user counted writes in (for per-year totals)
    stored_users: float = 0.0  # storage_basis "users": rows grow with accounts, not with requests
    cache_hit_ratio: float = 0.0  # a domain's own hit ratio; 0 = the sizing default
    traffic_assumed: bool = False  # no rate and no user count was stated: the load is the default guess
    engagement_assumed: bool = False  # users stated but no rate: every stream is users x an assumed per-user rate
    online: float = 0.0  # stated concurrent users or connections at the peak; 0 = not stated
    bursts: tuple[tuple[str, float], ...] = ()  # (kind, events/s) of stated bursts above a stream's average (stream_peaks.is_burst)
    stored_record: tuple[float, str] = (0.0, "")  # a record size weighted over write streams of different sizes, with its formula
    media_work: str = "transcode"  # what follows an upload: transcode | thumbnails | store (upload_work.py)

    def peak_of(self, kind: str) -> float:
        """The peak rate of writes or reads: the average x the peak factor, or a stated burst when higher."""
        avg = self.write_avg if kind == "write" else self.read_avg
        return max([avg * self.peak_factor] + [rate for k, rate in self.bursts if k == kind])

    @property
    def primary(self) -> str:
        return self.domains[0]

    @property
    def read_write_ratio(self) -> float:
        if not self.write_avg:
            return 1e6 if self.read_avg else 0.0  # read-only traffic (rate-limit checks)
        return self.read_avg / self.write_avg


def resolve(req: Requirement, catalog: Catalog, stack: str) -> tuple[Workload, tuple[Assumption, ...], tuple[OpenQuestion, ...]]:
    notes = _Notes()
    d = catalog.domains[req.domains[0]]["defaults"]
    text = req.text
    peak = _peak_factor(req, d, notes)
    users = _users(req, notes)
    dau = users[0]
    write, read, wsubj, rsubj, searches, formulas = _rates(req, d, dau, peak, notes)
    record = _value(req.record_bytes, d["record_bytes"], "record size", "B", notes,
                    "a typical row for this domain including metadata",
                    "What does one record hold (fields and their sizes)?")
    media, media_max, frac = _media(req, d, text, notes, catalog.vocabulary["media_words"])
    retention = _retention(req, d, notes)
    p99 = _value(req.latency_p99_ms, d["latency_p99_ms"], "p99 latency target", "ms", notes,
                 "a common interactive target for this kind of endpoint",
                 "What p99 latency must the key endpoint meet?")
    avail = _value(req.availability_pct, d["availability_pct"], "availability target", "%", notes,
                   "a critical user-facing path (money, identity, redirects, messaging) gets 99.95%; three nines is the usual floor"
                   if d["availability_pct"] > 99.9 else "three nines is the usual floor for a user-facing service",
                   "What availability (SLO) is required?")
    fanout = _value(req.fanout, d.get("fanout", 0), "average followers (fan-out)", "", notes,
                    "the commonly used average for social graphs", "") if "feeds" in req.domains else 0.0
    qchars = _value(req.query_chars, d.get("query_chars", 0), "characters per query", "", notes,
                    "each keystroke sends one request (clients debounce in practice)", "") if req.domains[0] == "typeahead" else 0.0
    if req.domains[0] == "typeahead":
        read, searches = searches * qchars, searches
        formulas = (formulas[0], f"{_n(searches)} searches/s x {qchars:g} keystrokes per search", formulas[2])
        notes.assume("suggestion requests", f"{qchars:g} per search", "every typed character asks for suggestions (the worst case; a 100 ms debounce roughly halves it)")
    consistency = req.consistency or d.get("consistency", "")
    if consistency and not req.consistency:
        notes.assume("consistency", consistency, "money must move exactly once even when clients retry", "")
    channels = tuple((r.subject, r.per_second * (dau if r.per_user else 1)) for r in req.rates if r.kind == "write")
    work = Workload(
        domains=req.domains, stack=stack, write_avg=write, read_avg=read, peak_factor=peak,
        write_subject=wsubj, read_subject=rsubj, record_bytes=record, media_bytes=media,
        media_max_bytes=media_max, media_fraction=frac, retention_years=retention,
        latency_p99_ms=p99, availability_pct=avail, dau=dau, total_users=users[1],
        fanout=fanout, query_chars=qchars, searches_avg=searches, consistency=consistency,
        compliance=req.compliance, channels=channels, write_formula=formulas[0],
        read_formula=formulas[1], write_period=formulas[2],
        stored_users=_stored_users(d, users, write + read, notes, text), cache_hit_ratio=float(d.get("cache_hit_ratio", 0.0)),
        traffic_assumed=not dau and not users[1] and all(r.per_user for r in req.rates),
        engagement_assumed=not req.rates,
        online=req.concurrent_connections.value if req.concurrent_connections else 0.0,
        bursts=tuple((r.kind, r.per_second) for r in req.rates if is_burst(r, req.rates)),
        media_work=media_work(text))
    work = replace(work, stored_record=_weighted_record(req, work))
    return work, tuple(notes.assumptions), tuple(notes.questions)


def _weighted_record(req: Requirement, w: Workload) -> tuple[float, str]:
    """The average stored row when the write streams have sizes of their own ("a prescription
    record is ~3 KB", "5 audit events per prescription, ~500 bytes each"): each stream's rows at
    its own size, weighted by its rate, so a small, frequent stream does not take the size of
    the large one. (0, '') when the streams share one size."""
    from servicelens.design.workloads import row_bytes, stream_rate  # workloads builds on this module
    streams = []
    for r in req.rates:
        if r.kind != "write" or is_burst(r, req.rates):
            continue
        rate, _ = stream_rate(r, w)
        size, _ = row_bytes(r, req, w)
        if size >= OBJECT_BYTES or (w.media_bytes and size == w.media_bytes):
            size = w.record_bytes  # a file goes to object storage; its database row is the record
        if rate > 0 and size > 0:
            streams.append((r.subject or "writes", rate, size))
    if len(streams) < 2 or len({size for _, _, size in streams}) < 2:
        return 0.0, ""
    total = sum(rate for _, rate, _ in streams)
    weighted = sum(rate * size for _, rate, size in streams) / total
    parts = " + ".join(f"{_n(rate)} {subject}/s x {_n(size)} B" for subject, rate, size in streams)
    return weighted, f"({parts}) / {_n(total)} /s"


def _value(q, default, topic, unit, notes: _Notes, reason, question) -> float:
    if q is not None:
        return float(q.value)
    notes.assume(topic, f"{default:g} {unit}".strip(), reason, question)
    return float(default)


def _peak_factor(req: Requirement, d: dict, notes: _Notes) -> float:
    if req.peak_factor:
        return req.peak_factor.value
    why = ("bursty traffic (morning logins, sales, campaigns) puts the busiest hour at ~3x the daily average"
           if d["peak_factor"] >= 3 else "a daily traffic cycle puts the busiest hour at ~2x the daily average")
    notes.assume("peak factor", f"{d['peak_factor']}x the average", why,
                 "What is the peak-to-average traffic ratio (or the busiest hour's volume)?")
    return float(d["peak_factor"])


def _users(req: Requirement, notes: _Notes) -> tuple[float, float]:
    """(daily active users, total users); 0 when unknown and not needed."""
    frac = req.daily_active_fraction.value if req.daily_active_fraction else 0.0
    total = req.total_users.value if req.total_users else 0.0
    if req.daily_active_users:
        return req.daily_active_users.value, total
    base = req.monthly_active_users or req.total_users
    if base and frac:
        return base.value * frac, total
    if base:
        share = 0.5 if req.monthly_active_users else 0.2
        notes.assume("daily active users", f"{share:.0%} of {'monthly active' if req.monthly_active_users else 'total'} users",
                     "typical DAU/MAU for a daily-use product; total registered users are mostly dormant",
                     "How many users are active on a typical day?")
        return base.value * share, total
    return 0.0, total


def _media(req: Requirement, d: dict, text: str, notes: _Notes, media_words: list[str]) -> tuple[float, float, float]:
    frac_default = float(d.get("media_fraction", 0.0))
    frac = req.media_fraction.value if req.media_fraction else frac_default
    if req.media_bytes is None:
        found = attached_objects(text, media_words) if not frac else None
        if found:
            frac = OPTIONAL_MEDIA_FRACTION if found.optional else 1.0
            size = 50e6 if re.search(r"\bvideos?\b", found.phrase, re.I) else float(ATTACHED_OBJECT_BYTES)
            notes.assume("objects the records carry", f"{_human_bytes(size)} each, on {frac:.0%} of writes",
                         f"\"{found.phrase}\": a compressed photo or scan is ~0.5-2 MB; "
                         + ("an optional attachment is used by a small minority" if found.optional else "each write carries one"),
                         "What is the average size of an attached object, and how many writes carry one?")
            return size, size * 4, frac
        if not frac:
            return 0.0, 0.0, 0.0
        size = 50e6 if re.search(r"\bvideos?\b|youtube|netflix|stream", text, re.I) else float(d.get("media_bytes", 500_000))
        notes.assume("average media object", _human_bytes(size), "a typical compressed phone photo / short video / web page",
                     "What is the average and maximum size of an uploaded object?")
        return size, size * 4, frac
    size = req.media_bytes.value
    if not frac and is_optional(req.media_bytes.source):
        frac = OPTIONAL_MEDIA_FRACTION
        notes.assume("media per write", f"{frac:.0%} of writes carry an object",
                     "the text says an object may be included, not that every write has one; an optional attachment is "
                     "used by a small minority", "What share of writes carries an upload?")
    elif not frac:
        frac = 1.0
        notes.assume("media per write", "every write carries one object", "a size was stated for uploads")
    if re.search(r"up to|max|at most|limit|no more than|<=?", req.media_bytes.source, re.I):
        video = bool(re.search(r"\bvideos?\b|youtube|stream", text, re.I))
        avg = size / 4 if video else min(size / 4, 10e6)
        notes.assume("average media object", f"{_human_bytes(avg)} (the stated {_human_bytes(size)} is a limit)",
                     "most uploads are far below the limit: a quarter of it, at most 10 MB for non-video files",
                     "What is the average object size?")
        return avg, size, frac
    return size, size, frac


# "forms can include file uploads", "you may attach a PDF": a permitted attachment, not one
# that every write carries (attachments.py reads the modal).
OPTIONAL_MEDIA_FRACTION = 0.05


def _retention(req: Requirement, d: dict, notes: _Notes) -> float:
    if req.retention:
        return req.retention.value / YEAR_S
    if re.search(r"\b(?:indefinitely|forever|permanently|never\s+(?:be\s+)?(?:deleted|purged|removed))\b", req.text, re.I):
        notes.assume("retention", "1 year of growth (kept indefinitely)",
                     "data kept without end has no total: storage is sized per year of growth and grows every year",
                     "Is there any point after which data may be archived or deleted?")
        return 1.0
    years = float(d["retention_years"])
    why = {"payments": "financial records are commonly kept 7 years (tax and audit rules)",
           "orders": "order records are commonly kept 7 years (tax and audit rules)",
           "notifications": "delivery logs are operational data; 90 days covers support cases"}
    notes.assume("retention", f"{years:g} years", why.get(req.domains[0], "a common planning horizon for this data"),
                 "How long must the data be kept (and must anything be deleted earlier, e.g. GDPR erasure)?")
    return years


def _human_bytes(n: float) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n:g} B"


def _stored_users(d: dict, users: tuple[float, float], write: float, notes: _Notes, text: str = "") -> float:
    """Accounts stored, for domains whose rows grow with users (auth), not with requests."""
    if d.get("storage_basis") == "items":
        return _catalogue_items(d, text, notes)
    if d.get("storage_basis") != "users":
        return 0.0
    dau, total = users
    if total:
        return total
    noun = "API clients (keys)" if d.get("total_split") == "reads" else "registered users"
    guess = dau * 5 if dau else (100_000 if d.get("total_split") == "reads" else write * 86_400 * 5)
    notes.assume(noun, f"{guess:,.0f}", "about 5x the daily active users (or the daily requests) as accounts",
                 f"How many {noun} are there?")
    return guess


_CATALOGUE_NOUN = re.compile(r"\s*(?:products|items|skus|listings|documents|articles)\b", re.I)


def _catalogue_items(d: dict, text: str, notes: _Notes) -> float:
    """A catalogue's size is its item count ("10 million products"); updates do not add rows."""
    from servicelens.design.text import normalise, numbers
    norm = normalise(text)
    for n in numbers(norm):
        if _CATALOGUE_NOUN.match(norm, n.end):
            return n.value
    notes.assume("catalogue size", f"{d['items_default']:,.0f} items", "a mid-size catalogue; writes update items rather than add rows",
                 "How many items does the catalogue hold?")
    return float(d["items_default"])

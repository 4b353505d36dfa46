"""The number parser: many phrasings of the same facts."""
from __future__ import annotations

import pytest

from servicelens.design.requirement import parse_requirement
from servicelens.design.text import normalise, numbers

DAY, MONTH = 86_400, 2_500_000


@pytest.mark.parametrize("text,value", [
    ("20k", 20_000), ("20K", 20_000), ("2M", 2e6), ("2.5M", 2.5e6), ("50 million", 5e7),
    ("1.5 billion", 1.5e9), ("5B searches", 5e9), ("100,000", 1e5), ("1,000,000", 1e6),
    ("ten million users", 1e7), ("a million users", 1e6), ("half a million users", 5e5),
    ("1e6", 1e6), ("10^6", 1e6), ("3bn", 3e9), ("100K+", 1e5), ("7", 7),
])
def test_numbers_with_multipliers(text, value):
    assert numbers(normalise(text))[0].value == pytest.approx(value)


def test_bare_b_before_punctuation_is_bytes_not_billion():
    assert numbers(normalise("each URL is 500 B."))[0].value == 500


def _rate(req, kind):
    return sum(r.per_second for r in req.rates if r.kind == kind and not r.per_user)


@pytest.mark.parametrize("text,kind,per_second,peak", [
    ("auth service handling 20k rps", "total", 20_000, True),
    ("20,000 requests per second", "total", 20_000, True),
    ("20k req/s", "total", 20_000, True),
    ("20k QPS of search queries", "read", 20_000, True),
    ("2M payments/day", "write", 2e6 / DAY, False),
    ("2M payments a day", "write", 2e6 / DAY, False),
    ("2 million payments daily", "write", 2e6 / DAY, False),
    ("100M new URLs per month", "write", 100e6 / MONTH, False),
    ("500 million new URLs monthly", "write", 500e6 / MONTH, False),
    ("1 billion page views per day", "read", 1e9 / DAY, False),
    ("5 billion searches per day", "read", 5e9 / DAY, False),
    ("15 billion pages in 4 weeks", "write", 15e9 / (4 * 604_800), False),
    ("3,600 orders per hour", "write", 1.0, False),
    ("1 million transactions a day", "write", 1e6 / DAY, False),
    ("an average of 500 logins per second", "write", 500, False),
    ("peak of 50k requests per second", "total", 50_000, True),
    ("1M requests per minute at peak", "total", 1e6 / 60, True),
])
def test_rates(catalog, text, kind, per_second, peak):
    req = parse_requirement("API: " + text, catalog)
    found = [r for r in req.rates if r.kind == kind]
    assert found, req.rates
    assert found[0].per_second == pytest.approx(per_second, rel=1e-6)
    assert found[0].peak is peak


def test_list_shares_one_period(catalog):
    req = parse_requirement("Notifications: 10 million push notifications, 1 million SMS and 5 million emails per day", catalog)
    subjects = {r.subject: r.count_per_period for r in req.rates}
    assert subjects == {"push notifications": 1e7, "sms": 1e6, "emails": 5e6}
    assert all(r.period == "day" for r in req.rates)


@pytest.mark.parametrize("text,per_user_count,kind", [
    ("each user sends 40 messages per day", 40, "write"),
    ("users post 2 tweets per day", 2, "write"),
    ("each user watches 5 videos per day", 5, "read"),
    ("every user performs 10 searches per day", 10, "read"),
])
def test_per_user_rates(catalog, text, per_user_count, kind):
    req = parse_requirement("10 million daily active users, " + text, catalog)
    r = next(r for r in req.rates if r.per_user)
    assert r.count_per_period == per_user_count and r.kind == kind
    assert req.daily_active_users.value == 1e7


def test_fraction_of_users_applies_to_the_rate(catalog):
    req = parse_requirement("5 million DAU, 10% of users upload 1 video per day", catalog)
    r = next(r for r in req.rates if r.per_user)
    assert r.count_per_period == pytest.approx(0.1)
    assert req.daily_active_fraction is None


@pytest.mark.parametrize("text,field,value", [
    ("50 million users", "total_users", 5e7),
    ("10M daily active users", "daily_active_users", 1e7),
    ("10M DAU", "daily_active_users", 1e7),
    ("DAU of 3 million", "daily_active_users", 3e6),
    ("300M monthly active users", "monthly_active_users", 3e8),
    ("200M MAU", "monthly_active_users", 2e8),
    ("10 million clients", "total_users", 1e7),
])
def test_user_counts(catalog, text, field, value):
    req = parse_requirement("chat app with " + text, catalog)
    assert getattr(req, field).value == value


@pytest.mark.parametrize("text,field,value", [
    ("p99 < 200 ms", "latency_p99_ms", 200), ("p99 latency under 150ms", "latency_p99_ms", 150),
    ("p99 <= 0.5 s", "latency_p99_ms", 500), ("200 ms p99", "latency_p99_ms", 200),
    ("respond within 300 ms", "latency_p99_ms", 300), ("median 40 ms", "latency_p50_ms", 40),
    ("p50 of 20 ms", "latency_p50_ms", 20),
    ("99.95%", "availability_pct", 99.95), ("99.9% uptime", "availability_pct", 99.9),
    ("four nines availability", "availability_pct", 99.99), ("SLA of 99.5%", "availability_pct", 99.5),
    ("images up to 20 MB", "media_bytes", 20e6), ("average photo size 200 KB", "media_bytes", 200e3),
    ("messages are 100 bytes", "record_bytes", 100), ("each record 2 KB", "record_bytes", 2000),
    ("keep for 7 years", "retention", 7 * 31_536_000), ("retain data 90 days", "retention", 90 * 86_400),
    ("store for 5 years", "retention", 5 * 31_536_000), ("data retention of 6 months", "retention", 6 * 2_592_000),
    ("reads are 10x writes", "read_write_ratio", 10), ("read:write 100:1", "read_write_ratio", 100),
    ("100:1 read to write ratio", "read_write_ratio", 100), ("write:read ratio 1:5", "read_write_ratio", 5),
    ("10 reads per write", "read_write_ratio", 10), ("5 times more reads than writes", "read_write_ratio", 5),
    ("upload:view ratio 1:200", "read_write_ratio", 200),
    ("peak factor 3x", "peak_factor", 3), ("peaks at 5x the average", "peak_factor", 5),
    ("traffic is 4 times the average at peak", "peak_factor", 4),
    ("each user has 200 followers", "fanout", 200), ("users follow 300 people", "fanout", 300),
    ("queries average 20 characters", "query_chars", 20),
])
def test_measures(catalog, text, field, value):
    req = parse_requirement("payments service, " + text, catalog)
    q = getattr(req, field)
    assert q is not None, req
    assert q.value == pytest.approx(value)


def test_measures_do_not_leak_into_rates(catalog):
    req = parse_requirement("payments: p99 < 200 ms, 99.95%, images up to 20 MB, keep 7 years, reads are 10x writes", catalog)
    assert req.rates == ()


@pytest.mark.parametrize("text,consistency,compliance", [
    ("payments must be exactly-once, PCI DSS scope", "exactly-once", ("PCI-DSS",)),
    ("never charge twice; EU users under GDPR", "exactly-once", ("GDPR",)),
    ("strongly consistent ledger, SOX audit", "strong", ("SOX",)),
    ("eventual consistency is fine; HIPAA health records", "eventual", ("HIPAA",)),
])
def test_consistency_and_compliance(catalog, text, consistency, compliance):
    req = parse_requirement(text, catalog)
    assert req.consistency == consistency
    assert set(compliance) <= set(req.compliance)


@pytest.mark.parametrize("text,domain", [
    ("I need to build an API endpoint for user authentication that can handle high traffic", "auth"),
    ("Design a URL shortener like bit.ly", "url_shortener"),
    ("Design Twitter's home timeline", "feeds"),
    ("WhatsApp-style chat", "chat"),
    ("Instagram photo sharing", "media"),
    ("a checkout and payments service", "payments"),
    ("web crawler for a search engine", "crawler"),
    ("search autocomplete", "typeahead"),
    ("rate limiter for a public API", "public_api"),
    ("notification service for push notifications", "notifications"),
    ("product catalogue with full-text search", "catalogue"),
    ("an API to manage invoices", "crud"),
])
def test_domains(catalog, text, domain):
    assert parse_requirement(text, catalog).domains[0] == domain


def test_generic_crud_entity(catalog):
    req = parse_requirement("a REST API to manage invoices for 10k customers", catalog)
    assert req.domains == ("crud",) and req.entities == ("invoices",)
    assert "create_invoice" in req.operations


def test_a_period_after_a_or_each_needs_a_space_so_as_is_not_a_second(design):
    proposal = design("Podcast hosting: 25,000 shows upload episodes as MP3s averaging 60 MB; about 4k new episodes a day.")
    writes = next(i for i in proposal.capacity if i.name.startswith("write requests per second (average)"))
    assert writes.value < 1  # 4,000 a day, not 25,000 a second


def test_a_count_in_a_single_hour_is_an_hourly_rate(design):
    proposal = design("Metro ticketing for 1,200 gates. Morning peak sees 45,000 taps in a single hour.")
    peak = next(i for i in proposal.capacity if i.name.startswith("write requests per second (peak)"))
    assert abs(peak.value - 12.5) < 0.5


def test_a_rate_per_thing_is_multiplied_by_how_many_things_there_are(design):
    proposal = design("Ground segment for 48 satellites. Each satellite passes over a ground station 8 times per day.")
    per_day = next(i for i in proposal.capacity if i.name.startswith("writes per day"))
    reads = next(i for i in proposal.capacity if i.name.startswith("read requests per second (average)"))
    assert abs(per_day.value + reads.value * 86400 - 384) < 1  # 48 x 8, split between reads and writes


def test_a_version_glued_to_a_letter_is_a_name_not_a_quantity(design):
    """"OCPP 1.6J" names a protocol version; "4K" and "10M" stay quantities."""
    p = design("Charge-point backend for 3,800 chargers speaking OCPP 1.6J; each charger sends 1,440 heartbeats a day.")
    import json
    from servicelens.render.design_json import render_design_json
    understood = json.loads(render_design_json(p))["requirement"]["as_understood"]
    rows = {r["phrase"]: r["meaning"] for r in understood if "1.6" in r["phrase"]}
    assert rows and all(m == "a name or id, not a quantity" for m in rows.values()), rows

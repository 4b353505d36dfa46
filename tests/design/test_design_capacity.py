"""Capacity formulas against careful worked solutions of classic exercises.

Tolerance: back-of-envelope (within ~10%); each expected number is the published
worked-solution figure with the same inputs.
"""
from __future__ import annotations

import pytest

from design_helpers import cap


def approx(x, rel=0.1):
    return pytest.approx(x, rel=rel)


def test_url_shortener_brief_example(design):
    p = design("URL shortener, 100M new URLs per month, read:write 100:1, keep 5 years")
    assert cap(p, "write requests per second (average)") == approx(40)
    assert cap(p, "read requests per second (average)") == approx(4000)
    assert cap(p, "records over the retention period") == approx(6e9)
    assert cap(p, "database storage over the retention period (raw)") == approx(3)  # TB at 500 B
    assert next(c.unit for c in p.capacity if c.name.startswith("database storage over")) == "TB"


def test_url_shortener_grokking(design):
    p = design("Design a URL shortening service like TinyURL: 500 million new URLs per month, "
               "100:1 read to write ratio, each record 500 bytes, store for 5 years")
    assert cap(p, "write requests per second (average)") == approx(200)
    assert cap(p, "read requests per second (average)") == approx(20_000)
    assert cap(p, "records over the retention period") == approx(30e9)
    assert cap(p, "database storage over the retention period (raw)") == approx(15)  # TB
    assert cap(p, "cache memory for the hot set") == approx(170)  # GB (20% of a day's reads)


def test_twitter_alex_xu(design):
    p = design("Design Twitter: 300M monthly active users, 50% use it daily, users post 2 tweets per day, "
               "10% of tweets contain media of 1 MB, store data for 5 years")
    assert cap(p, "daily active users") == approx(150e6)
    assert cap(p, "write requests per second (average)") == approx(3500)
    assert cap(p, "write requests per second (peak)") == approx(7000)
    assert cap(p, "media storage per day") == approx(30)  # TB/day
    assert cap(p, "media storage over the retention period") == approx(55)  # PB
    kinds = {c.name.split(" of ")[0].split(" for ")[0] for c in p.components}  # "Queue of tweets" is a queue
    assert {"Cache", "Queue", "Object storage", "CDN"} <= kinds


def test_chat_whatsapp(design):
    p = design("Design a chat app like WhatsApp with 500 million daily active users, each user sends 40 messages "
               "per day, messages are 100 bytes, keep history 5 years")
    assert cap(p, "writes per day") == approx(20e9)
    assert cap(p, "write requests per second (average)") == approx(231_000)
    assert cap(p, "database storage per day (raw)") == approx(2)  # TB/day
    assert cap(p, "database storage over the retention period (raw)") == approx(3.65)  # PB
    assert cap(p, "concurrent connections (peak)") == approx(50e6)
    assert "WebSocket gateway" in {c.name for c in p.components}


def test_instagram_grokking(design):
    p = design("Design Instagram: 500M total users, 1M daily active users, 2M new photos per day, "
               "average photo size 200 KB, keep photos for 10 years")
    assert cap(p, "write requests per second (average)") == approx(23)
    assert cap(p, "media storage per day") == approx(400)  # GB/day
    assert cap(p, "media storage over the retention period") == approx(1.425)  # PB (Grokking: 1425 TB)


def test_youtube_alex_xu(design):
    p = design("Design YouTube: 5 million daily active users, each user watches 5 videos per day, "
               "10% of users upload 1 video per day, average video size 300 MB")
    assert cap(p, "media storage per day") == approx(150)  # TB/day
    assert cap(p, "egress per day (average, CDN)") == approx(7.5)  # PB/day
    assert cap(p, "read requests per second (average)") == approx(290)
    assert "Transcoding pipeline" in {d.pattern for d in p.decisions if d.chosen}


def test_web_crawler_alex_xu(design):
    p = design("Web crawler that crawls 1 billion pages per month, average page 500 KB, store for 5 years")
    assert cap(p, "write requests per second (average)") == approx(400)
    assert cap(p, "write requests per second (peak)") == approx(800)
    assert cap(p, "media storage per month") == approx(500)  # TB/month
    assert cap(p, "media storage over the retention period") == approx(30)  # PB


def test_typeahead_alex_xu(design):
    p = design("Search autocomplete for 10 million daily active users, each user performs 10 searches per day, "
               "queries average 20 characters")
    assert cap(p, "read requests per second (average)") == approx(24_000)
    assert cap(p, "read requests per second (peak)") == approx(48_000)


def test_notifications_per_channel(design):
    p = design("Notification system sending 10 million push notifications, 1 million SMS and 5 million emails per day")
    assert cap(p, "write requests per second (average)") == approx(185)
    assert cap(p, "push notifications per second (peak)") == approx(347)
    assert cap(p, "sms worker instances") >= 2


def test_payments_alex_xu(design):
    p = design("Payment system handling 1 million payments per day, exactly-once, PCI compliance, keep records 7 years")
    assert cap(p, "write requests per second (average)") == approx(11.6)
    assert cap(p, "idempotency keys held") == approx(1e6)
    assert cap(p, "in-flight provider calls") == approx(104)
    chosen = {d.pattern for d in p.decisions if d.chosen}
    assert {"Idempotency keys", "Transactional outbox", "Timeouts, retries and circuit breakers"} <= chosen


def test_auth_hash_cost_dominates(design):
    p = design("auth endpoint for 20k logins/s, p99 < 200 ms, 99.95% availability, 10 million users")
    assert cap(p, "password logins per second (peak)") == 20_000
    assert cap(p, "vCPU for password hashing (peak)") == approx(500)  # 20k x 25 ms
    assert cap(p, "vCPU if bcrypt cost 12") == approx(5000)
    assert cap(p, "API instances") >= 200
    assert cap(p, "user accounts stored") == 1e7


def test_rate_limiter_counters(design):
    p = design("Design a rate limiter for a public API handling 1 million requests per second, 10 million clients")
    assert cap(p, "rate-limit counters in Redis") == approx(1)  # GB at 100 B/key
    assert cap(p, "Redis nodes for rate limiting") == 17
    assert cap(p, "write requests per second (average)") == 0


def test_peak_factor_is_stated_and_applied(design):
    p = design("orders service, 1M orders per day, peak factor 5x")
    assert cap(p, "write requests per second (peak)") == approx(1e6 / 86_400 * 5)
    assert any("peak = 5x" in c.value for c in p.conventions)


def test_every_item_has_unit_and_formula(design):
    p = design("photo uploads up to 20 MB, 1M uploads per day, keep 3 years")
    for item in p.capacity:
        assert item.unit and item.formula and item.name
    assert any("(peak)" in i.name for i in p.capacity) and any("(average)" in i.name for i in p.capacity)
    assert cap(p, "media storage per day") == approx(5)  # TB/day: 1M x 5 MB (a quarter of the 20 MB limit)


def test_conventions_are_stated(design):
    p = design("URL shortener, 100M new URLs per month")
    text = " ".join(c.value for c in p.conventions)
    assert "86,400" in text and "2.5 million" in text


def test_downtime_budget_from_the_availability_target(design):
    """The error budget an SLO allows is what a team plans maintenance and incidents against."""
    p = design("A booking API for 20,000 users; it must be available 99.5% of the time")
    assert cap(p, "allowed downtime per year") == approx(43.8)  # hours
    assert cap(p, "allowed downtime per month") == approx(219)  # minutes
    p = design("An internal expense tool for 300 staff with 99.9% availability")
    assert cap(p, "allowed downtime per month") == approx(43.8)

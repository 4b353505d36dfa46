"""A text that gives users and no request rate is sized from what an active user does in a
day: the requests of their sessions (reads) besides the writes, each an assumption stated
in the design and in the arithmetic. Text written for this test."""
from __future__ import annotations


def test_users_without_rates_are_sized_from_their_sessions(design):
    p = design("A portal for our 2,000 employees to file maintenance tickets and follow their progress.")
    topics = {a.topic: a.value for a in p.assumptions}
    assert "requests per active user" in topics and "15 reads" in topics["requests per active user"]
    reads = next(c for c in p.capacity if c.name.startswith("read requests per second (average)"))
    writes = next(c for c in p.capacity if c.name.startswith("write requests per second (average)"))
    assert abs(reads.value / writes.value - 3.0) < 0.01
    assert "daily active users x 15 reads/day" in reads.formula


def test_a_stated_ratio_wins_over_the_session_model(design):
    p = design("A portal for our 2,000 employees to file maintenance tickets; reads:writes is 10:1.")
    assert "requests per active user" not in {a.topic for a in p.assumptions}


def test_a_keyword_used_only_as_a_verb_does_not_name_a_catalogued_system(design):
    p = design("A portal for our 2,000 employees to file maintenance tickets and follow their progress.")
    assert p.requirement.domains[0] == "system"  # "follow their progress" is no social feed

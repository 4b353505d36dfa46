"""Pattern selection: the same text at different scales gives different designs."""
from __future__ import annotations

from servicelens.design.patterns import holds


def _chosen(p):
    return {d.pattern for d in p.decisions if d.chosen}


def test_same_text_at_50_and_50k_rps_differs(design):
    small = design("product catalogue API with search, 50 requests per second")
    large = design("product catalogue API with search, 50k requests per second")
    assert _chosen(small) != _chosen(large)
    assert "API gateway" not in _chosen(small) and "API gateway" in _chosen(large)
    assert "Cache-aside with TTLs" not in _chosen(small) and "Cache-aside with TTLs" in _chosen(large)
    assert "Read replicas" in _chosen(design("product catalogue API with search, 200k requests per second"))
    assert "Service decomposition" in _chosen(large)
    small_n = next(c.value for c in small.capacity if c.name == "API instances")
    large_n = next(c.value for c in large.capacity if c.name == "API instances")
    assert large_n > 10 * small_n


def test_rejected_patterns_say_why_not(design):
    p = design("product catalogue API with search, 50 requests per second")
    rejected = {d.pattern: d.why for d in p.decisions if not d.chosen}
    assert "Read replicas" in rejected and "fit on the primary" in rejected["Read replicas"]


def test_cache_aside_needs_read_heavy_traffic(design):
    assert "Cache-aside with TTLs" not in _chosen(design("orders API, 200 rps, reads are 1x writes"))
    assert "Cache-aside with TTLs" in _chosen(design("orders API, 200 rps, reads are 20x writes"))


def test_sharding_past_one_primary(design):
    assert "Partitioning / sharding" not in _chosen(design("orders API, 20 orders per second at peak, keep 1 year"))
    assert "Partitioning / sharding" in _chosen(design("orders API, 20k orders per second at peak, keep 1 year"))


def test_wide_column_replaces_relational_shards_at_chat_scale(design):
    p = design("chat app, 500 million daily active users, each user sends 40 messages per day, keep 5 years")
    assert "Wide-column store" in _chosen(p) and "Partitioning / sharding" not in _chosen(p)
    assert not any(c.name.startswith("database shards") for c in p.capacity)


def test_multi_region_only_for_four_nines(design):
    assert "Multi-region" not in _chosen(design("payments, 1M payments per day, 99.95% availability"))
    assert "Multi-region" in _chosen(design("payments, 1M payments per day, 99.99% availability"))


def test_auth_gets_token_design_and_hashing(design):
    chosen = _chosen(design("I need to build an API endpoint for user authentication that can handle high traffic"))
    assert {"Token design", "Password hashing sized with rate limits", "Rate limits", "Observability"} <= chosen


def test_condition_language():
    m = {"a": 5, "b": 1}
    assert holds("always", m, ())
    assert holds(["a", ">", 4], m, ())
    assert not holds({"all": [["a", ">", 4], ["b", ">", 1]]}, m, ())
    assert holds({"any": [["a", ">", 40], ["b", "==", 1]]}, m, ())
    assert holds(["domain", "in", ["chat"]], m, ("feeds", "chat"))
    assert not holds(["missing", ">", 0], m, ())

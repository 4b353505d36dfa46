"""Building blocks composed from the requirement model's shapes (design/composition.py)."""
from __future__ import annotations

from servicelens.design.catalog import load_catalog
from servicelens.design.composition import Facts, compose
from servicelens.design.requirement import parse_requirement
from servicelens.model.design import Component


def _blocks(text: str, facts: Facts = Facts(), have: tuple[Component, ...] = ()):
    catalog = load_catalog()
    req = parse_requirement(text, catalog)
    return compose(req, facts, catalog.compositions["rules"], have)


def _names(text: str, **kw) -> list[str]:
    return [c.name for b in _blocks(text, **kw).blocks for c in b.components]


def test_work_handed_to_a_free_worker_gets_a_leased_queue_named_after_it():
    names = _names("Our CI service: every push triggers a build, and the queue hands each build to a free runner.")
    assert "Build work queue with leases" in names


def test_escalation_after_a_deadline_gets_a_timer_job():
    names = _names("An IT helpdesk app: staff open tickets, and a ticket nobody answers within 4 hours escalates to the lead.")
    assert any("deadline timer job" in n for n in names)


def test_megabyte_files_get_object_storage_and_a_cdn_only_with_their_stated_size():
    text = "A podcast host: creators upload episodes and listeners download episodes."
    assert not any("CDN" in n for n in _names(text))
    big = _names(text, facts=Facts(media_bytes=60e6))
    assert any(n.startswith("CDN in front of episode") for n in big)


def test_a_component_already_doing_the_job_is_not_added_twice():
    text = "A podcast host: creators upload episodes and listeners download episodes."
    have = (Component("CDN for audio", "edge cache", "CDN"),)
    assert not any("CDN" in n for n in _names(text, facts=Facts(media_bytes=60e6), have=have))


def test_a_covered_rule_still_gives_its_operation():
    text = "Auctions for used cars: bidders watch an auction and every new bid is shown to all of them within 1 second."
    result = _blocks(text, have=(Component("Push tier", "fan-out", "WebSocket gateway"),))
    assert not any(b.id == "composed_live_gateway" for b in result.blocks)
    assert any(op[0].startswith("watch_") and op[1] == "GET" for op in result.operations)


def test_a_latency_bound_check_gets_a_cache_only_under_a_stated_p99():
    text = "A promotion engine: at checkout the cart service asks us to validate a coupon code."
    assert not any("cache" in n.lower() for n in _names(text))
    assert any("cache" in n.lower() and "50 ms" in n for n in _names(text, facts=Facts(p99_ms=50)))


def test_real_time_is_a_push_need_only_where_someone_sees_it():
    assert not any("live updates" in n for n in _names("A fraud check must run in real time on every payment of the shop."))
    assert any("live updates" in n for n in _names("Dispatchers see every truck's position in real time on a map."))

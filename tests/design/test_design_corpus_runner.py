"""The design-corpus scorer's matching rules (benchmarks/design/run_design_corpus.py)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).parents[2] / "benchmarks" / "design" / "run_design_corpus.py"
_spec = importlib.util.spec_from_file_location("run_design_corpus", _PATH)
runner = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(runner)


@pytest.mark.parametrize("unit,family", [("writes/s", "rate/second"), ("messages/day", "rate/day"), ("GB", "bytes"),
                                         ("GB/day", "bytes/day"), ("MB/s", "bandwidth"), ("Gbps", "bandwidth"),
                                         ("instances", "count"), ("ms", "duration")])
def test_unit_families(unit, family):
    assert runner.family(unit)[0] == family


def test_figure_is_matched_within_tolerance_in_its_unit_family_only():
    capacity = [{"name": "x", "value": 4.9, "unit": "GB", "formula": ""}, {"name": "y", "value": 926, "unit": "req/s", "formula": ""}]
    assert runner.figure_produced({"value": 5000, "unit": "MB", "tolerance": 0.1}, capacity)
    assert runner.figure_produced({"value": 900, "unit": "writes/s", "tolerance": 0.05}, capacity)
    assert not runner.figure_produced({"value": 926, "unit": "writes/day", "tolerance": 0.5}, capacity)
    assert runner.figure_produced({"value": 42, "unit": "GB", "tolerance": 0.5},
                                  [{"name": "v", "value": 40, "unit": "GB/year", "formula": ""}])


def test_stated_number_needs_its_phrase_value_and_a_meaning():
    rows = [{"value": 600.0, "unit": "s", "phrase": "a 10-minute hold while they pay", "meaning": "hold / expiry duration"},
            {"value": 40000.0, "unit": "count", "phrase": "40,000 seats", "meaning": ""}]
    assert runner.stated_accounted({"phrase": "10-minute hold", "value": 10}, rows)
    assert not runner.stated_accounted({"phrase": "40,000 seats", "value": 40000}, rows)


def test_a_clock_time_is_read_by_its_phrase_and_a_ratio_by_its_value():
    rows = [{"value": 5.0, "unit": "count", "phrase": "on the phones by 05:30", "meaning": "clock time"},
            {"value": 1.0, "unit": "x", "phrase": "chats are 1:1", "meaning": "multiplier"}]
    assert runner.stated_accounted({"phrase": "by 05:30", "value": "05:30"}, rows)
    assert runner.stated_accounted({"phrase": "are 1:1", "value": "1:1"}, rows)
    assert runner._number("1:4") == 0.25
    assert runner._number("23:59:59") is None
    assert not runner.stated_accounted({"phrase": "by 05:30", "value": "05:30"}, [dict(rows[0], meaning="")])


def test_operation_needs_two_of_its_words():
    ops = ["get_rank_around_me Players around my rank /v1/leaderboard_entries/{id}/around", "create_ride Create a ride /v1/rides"]
    assert runner.covered("get players around my rank", ops)
    assert runner.covered("request ride", ["request_ride Request a ride /v1/rides/request"])
    assert not runner.covered("cancel ride", ops)


def test_words_of_one_family_and_verbs_of_one_meaning_match():
    """'search sailings' is the filtered list; 'SMS notification client' is the notifier."""
    assert runner.covered("search sailings", ["list_sailings List sailings /v1/sailings"])
    assert runner.covered("record temperature reading", ["ingest_readings Ingest readings /v1/readings"])
    assert runner.covered("SMS notification client", ["Notifier (email/SMS) behind a queue queue + worker"])
    assert not runner.covered("cancel ticket", ["list_tickets List tickets /v1/tickets"])


def test_a_plain_count_of_things_compares_with_a_count_of_the_same_thing():
    loans = {"name": "concurrent active loans", "value": 18700, "unit": "loans", "tolerance": 0.15}
    assert runner.figure_produced(loans, [{"name": "active loans at once", "value": 18000, "unit": "count"}])
    assert not runner.figure_produced(loans, [{"name": "idempotency keys held", "value": 18000, "unit": "keys"}])
    assert runner.family("ratio") is None and runner.family("writes/week")[0] == "rate/week"


def _stages():
    spec = importlib.util.spec_from_file_location("miss_stages", _PATH.parent / "miss_stages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _design(rows=(), capacity=(), ops=(), entities=(), invariants=()):
    return {"requirement": {"as_understood": list(rows), "entities": list(entities), "invariants": list(invariants)},
            "capacity": list(capacity), "components": [],
            "openapi": {"paths": {f"/v1/{i}": {"post": {"operationId": o, "summary": ""}} for i, o in enumerate(ops)}}}


def test_a_missed_figure_is_lost_at_the_first_stage_that_fails():
    stages = _stages()
    stated = [{"phrase": "3M rides per day", "value": 3_000_000}]
    fig = {"name": "ride storage per year", "value": 1.1, "unit": "TB", "tolerance": 0.5,
           "derivation": "3M x 365 x 1 KB = 1.1 TB"}
    read = {"value": 3_000_000.0, "unit": "count", "phrase": "3M rides per day", "meaning": "write rate (rides)"}
    assert stages.figure_stage(fig, _design(), stated, runner) == "not_tokenised"
    assert stages.figure_stage(fig, _design([dict(read, meaning="")]), stated, runner) == "not_bound"
    assert stages.figure_stage(fig, _design([read]), stated, runner) == "kind_absent"
    other = {"name": "audit log volume per year", "value": 1.0, "unit": "GB/year"}
    assert stages.figure_stage(fig, _design([read], [other]), stated, runner) == "subject_absent"
    rides = {"name": "rides stored per year", "value": 50.0, "unit": "TB/year"}
    assert stages.figure_stage(fig, _design([read], [rides]), stated, runner) == "other_formula"
    assert stages.figure_stage(fig, _design([read], [dict(rides, value=2.0)]), stated, runner) == "out_of_tolerance"


def test_a_missed_operation_says_whether_its_object_or_its_verb_was_lost():
    stages = _stages()
    assert stages.operation_stage("cancel ride", _design(), [], runner) == "entity_absent"
    ops = ["create_ride Create a ride /v1/rides"]
    assert stages.operation_stage("cancel ride", _design(ops=ops), ops, runner) == "verb_absent"
    ops += ["cancel_offer Cancel an offer /v1/offers"]
    assert stages.operation_stage("cancel ride", _design(ops=ops), ops, runner) == "other_name"


def test_a_missed_component_or_invariant_is_placed():
    stages = _stages()
    assert stages.component_stage("geospatial index", ["Geospatial index Redis GEO"], runner) == "not_derived"
    assert stages.component_stage("translation memory", ["Geospatial index Redis GEO"], runner) == "not_in_catalogue"
    inv = {"text": "a driver is never assigned two rides at once", "mechanisms": ["atomic conditional update"]}
    assert stages.invariant_stage(inv, _design(), runner) == "not_detected"
    found = _design(invariants=[{"kind": "no-double-sell", "phrase": "drivers never get two rides", "mechanism": "lock"}])
    assert stages.invariant_stage(inv, found, runner) == "other_mechanism"

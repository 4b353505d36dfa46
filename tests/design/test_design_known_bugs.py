"""Regressions for bugs seen on unseen requirements: each names the symptom it guards."""
from __future__ import annotations

import json

from servicelens.design.identifiers import entity_names


def _ops(proposal) -> set[str]:
    return {o["operationId"] for m in json.loads(proposal.openapi_json)["paths"].values() for o in m.values()}


def test_sso_named_by_itself_is_not_repeated(design):
    proposal = design("An internal tool for 300 staff to book meeting rooms. Staff log in with SSO. "
                      "About 200 bookings a day.")
    names = [c.name for c in proposal.components]
    assert "SSO login (company identity provider)" in names
    assert not any("SSO SSO" in n for n in names)


def test_an_acronym_keeps_its_s():
    assert entity_names("SMS") == ("sms", "sms")
    assert entity_names("GPS") == ("gps", "gps")
    assert entity_names("parcels") == ("parcel", "parcels")


def test_sms_is_a_thing_not_get_sm(design):
    proposal = design("We send 40,000 SMS per day to drivers; drivers confirm each SMS.")
    ops = _ops(proposal)
    assert "confirm_sms" in ops and not any(op.endswith("_sm") for op in ops)


def test_a_condition_lasting_minutes_is_not_the_retention(design):
    proposal = design("Loggers report a temperature reading every minute from 4,000 boxes. If a box stays above "
                      "8 degrees C for more than 15 minutes the clinic is alerted. Readings are kept for 5 years.")
    assert proposal.requirement.retention.value == 5 * 365 * 86_400


def test_a_stated_total_split_into_reads_and_writes_says_so(design):
    proposal = design("An internal API for our warehouse team handling about 50 requests per second.")
    topics = {a.topic for a in proposal.assumptions}
    assert "stated total rate" in topics


def test_load_shapes_and_adverbs_are_no_entities_or_verbs():
    from servicelens.design.entities import find_actions
    ops = {a.op_id for a in find_actions("Saturday mornings see a spike. Referees then sign up for matches.")}
    assert "see_spike" not in ops and not any(op.startswith("then_") for op in ops)
    assert "sign_up_match_item" in ops  # "match" is a reserved word in some targets


def test_the_head_of_a_compound_names_the_thing_unless_it_is_an_attribute():
    from servicelens.design.entities import find_actions
    ops = {a.op_id for a in find_actions("Each logger sends a temperature reading. Members find a nearby car. "
                                         "Nurses update the bed status.")}
    assert {"send_reading", "find_car", "update_bed"} <= ops


def test_participles_joined_to_a_passive_share_its_subject():
    from servicelens.design.entities import find_actions
    ops = {a.op_id for a in find_actions("Each unit is tested, then either released to stock or discarded.")}
    assert {"test_unit", "release_unit", "discard_unit"} <= ops


def test_a_two_word_subject_before_a_verb():
    from servicelens.design.entities import find_actions
    ops = {a.op_id for a in find_actions("The allocator proposes a bed on a suitable ward and the ward nurse accepts it.")}
    assert {"propose_bed", "accept_bed"} <= ops


def test_people_emailed_get_a_notifier_and_restricted_reads_get_access_control(design):
    proposal = design("Authors submit papers before the deadline and are emailed the decision. Authors never see "
                      "reviewer names. About 8,000 submissions a year.")
    names = {c.name for c in proposal.components}
    assert "Notifier (email) behind a queue" in names  # "are emailed the decision": the channel the text names
    assert "Access control on restricted reads" in names


def test_once_a_minute_with_the_population_in_the_next_clause(design):
    proposal = design("Every insulated box carries a logger that sends a temperature reading once a minute while in "
                      "transit; at any moment roughly 4k boxes are on the road. Readings are kept for 5 years.")
    (rate,) = proposal.requirement.rates
    assert abs(rate.per_second - 4000 / 60) < 0.01 and rate.kind == "write"


def test_twice_an_hour_per_sensor_is_read_once_as_a_per_sensor_rate():
    from servicelens.design.catalog import load_catalog
    from servicelens.design.requirement import parse_requirement
    (rate,) = parse_requirement("Each sensor reports twice an hour.", load_catalog()).rates
    assert rate.per_user and abs(rate.per_second - 2 / 3600) < 1e-9


def test_a_burst_within_the_same_minute_is_a_peak_not_an_average():
    from servicelens.design.catalog import load_catalog
    from servicelens.design.requirement import parse_requirement
    req = parse_requirement("A shop takes about 20,000 orders a day, but up to 3,000 orders can arrive within the "
                            "same minute when a drop goes live.", load_catalog())
    daily, burst = req.rates
    assert not daily.peak and burst.peak and abs(burst.per_second - 50) < 1e-9

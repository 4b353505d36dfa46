"""Entity life cycles read from the text's grammar (design/lifecycle.py) and put into the
design: a checked state column, one conditional-update endpoint per transition, the
cut-off and the expiry a hold needs (design/lifecycle_spec.py)."""
from __future__ import annotations

import json

import pytest

from servicelens.design.lifecycle import conditional_update, lifecycles, participle, rule_sentences, verb_of_participle


@pytest.mark.parametrize("verb,state", [("cancel", "cancelled"), ("confirm", "confirmed"), ("release", "released"),
                                        ("hold", "held"), ("carry", "carried"), ("ship", "shipped"),
                                        ("submit", "submitted"), ("pick_up", "picked_up"), ("withdraw", "withdrawn")])
def test_participles_by_spelling_rules(verb, state):
    assert participle(verb) == state


def test_participle_back_to_its_verb():
    assert verb_of_participle("cancelled") == "cancel"
    assert verb_of_participle("held") == "hold"


def test_states_come_from_verbs_adjectives_and_a_hold():
    text = ("Members reserve a kayak. A kayak is held for 15 minutes while the member pays. Members can cancel "
            "a kayak up to 2 hours before launch. Returned kayaks are marked dirty until staff rinse them.")
    (lc,) = lifecycles(text, ("kayak",), ("reserve_kayak", "cancel_kayak"))
    assert lc.initial == "held" and lc.hold == "15 minutes"
    assert {"held", "cancelled", "expired", "dirty"} <= set(lc.states)
    cancel = lc.transition("cancel")
    assert cancel.target == "cancelled" and "held" in cancel.sources
    assert cancel.cutoff == "2 hours before launch" and cancel.cutoff_column == "launch_at"
    assert lc.transition("expire").by_job


def test_an_insulated_box_is_no_state_but_confirmed_sightings_are():
    assert not lifecycles("Every insulated box carries a logger.", ("box",), ())
    (lc,) = lifecycles("Volunteers log sightings. Experts confirm sightings; confirmed sightings are published.",
                       ("sighting",), ("log_sighting", "confirm_sighting", "publish_sighting"))
    assert lc.initial == "logged" and lc.states[:3] == ("logged", "confirmed", "published")


def test_a_cut_off_without_an_object_belongs_to_the_thing_named_before_not_to_the_actors():
    text = "Coordinators publish shifts. Volunteers sign up, and can withdraw until 12 hours before it starts."
    (lc,) = lifecycles(text, ("shift", "volunteer"), ("publish_shift",))
    t = lc.transition("withdraw")
    assert lc.entity == "shift" and t.cutoff == "12 hours before starts" and t.cutoff_column == "starts_at"


def test_conditional_update_guards_the_source_states_and_the_cut_off():
    text = "Guests book rooms. Guests can cancel a room until 48 hours before arrival."
    (lc,) = lifecycles(text, ("room",), ("book_room", "cancel_room"))
    sql = conditional_update("rooms", lc.transition("cancel"))
    assert sql == ("UPDATE rooms SET status = 'cancelled' WHERE id = $1 AND status IN ('booked') "
                   "AND now() <= arrival_at - interval '48 hours'")


def test_rule_sentences_name_a_state():
    text = "Reviewers approve claims. Only approved claims may be paid. Claims are filed online."
    (lc,) = lifecycles(text, ("claim",), ("approve_claim", "pay_claim", "file_claim"))
    assert rule_sentences(text, lc) == ("Only approved claims may be paid",)


def test_the_design_checks_the_states_and_exposes_each_transition(design):
    proposal = design("A kayak rental desk. Members reserve a kayak online; a kayak is held for 15 minutes while "
                      "the member pays. Members can cancel a kayak up to 2 hours before launch. About 300 rentals a day.")
    assert "check (status in ('held'" in proposal.ddl
    assert "launch_at timestamptz not null" in proposal.ddl
    doc = json.loads(proposal.openapi_json)
    summaries = {o["operationId"]: o["summary"] for m in doc["paths"].values() for o in m.values()}
    assert "AND now() <= launch_at - interval '2 hours'" in summaries["cancel_kayak"]
    kinds = {i.kind: i.mechanism for i in proposal.requirement.invariants}
    assert "deadline check on cancel" in kinds["cutoff"]
    assert "expires_at" in kinds["expiry"]
    assert not [s.name for s in proposal.self_check if s.status == "failed"]


def test_a_cut_off_alone_gives_a_life_cycle_from_a_neutral_start():
    (lc,) = lifecycles("Passengers buy tickets. Passengers can cancel tickets up to 24 hours before departure.",
                       ("ticket",), ("cancel_ticket",))
    assert lc.initial == "active" and lc.states == ("active", "cancelled")
    assert lc.transition("cancel").cutoff == "24 hours before departure"

"""Fourteen requirements in kinds and styles earlier sessions did not use (Gherkin scenarios,
a table of rules, a numbered list of what must never happen, compliance requirements R1..R4,
user stories, a Slack message, a Slack thread, a CFO's e-mail), with the components and
invariant mechanisms a principal engineer expects, written by hand before the tool ran
(tests/design/own_corpus_s14b/dev). Each test pins a general mechanism: an invariant read
from its logical form, or a building block derived from how work and money flow; every one
has a case where it must fire and one where it must not."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

from servicelens.design.catalog import load_catalog
from servicelens.design.characteristics import find_constraints, find_invariants
from servicelens.design.flow_blocks import find_flow_blocks
from servicelens.design.invariant_shapes import cue_shapes, shaped_invariants
from servicelens.design.shape_blocks import find_shape_blocks
from servicelens.design.text import normalise, statement_bounds

CORPUS = Path(__file__).parent / "own_corpus_s14b" / "dev"
DATA = load_catalog().characteristics
SPECS = DATA["invariants"]


def kinds(text: str) -> list[str]:
    return [s.kind for s in cue_shapes(normalise(text), SPECS)]  # read as the pipeline reads it ("shouldn't")


def invariants(text: str):
    text = normalise(text)
    return shaped_invariants(text, find_invariants(text, DATA), DATA)


def blocks(text: str) -> dict[str, str]:
    return dict(find_shape_blocks(text))


# --- rules written in lines without full stops -----------------------------------------

def test_a_table_row_and_a_gherkin_step_are_statements_of_their_own():
    table = "| Numbering | consecutive per shop |\n| Issued receipts | read-only |\n"
    start, end = statement_bounds(table, table.index("read-only"))
    assert table[start:end].strip() == "| Issued receipts | read-only |"
    steps = "Scenario: refunds\n  Given a paid order\n  Then the refund never exceeds the amount paid\n  coupons\n"
    got = [s for s in cue_shapes(steps, SPECS) if s.kind == "capacity-limit"]
    assert got and "coupons" not in got[0].phrase
    prose = "We keep the data\nfor a while and Then some."  # a capital mid-sentence on a wrapped line is prose
    assert statement_bounds(prose, 3) == (0, len(prose) - 1)


# --- invariants from their logical form -------------------------------------------------

@pytest.mark.parametrize("text, kind", [
    # a keeping period stated by its upper bound or by what happens at its end
    ("Guest names shouldn't be kept longer than 14 days.", "retention"),
    ("Recordings older than 90 days are deleted.", "retention"),
    # a lag bounded by a time is a propagation deadline, not a capacity
    ("The dashboard never lags the ledger by more than 2 minutes.", "propagation-deadline"),
    ("Prices in the app must match the catalogue within 10 seconds.", "propagation-deadline"),
    ("Blocked cards stop working on all terminals within 5 seconds.", "propagation-deadline"),
    # a repeated effect on one key
    ("A member is refunded for a given class at most once.", "exactly-once-effect"),
    ("The kiosk must never print two copies of the same receipt.", "exactly-once-effect"),
    # loss in other words
    ("A reading can't just vanish when the gateway restarts.", "at-least-once"),
    ("None of the scans is dropped between the depot and the hub.", "at-least-once"),
    # a number that may not be skipped
    ("| Credit note numbers | per shop; no number may be skipped |", "gapless-sequence"),
    # nobody may edit; kept forever
    ("Once signed, nobody can edit the report.", "immutable"),
    ("The audit of who approved each change is kept forever.", "audit"),
    # who sent it
    ("Each notification must be proven to come from the bank.", "sender-authenticity"),
    ("Forged status callbacks are rejected.", "sender-authenticity"),
    # a disqualifying attribute
    ("A driver with an expired licence must not be dispatched.", "precondition"),
    # a restriction on reads with a long subject, another modal, or a user story
    ("Only the treating doctor and the patient's own GP may view the notes.", "restricted-read"),
    ("Only HR and the employee should be able to see a payslip.", "restricted-read"),
    ("As a landlord, I see only my own tenants' tickets.", "restricted-read"),
    # a cut-off measured ahead of an event
    ("Deposits are refunded only for cancellations 24 hours ahead.", "cutoff"),
    # rules stated without a modal: the form itself is the rule
    ("Scans are seen only by the radiology team.", "restricted-read"),
    ("A tenant's invoices are visible to the tenant and the accountant only.", "restricted-read"),
    ("Each coach only ever sees their own squad's players.", "restricted-read"),
    ("Support says the system double-charges some orders.", "no-double-sell"),
    ("A locker is reserved for 2 hours and released if nobody opens it.", "expiry"),
    ("A team's cloud spend per month is capped by its budget.", "capacity-limit"),
    ("Events of a device are stored in the order the device emitted them.", "per-key-order"),
    ("Every release is reviewed by a second engineer before it ships.", "separation-of-duties"),
    ("An app that loses the connection keeps using the last rules it downloaded.", "degraded-mode"),
    # a minimum gap between two events of one owner
    ("A patient must wait at least 6 months between two scans.", "precondition"),
    # two writers, other wording
    ("Two dispatchers editing one job must not overwrite each other.", "lost-update"),
    ("Every kiosk must show the new price within 30 seconds.", "propagation-deadline"),
])
def test_a_rule_is_read_from_its_logical_form(text, kind):
    assert kind in kinds(text)


@pytest.mark.parametrize("text, kind", [
    ("Guests are kept informed about delays.", "retention"),
    ("A customer never gets more than 500 SMS a month.", "propagation-deadline"),  # a count, not a lag
    ("Members can attend more than one class a week.", "exactly-once-effect"),
    ("Readings are shown as a chart.", "at-least-once"),
    ("Rooms are numbered per floor.", "gapless-sequence"),
    ("Editors can edit drafts.", "immutable"),
    ("History is kept forever.", "immutable"),  # nothing is deleted; edits are not ruled out
    ("Notifications come from the bank.", "sender-authenticity"),  # a description, no rule
    ("Drivers with vans deliver parcels.", "precondition"),
    ("Doctors can view the notes.", "restricted-read"),
    # a message timed before an event is a reminder, not a deadline
    ("As a band, I get a text message 2 hours before my session.", "cutoff"),
    ("Scans are seen by the radiology team.", "restricted-read"),
    ("Double rooms cost more.", "no-double-sell"),
    ("Lockers are released every night.", "expiry"),
    ("The products in the order are shipped together.", "per-key-order"),
    ("Releases are reviewed by the team.", "separation-of-duties"),
    ("Every request must be answered within 200 ms.", "propagation-deadline"),  # a latency, nothing new to spread
])
def test_a_sentence_without_the_rule_does_not_read_as_one(text, kind):
    assert kind not in kinds(text)


def test_at_most_once_per_key_is_an_idempotency_key_over_both():
    got = [i for i in invariants("A seller is paid for a given week at most once, even if the run crashes.")
           if i.kind == "exactly-once-effect"]
    assert got and "(seller, week)" in got[0].mechanism


def test_at_most_once_without_a_key_is_a_one_shot_transition():
    got = [i for i in invariants("A voucher can be redeemed at most once.") if i.kind == "exactly-once-effect"]
    assert got and "status <> 'redeemed'" in got[0].mechanism


def test_a_minimum_gap_names_the_last_event_check():
    got = [i for i in invariants("A donor must wait at least 12 weeks between two donations.") if i.kind == "precondition"]
    assert got and "last donation" in got[0].mechanism and "12 weeks" in got[0].mechanism


def test_a_propagation_deadline_names_its_cache_bound():
    got = [i for i in invariants("Revoked tokens stop working everywhere within 30 seconds.") if i.kind == "propagation-deadline"]
    assert got and "TTL shorter than" in got[0].mechanism


@pytest.mark.parametrize("text, resident", [
    ("Records are stored only in Swiss data centres.", True),
    ("Patient files never leave Norway.", True),
    ("Sessions are stored only in Redis.", False),  # a store, not a place
    ("Parcels never leave the depot unscanned.", False),
])
def test_residency_stated_as_the_only_place_data_lives(text, resident):
    found = {i.kind for i in find_invariants(text, DATA)} | {c.kind for c in find_constraints(text, DATA)}
    assert ("residency" in found) is resident


# --- building blocks from how work and money flow ---------------------------------------

def test_callbacks_from_an_outside_party_get_a_verifying_receiver_and_a_queue():
    assert dict(find_flow_blocks("Labs call our HTTPS endpoint when a result is ready.")).get("callback_receiver") == "lab"
    assert "callback_receiver" in dict(find_flow_blocks("The bank notifies us of each settled transfer."))
    # our own delivery to others is the other direction; users calling our API is no callback
    assert "callback_receiver" not in dict(find_flow_blocks("We deliver webhooks to customer endpoints."))
    assert "callback_receiver" not in dict(find_flow_blocks("Mobile apps call the search API."))


def test_one_action_that_reaches_several_systems_fans_out():
    assert "fan_out" in dict(find_flow_blocks("A price change is propagated to all 12 regional systems."))
    assert "fan_out" not in dict(find_flow_blocks("All systems are monitored."))


def test_money_held_and_moved_gets_a_ledger_of_movements():
    assert dict(find_flow_blocks("Parents top up by card; a child's balance is charged 3 EUR per meal.")).get("money_ledger") == "child"
    assert dict(find_flow_blocks("We pay each courier the money we owe them every Friday.")).get("money_ledger") == "money"
    assert "money_ledger" not in dict(find_flow_blocks("Couriers deliver parcels every Friday."))


def test_calendar_work_on_weekdays_is_scheduled_and_named_by_its_period():
    assert blocks("Every Monday we pay each seller what they earned.").get("scheduled_batch") == "weekly payout"
    assert "scheduled_batch" not in blocks("On Monday the team met.")


def test_a_message_timed_before_an_event_is_a_reminder_and_a_deposit_by_card_a_payment():
    assert "reminders" in blocks("Patients get an SMS 24 hours before the appointment.")
    assert "reminders" not in blocks("Patients get an SMS when the result is ready.")
    assert "payment_provider" in blocks("Renters pay a deposit by card when they book.")
    assert "payment_provider" not in blocks("Renters leave a deposit of keys at the desk.")


# --- the corpus files: what a principal engineer expects, end to end -------------------

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks" / "design"))


def _expected(doc: dict, proposal) -> tuple[list[bool], list[bool]]:
    from run_design_corpus import covered
    comps = [f"{c.name} {c.technology}" for c in proposal.components]
    mechs = [f"{i.mechanism} {i.enforced_in}" for i in proposal.requirement.invariants]
    got_c = [covered(str(c["name"]), comps) for c in doc.get("components") or []]
    got_i = [any(covered(str(m), mechs, need_half=True) for m in inv["mechanisms"]) for inv in doc.get("invariants") or []]
    return got_c, got_i


def test_the_corpus_stays_at_the_measured_level(design):
    comp_hits = comp_total = inv_hits = inv_total = 0
    # the two holdouts were measured once each, then developed on (README.md): all three are pinned
    for path in sorted(p for d in ("dev", "holdout", "holdout2") for p in (CORPUS.parent / d).glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        proposal = design(doc["text"])
        assert not [c.name for c in proposal.self_check if c.status == "failed"], path.stem
        got_c, got_i = _expected(doc, proposal)
        comp_hits, comp_total = comp_hits + sum(got_c), comp_total + len(got_c)
        inv_hits, inv_total = inv_hits + sum(got_i), inv_total + len(got_i)
    # session 14 start (main at 6b125f6): components 42/82, invariants 45/77; after: 67/82, 76/77
    assert comp_hits >= 66, f"components {comp_hits}/{comp_total}"
    assert inv_hits >= 75, f"invariants {inv_hits}/{inv_total}"


def test_an_enforcing_component_is_named_after_what_it_guards():
    from servicelens.design.characteristics import enforcing_components
    named = [c.name for c in enforcing_components(invariants("A slot can take at most 10 orders."), (), DATA)]
    assert "Slot capacity counter with conditional updates" in named
    plain = [c.name for c in enforcing_components(invariants("Nothing may exceed the limit."), (), DATA)]
    assert "Counter rows with conditional updates" in plain  # no subject: the general name


def test_a_failure_someone_must_hear_about_gets_alerting():
    from servicelens.design.characteristics import named_workloads
    assert "failure_alerting" in dict(named_workloads("Alert the owner by Slack when a job fails.", DATA))
    assert "failure_alerting" not in dict(named_workloads("Jobs run every night.", DATA))

"""Invariants implied by what the system does with its records (effect_shapes), and rules a
clause states by its words alone (a unique attribute, an order, a cut-off, a final state,
a precondition, separation of duties): each clause is its own invariant, even when another
clause already gave one of the same kind. Texts written for these tests."""
from __future__ import annotations

import json

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.invariant_shapes import cue_shapes, find_shapes, shaped_invariants

DATA = load_catalog().characteristics
SPECS = DATA["invariants"]


def shape_kinds(text: str) -> dict[str, str]:
    return {s.kind: s.mechanism for s in find_shapes(text) if s.mechanism}


@pytest.mark.parametrize("text, kind, words", [
    ("Signed invoices are exported to Xero every night.", "exactly-once-effect", ["export", "unique constraint", "invoice"]),
    ("A page-view aggregator for our publishers.", "exactly-once-effect", ["dedup by page-view id", "aggregation"]),
    ("Seats are reserved when the basket is opened.", "capacity-limit", ["conditional decrement", "expires_at"]),
    ("Opt-outs must be honoured immediately.", "strong-read", ["immediately before each action", "opt-out"]),
    ("A 5M newsletter must finish within 2 hours.", "batch-deadline", ["parallel workers", "rate limiter"]),
])
def test_an_effect_implies_its_invariant(text, kind, words):
    mech = shape_kinds(text).get(kind, "")
    assert mech and all(w in mech for w in words), (kind, mech)


@pytest.mark.parametrize("text", [
    "Invoices list the items a customer bought.",
    "The newsletter goes out on Mondays.",
    "Each request must complete within 200 ms.",  # a latency target, not a batch deadline
])
def test_a_plain_description_implies_no_effect(text):
    assert not {"exactly-once-effect", "batch-deadline", "strong-read"} & set(shape_kinds(text))


@pytest.mark.parametrize("text, kind", [
    ("Every locker has a unique door code.", "uniqueness"),
    ("Parcels on one belt are scanned in the order they arrive.", "per-key-order"),
    ("Sign-up closes 3 days before the race.", "cutoff"),
    ("Marks are final once published.", "immutable"),
    ("A drone must not take off before its pre-flight check passed.", "precondition"),
    ("A judge must never score their own entry.", "separation-of-duties"),
])
def test_a_clause_states_its_rule_by_its_words(text, kind):
    assert [s.kind for s in cue_shapes(text, SPECS)] == [kind]


def test_the_unique_attribute_and_its_owner_are_named():
    inv = shaped_invariants("Every locker has a unique door code.", (), DATA)
    assert any("unique constraint on the door code of each locker" in i.mechanism for i in inv)


def test_the_cut_off_names_its_period():
    inv = shaped_invariants("Sign-up closes 3 days before the race.", (), DATA)
    assert any(i.kind == "cutoff" and "interval '3 days'" in i.mechanism for i in inv)


def test_two_rules_of_one_kind_on_two_things_are_two_invariants():
    text = ("Each boat holds at most 8 rowers. Nobody may book more than two sessions a week. "
            "A coach must never supervise two crews at once.")
    got = [i for i in shaped_invariants(text, (), DATA) if i.kind == "capacity-limit"]
    assert len(got) == 2, [i.phrase for i in got]


def test_one_clause_is_one_invariant():
    text = "Every locker has a unique door code."
    got = [i for i in shaped_invariants(text, (), DATA) if i.kind == "uniqueness"]
    assert len(got) == 1


@pytest.mark.parametrize("text, kind, words", [
    ("Lessons for one studio must never overlap.", "no-double-sell", ["EXCLUDE USING gist", "studio"]),
    ("A tour needs at least 4 guests.", "capacity-limit", ["minimum", ">= 4"]),
    ("The sum of the splits must equal the bill.", "totals-match", ["same transaction before commit"]),
    ("A refund must be approved by two different clerks.", "separation-of-duties", ["separation of duties"]),
    ("The order of moves within a game must be preserved.", "per-key-order", ["sequence number"]),
])
def test_a_rule_shape_gets_its_mechanism(text, kind, words):
    inv = [i for i in shaped_invariants(text, (), DATA) if i.kind == kind]
    assert inv and all(w in inv[0].mechanism for w in words), inv


def test_once_per_key_is_a_unique_pair():
    mech = shape_kinds("Members rate each film once per season.").get("uniqueness", "") or \
        shape_kinds("Members vote once per poll.").get("uniqueness", "")
    assert "unique constraint on (member id, poll id)" in mech


def test_a_schedule_once_per_period_is_not_a_rule():
    assert "uniqueness" not in shape_kinds("Devices sync once per hour.")


def test_a_new_subject_after_a_comma_is_its_own_clause():
    text = "Lessons for one studio must never overlap, a tour needs at least 4 guests."
    assert [s.kind for s in cue_shapes(text, SPECS)] == ["no-double-sell", "capacity-limit"]


def test_a_precondition_brings_no_approval_workflow(design):
    proposal = design("Dog grooming booking for 20 salons and 15k owners. A dog must not be groomed before its "
                      "vaccination record is checked.")
    kinds = {i.kind for i in proposal.requirement.invariants}
    paths = set(json.loads(proposal.openapi_json).get("paths", {}))
    assert "precondition" in kinds
    assert not any(p.endswith("/approve") for p in paths)


# A run due by a time of day, said with or without a modal: texts written for these tests.
@pytest.mark.parametrize("text, what", [
    ("Every invoice run is published by 07:15 on the first working day.", "run"),
    ("Payroll files need to be on the branch tablets by 6am.", "file"),
    ("All settlement reports ready by 09:30 UTC.", "report"),
    ("The export reaches the clearing house before the 16:00 cut-off.", "export"),
    ("The nightly rebuild finishes inside the maintenance window.", "rebuild"),
])
def test_a_run_due_by_a_clock_time_is_a_batch_deadline(text, what):
    mech = shape_kinds(text).get("batch-deadline", "")
    assert mech.startswith(f"deadline for the {what}s"), mech
    assert all(w in mech for w in ("started early enough", "parallel workers", "checkpoint and resume", "behind schedule"))


@pytest.mark.parametrize("text", [
    "Orders placed by 14:00 ship the same day.",  # a customer's cut-off, no run of ours
    "Refunds are approved by the finance team.",  # "by" an agent
    "The depot opens by 9am.",
    "Reports are available by region.",
])
def test_by_without_a_finished_run_due_at_a_clock_time_is_no_batch_deadline(text):
    assert "batch-deadline" not in shape_kinds(text)


# A copy for finding things that must catch up within a time: texts written for these tests.
@pytest.mark.parametrize("text, duration", [
    ("New recipes must be searchable within 30 seconds of saving.", "30 seconds"),
    ("Authors want their edits findable within a minute.", "a minute"),
    ("Ledger changes queryable in the reporting store within 10 minutes.", "10 minutes"),
    ("A recalled product has to disappear from search within 5 minutes.", "5 minutes"),
])
def test_a_search_copy_due_within_a_time_is_a_propagation_deadline(text, duration):
    invs = [i for i in shaped_invariants(text, (), DATA) if i.kind == "propagation-deadline"]
    assert invs, text
    assert all(w in invs[0].mechanism for w in ("change data capture", "search index", "refresh interval",
                                                f"lag alerting against the {duration} target"))


@pytest.mark.parametrize("text", [
    "Search results are ranked by relevance.",
    "Products are indexed by SKU.",
    "Listings disappear from search when sold.",  # no time bound
])
def test_search_words_without_a_time_bound_are_no_propagation_deadline(text):
    assert "propagation-deadline" not in {i.kind for i in shaped_invariants(text, (), DATA)}


# An order named by what sets it, or a key said before the order: texts written for these tests.
@pytest.mark.parametrize("text, key", [
    ("Meter readings are stored in arrival order per meter.", "meter"),
    ("Bids for each lot are processed in the order they came in.", "lot"),
    ("Ledger updates are applied in commit order for every account.", "account"),
])
def test_an_order_per_key_names_the_key_partition_and_version(text, key):
    invs = [i for i in shaped_invariants(text, (), DATA) if i.kind == "per-key-order"]
    assert invs and invs[0].mechanism.startswith(f"partition by {key} id"), invs
    assert "monotonically increasing version" in invs[0].mechanism


@pytest.mark.parametrize("text", [
    "Names are listed in alphabetical order for each team.",
    "Items may arrive in any order from each supplier.",
    "Orders are placed in order to reserve stock per store.",
])
def test_an_order_that_keeps_no_sequence_is_no_per_key_order(text):
    assert not any(i.mechanism.startswith("partition by") for i in shaped_invariants(text, (), DATA)
                   if i.kind == "per-key-order")

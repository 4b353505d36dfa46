"""Blocks named by what the text handles, on requirements of kinds outside the corpus's
development half: a veterinary clinic, a dog-walking marketplace, a grain co-operative, a
student canteen, a community garden. Each asserts the block and its contract operation."""
from __future__ import annotations

import json

import pytest

from servicelens.design.shape_blocks import block, find_shape_blocks


def _ops(proposal) -> set[str]:
    doc = json.loads(proposal.openapi_json)
    return {o["operationId"] for methods in doc["paths"].values() for o in methods.values()}


def test_files_a_system_keeps_go_to_object_storage_with_an_upload(design):
    proposal = design("Veterinary clinic records for 12 vets: owners upload x-ray images before a visit; 300 visits a week.")
    assert ("object_storage", "x-ray images") in proposal.requirement.workloads
    assert any(c.name == "Object storage for x-ray images" for c in proposal.components)
    assert "upload_x_ray_images" in _ops(proposal)


def test_a_payment_provider_named_in_the_text_gets_webhooks_and_reconciliation(design):
    proposal = design("Dog-walking marketplace: 5,000 walkers, owners pay through Paymongo after each walk.")
    names = {c.name for c in proposal.components}
    assert {"Paymongo payment integration with webhook handler", "Reconciliation job against Paymongo"} <= names
    assert {"pay_with_paymongo", "handle_paymongo_webhook"} <= _ops(proposal)


def test_records_pushed_by_outside_senders_are_ingested_idempotently(design):
    proposal = design("Grain co-operative: 1,400 farms; weighbridges send their tickets to us every evening, 9,000 "
                      "tickets in harvest week.")
    comp = next(c for c in proposal.components if c.name.startswith("Idempotent ticket ingestion"))
    assert "(weighbridge id, ticket id)" in comp.role
    assert "submit_tickets" in _ops(proposal)


def test_a_balance_that_must_not_go_negative_gets_a_ledger(design):
    proposal = design("Student canteen cards for 8,000 students; a card's credit can't go below zero when two tills "
                      "charge it at once.")
    assert any(c.name == "Append-only credit ledger with balance projection" for c in proposal.components)


def test_reminders_get_a_scheduled_job(design):
    proposal = design("Community garden plots for 150 members: plots are rented per season and members get reminded "
                      "by email when a plot is left unwatered.")
    assert any(c.name == "Scheduled reminder job" for c in proposal.components)


def test_no_shape_no_block():
    assert find_shape_blocks("A dashboard listing last week's sales per region for 40 analysts.") == ()


def test_an_unknown_block_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown block 'teleporter'"):
        block("teleporter", "x")


def test_a_passive_sentence_names_the_thing_and_what_happens_to_it(catalog):
    from servicelens.design.requirement import parse_requirement
    req = parse_requirement("Community garden plots for 150 members: plots are rented per season.", catalog)
    assert "plot" in req.entities and "rent_plot" in req.actions


@pytest.mark.parametrize("text, pair", [
    ("Public auditors can search any serial number in the registry.", ("search_over", "serial number")),
    ("Borrowers look up their loan history online.", ("search_over", "loan history")),
    ("Payroll admins run the payroll on the 25th of each month.", ("scheduled_batch", "monthly payroll")),
    ("Hosts see listening statistics per episode, updated hourly.", ("scheduled_batch", "statistics aggregation")),
    # the period word qualifies the deliverable itself, whatever the sentence's verb
    ("The clinic wants bookings, reminders and a nightly export for the health board.", ("scheduled_batch", "nightly export")),
    ("Landlords receive monthly statements of the rent collected.", ("scheduled_batch", "monthly statement")),
    ("Visits sync with Salesforce every evening.", ("outbound_client", "Salesforce")),
    ("Frames must be processed in the order received for each satellite.", ("ordered_log", "satellite")),
    ("We serve RSS feeds that podcast apps poll every 15 minutes.", ("polled_cache", "feeds")),
])
def test_operation_and_workload_shapes_call_for_their_block(text, pair):
    assert pair in find_shape_blocks(text)


@pytest.mark.parametrize("text", [
    "Login with Google Workspace SSO.",  # an identity provider is a constraint, not an outbound client
    "Each player can submit up to 50 runs a week.",  # a count per period is no calendar job
    "Our weekly standup reviews the open incidents.",  # a period qualifying no deliverable
])
def test_look_alikes_call_for_no_block(text):
    assert not [k for k, _ in find_shape_blocks(text) if k in ("outbound_client", "scheduled_batch")]


def test_the_new_blocks_rebuild_from_their_pair_with_a_reason_and_a_search_operation():
    searched = block("search_over", "serial number")
    assert searched.components[0].name == "Search index over serial number" and searched.why
    assert searched.operations[0][1] == "GET" and searched.operations[0][2].endswith("/search")
    for kind in ("scheduled_batch", "outbound_client", "ordered_log", "polled_cache"):
        made = block(kind, "things")
        assert made.components and made.why and "things" in made.components[0].name


def test_a_design_with_an_ordered_key_names_the_partitioned_log(design):
    proposal = design("Ground segment for 48 satellites; frames must be processed in the order received for each satellite.")
    assert "Log partitioned by satellite" in {c.name for c in proposal.components}


@pytest.mark.parametrize("text, batch", [
    ("Every night after the books close we compute each account's interest for the day.", "nightly interest over all accounts"),
    ("On the 1st we generate every tenant's invoice from the month's usage.", "monthly invoice over all tenants"),
    ("Every Sunday the service recalculates each store's forecast.", "weekly forecast over all stores"),
])
def test_work_for_each_of_many_things_is_one_batch_over_them(text, batch):
    assert ("scheduled_batch", batch) in find_shape_blocks(text)


@pytest.mark.parametrize("text, batch", [
    ("Every Monday we pay each seller what they earned.", "weekly payout"),  # paying each one is a payout run
    ("Admins run the payroll on the 25th of each month.", "monthly payroll"),  # no possessive: the object is the batch
])
def test_a_batch_not_said_per_thing_keeps_its_object(text, batch):
    assert ("scheduled_batch", batch) in find_shape_blocks(text)


def test_a_batch_over_many_things_is_one_chunked_run_never_a_job_per_thing():
    made = block("scheduled_batch", "nightly interest over all accounts")
    comp = made.components[0]
    assert comp.name == "Scheduled nightly interest batch over all accounts, in checkpointed chunks"
    assert "one run per period walks every account" in comp.role and "(account, period)" in comp.role
    assert "per account" in made.why and "job" not in comp.name.lower()

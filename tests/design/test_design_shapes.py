"""Invariants read from the shape of a sentence, on requirements of kinds the corpus's
development half does not hold (a gym, a tool library, parking permits, pharmacies, a lab,
a coding contest, a wallet, parcel couriers). Each asserts the mechanism, not the prose."""
from __future__ import annotations

import pytest

from servicelens.design.invariant_shapes import find_shapes, retry_window
from servicelens.design.requirement import parse_requirement


def _inv(req, kind: str):
    return next(i for i in req.invariants if i.kind == kind)


def test_a_holder_with_a_maximum_is_a_capacity_limit_on_that_holder(catalog):
    req = parse_requirement("Gym class booking for 30 studios: members book classes in the app, and a class holds at most "
                            "25 members. About 4,000 bookings a day.", catalog)
    inv = _inv(req, "capacity-limit")
    assert "class" in inv.mechanism and "at most 25 members per class" in inv.mechanism
    assert "WHERE count < capacity" in inv.mechanism


def test_a_count_per_holder_is_a_limit_whatever_the_words(catalog):
    shapes = find_shapes("Tool library: a member may have up to 3 active rentals per member card; 2,000 tools.")
    limit = next(s for s in shapes if s.kind == "capacity-limit")
    assert (limit.subject, limit.counted, limit.limit) == ("member", "rentals", "3")


def test_a_stated_lifetime_needs_expiry_in_the_schema(design):
    proposal = design("Residents apply for parking permits online; permits last 30 days and the city has 80,000 "
                      "residents. Wardens check a permit by plate.")
    inv = _inv(proposal.requirement, "expiry")
    assert "permit" in inv.mechanism and "30 days" in inv.mechanism
    assert "expires_at timestamptz not null" in proposal.ddl


def test_records_an_outside_sender_pushes_are_applied_once(catalog):
    req = parse_requirement("Pharmacies push dispensing records to us every hour; 9,000 pharmacies, 3M records a day.",
                            catalog)
    inv = _inv(req, "exactly-once-effect")
    assert "(pharmacy id, record id)" in inv.mechanism and "unique constraint" in inv.mechanism


def test_retention_is_a_lock_only_when_it_is_a_duty(catalog):
    duty = parse_requirement("Lab results must be retained for 25 years by law; 400 labs send 2M results a month.", catalog)
    assert "25 years" in _inv(duty, "retention-lock").mechanism
    plain = find_shapes("A photo sharing app: photos are kept for 2 years, 1M uploads a day.")
    assert not any(s.kind == "retention-lock" for s in plain)


def test_tie_breaking_gets_a_composite_sort_key(catalog):
    req = parse_requirement("Coding contest scoreboard for 50k contestants; ties are broken by the earliest submission.",
                            catalog)
    assert "composite sort key" in _inv(req, "tie-break").mechanism


def test_a_rule_wrapped_over_two_lines_is_still_read(catalog):
    req = parse_requirement("Campus wallet for 20k students. A wallet balance must never\ngo negative, even when two "
                            "cafeteria tills charge it in the same second.", catalog)
    inv = _inv(req, "capacity-limit")
    assert "balance" in inv.mechanism and "never" in inv.phrase and "negative" in inv.phrase


def test_assigning_one_thing_to_one_worker_is_never_twice(catalog):
    req = parse_requirement("Courier app for 600 couriers: dispatchers assign each parcel to a courier, 20k parcels "
                            "a day.", catalog)
    assert "parcel" in _inv(req, "no-double-sell").mechanism


def test_a_retry_window_becomes_the_delivery_deadline(catalog):
    assert retry_window("Retry on non-2xx for 36 hours, then give up.") == "36 hours"
    req = parse_requirement("Partner notifications: 40k partners, 5M events a day; an event must never be lost, retry "
                            "failed calls for up to 48h.", catalog)
    assert "48h retry deadline" in _inv(req, "at-least-once").mechanism


def test_nothing_is_read_into_a_text_without_these_shapes(catalog):
    assert find_shapes("A dashboard that lists last week's sales per region for 40 analysts.") == ()


def test_names_inflect_as_english_does():
    from servicelens.design.identifiers import entity_names
    assert entity_names("categories") == ("category", "categories")
    assert entity_names("bakery") == ("bakery", "bakeries")
    assert entity_names("branches") == ("branch", "branches")
    assert entity_names("skus") == ("sku", "skus")
    assert entity_names("status") == ("status", "statuses")


def test_coordinated_verbs_share_their_object():
    from servicelens.design.entities import find_actions
    assert [a.op_id for a in find_actions("Supervisors approve or reject requests.")] == ["approve_request", "reject_request"]
    assert [a.op_id for a in find_actions("Editors publish/archive articles daily")] == ["publish_article", "archive_article"]


def test_participles_prepositions_and_adjectives_are_not_things_kept(catalog):
    req = parse_requirement("Vaccination booking for 3 clinics: appointments expire after 15 minutes unpaid, staff see "
                            "personalised lists online and patients get reminded by SMS.", catalog)
    assert not {"after", "personalised", "online", "reminded"} & set(req.entities)
    assert "appointment" in req.entities


def test_a_kind_of_request_people_file_is_a_thing_kept(catalog):
    req = parse_requirement("Facilities app for 900 staff: room-change requests, approved by the site manager.", catalog)
    assert "room_change_request" in req.entities
    assert "room_change_request" not in parse_requirement("An API serving 500 read requests per second.", catalog).entities


@pytest.mark.parametrize("text, kind, subject", [
    ("A compartment can hold one parcel at a time, never two.", "no-double-sell", "compartment"),
    ("A player can be in only one match at a time.", "no-double-sell", "player"),
    ("A car must never be booked by two members at once.", "no-double-sell", "car"),
    ("Uncollected parcels are returned to the depot after 72 hours.", "expiry", "parcel"),
    ("Gift tokens are printed on card, valid for 6 months.", "expiry", "token"),
    ("A retired credit can never be transferred or retired again.", "state-machine", "credit"),
    ("Frames must be processed in the order received for each satellite.", "per-key-order", "satellite"),
    ("Players can invite friends to a party of up to 5.", "capacity-limit", "party"),
    ("Every transfer must be traceable forever.", "immutable", "transfer"),
    ("Reports are confidential to the programme's company.", "tenant-isolation", "company"),
])
def test_rules_in_other_grammatical_forms_are_found_with_their_subject(text, kind, subject):
    assert (kind, subject) in {(s.kind, s.subject) for s in find_shapes(text)}


def test_a_time_limited_hold_is_an_expiry_with_its_period():
    shapes = [s for s in find_shapes("Members book a car for up to 20 minutes.") if s.kind == "expiry"]
    assert shapes and shapes[0].duration == "20 minutes" and shapes[0].subject == "car"


def test_never_twice_is_one_effect_per_natural_key():
    assert "exactly-once-effect" in {s.kind for s in find_shapes("A run must never pay an employee twice for the same period.")}


@pytest.mark.parametrize("text", ["We process events in order to bill customers.", "Loans are reviewed by staff.",
                                  "Passes are laminated, valid for the holder only."])
def test_look_alikes_are_not_rules(text):
    kinds = {s.kind for s in find_shapes(text)}
    assert not kinds & {"per-key-order", "expiry", "no-double-sell"}

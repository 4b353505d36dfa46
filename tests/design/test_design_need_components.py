"""Components follow from what the text needs, not from what the system is called: an outside
interface gets a guarded client, a visibility deadline for thousands of connected clients a
push tier, and one shared word does not bring a catalogued domain's tables along."""
from __future__ import annotations

from servicelens.design.shape_blocks import _outside_apis


def test_an_interface_someone_else_owns_is_an_outside_api():
    assert _outside_apis("we poll the insurer's claims API nightly") == ["insurer's claims API"]
    assert _outside_apis("each order calls a third-party tax service") == ["third-party tax service"]
    assert _outside_apis("mobile clients call our API") == []


def test_an_outside_api_gets_a_client_with_timeouts_retries_and_a_circuit_breaker(design):
    names = [c.name for c in design("Claims desk for 200 adjusters: for each claim we call the insurer's policy API "
                                    "to check cover. About 3,000 claims a day.").components]
    assert any("circuit breaker" in n for n in names)


def test_a_visibility_deadline_for_many_connected_clients_gets_a_push_tier(design):
    names = {c.name for c in design("A quiz show app with 50,000 concurrent players: every question must appear "
                                    "on all players' phones within a second.").components}
    assert "Connection gateway" in names


def test_the_same_deadline_for_a_handful_of_clients_gets_no_push_tier(design):
    names = {c.name for c in design("A wallboard for 12 support agents: a new ticket must appear on the board within "
                                    "a minute.").components}
    assert "Connection gateway" not in names


def test_one_shared_word_does_not_bring_a_catalogued_domain(design):
    p = design("Our 60-person office needs a meeting-room booking tool. Staff book rooms for a time slot and cancel "
               "bookings. A room must never be booked twice for overlapping slots.")
    assert p.requirement.domains[0] == "system"
    assert "orders" not in p.requirement.domains


def test_a_double_booking_rule_is_one_exclusive_hold_not_also_a_replayed_effect(design):
    p = design("Our 60-person office needs a room booking tool. A room must never be booked twice for overlapping slots.")
    kinds = [i.kind for i in p.requirement.invariants]
    assert "no-double-sell" in kinds and "exactly-once-effect" not in kinds

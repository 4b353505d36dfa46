"""Operations derived from what the entities are, each marked as derived with its reason:
a booked or requested thing can be cancelled, an approved thing has an approver's queue,
records handed to an outside system have an export call. Texts written for these tests."""
from __future__ import annotations

from servicelens.design.derived_ops import derived_operations


def _table(plural: str, check: str = "") -> dict:
    cols = ["id uuid primary key", "status varchar(32) not null default 'active'"] + ([check] if check else [])
    return {"name": plural, "columns": cols, "indexes": []}


def ids(ops):
    return [o["id"] for o in ops]


def test_a_booked_thing_can_be_cancelled_and_says_it_was_derived():
    tables = {"court": _table("courts")}
    got = derived_operations(("court",), ("book_court",), "Members book courts.", tables, [])
    assert ids(got) == ["cancel_court"]
    assert got[0]["summary"].startswith("Cancel a booked court (derived:")


def test_a_noun_that_names_a_request_can_be_cancelled():
    tables = {"leave_request": _table("leave_requests")}
    assert ids(derived_operations(("leave_request",), (), "Staff file leave requests.", tables, [])) == ["cancel_leave_request"]


def test_no_cancel_when_the_states_exclude_it_or_it_exists():
    tables = {"booking": _table("bookings", "check (status in ('held', 'paid'))")}
    assert derived_operations(("booking",), (), "", tables, []) == []
    tables = {"booking": _table("bookings")}
    existing = [{"id": "cancel_booking", "method": "POST", "path": "/v1/bookings/{id}/cancel"}]
    assert derived_operations(("booking",), (), "", tables, existing) == []


def test_a_thing_nobody_requests_gets_no_cancel():
    tables = {"sensor": _table("sensors")}
    assert derived_operations(("sensor",), ("install_sensor",), "Technicians install sensors.", tables, []) == []


def test_an_approved_thing_has_a_pending_queue_with_its_index():
    tables = {"claim_form": _table("claim_forms")}
    got = derived_operations(("claim_form",), (), "", tables, [{"id": "approve_claim_form", "method": "POST",
                                                                "path": "/v1/claim_forms/{id}/approve"}])
    assert "list_pending_claim_forms" in ids(got)
    assert ["status", "created_at"] in tables["claim_form"]["indexes"]


def test_records_handed_to_an_outside_system_get_an_export_call():
    tables = {"timesheet": _table("timesheets")}
    got = derived_operations(("timesheet",), (), "Approved timesheets are exported to Workday nightly.", tables, [])
    assert ids(got) == ["export_timesheets"] and "Workday" in got[0]["summary"]

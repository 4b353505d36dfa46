"""Acts the text says are not wanted get no operation; acts only bounded by a rule keep theirs.
Texts written for these tests."""
from __future__ import annotations

import json

from servicelens.design.negated_acts import negated_acts, without_negated


def _ids(proposal):
    doc = json.loads(proposal.openapi_json)
    return {op.get("operationId") for methods in doc["paths"].values() for op in methods.values() if isinstance(op, dict)}


def test_what_the_text_does_not_need_is_read():
    assert ("export", "booking") in negated_acts("We do not need to export bookings to the accounting system.")
    assert ("refund", "booking") in negated_acts("No need to refund bookings in v1.")
    assert ("rate", "court") in negated_acts("Members book courts, but they don't need to rate courts.")
    assert ("export", "booking") in negated_acts("Exporting bookings is out of scope.")


def test_an_immutable_thing_has_no_edit():
    got = negated_acts("An approved expense can't be edited afterwards.")
    assert {("edit", "expense"), ("update", "expense")} <= got


def test_a_bounded_act_is_a_rule_not_a_missing_operation():
    """Look-alikes: the act stays, with a rule on it."""
    assert negated_acts("A seat can never be sold twice.") == frozenset()
    assert negated_acts("Bookings can't be cancelled within 24 hours of the start.") == frozenset()
    assert negated_acts("Entries cannot be edited after approval.") == frozenset()
    assert negated_acts("Members book courts and export bookings monthly.") == frozenset()


def test_without_negated_drops_only_the_named_act():
    ops = [{"id": "export_booking"}, {"id": "book_court"}, {"id": "export_invoice"}]
    assert [o["id"] for o in without_negated(ops, "We don't need to export bookings.")] == ["book_court", "export_invoice"]


def test_the_contract_leaves_out_what_the_text_does_not_want(design):
    text = ("Design a court booking service for our tennis club. Members book courts online and pay by card; "
            "about 600 members. We don't need to export bookings to the accounting system.")
    ids = _ids(design(text))
    assert "export_booking" not in ids and not any(i.startswith("export_") for i in ids)


def test_an_immutable_record_gets_no_edit_in_the_contract(design):
    ids = _ids(design("Expense approval workflow. Employees submit expenses with receipt photos, the manager approves, "
                      "and approved expenses are exported to SAP. An approved expense can't be edited afterwards."))
    assert "submit_expense" in ids
    assert "edit_expense" not in ids and "update_expense" not in ids


def test_a_building_blocks_operation_goes_with_its_verb():
    ops = [{"id": "export_courts"}, {"id": "book_court"}]
    assert [o["id"] for o in without_negated(ops, "We don't need to export bookings.", any_object=True)] == ["book_court"]
    assert [o["id"] for o in without_negated(ops, "We don't need to export bookings.")] == ["export_courts", "book_court"]

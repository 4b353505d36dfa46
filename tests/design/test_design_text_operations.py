"""Operations come from what the text says is done to its things: a creation verb names
the collection's POST, a thing with its own verbs gets no generic update/delete unless the
text edits or deletes it, and a thing a caller defines keeps them."""
from __future__ import annotations


def _ops(proposal) -> dict[str, tuple[str, str]]:
    import json
    doc = json.loads(proposal.openapi_json)
    return {o["operationId"]: (m.upper(), p) for p, ms in doc["paths"].items() for m, o in ms.items() if isinstance(o, dict)}


def test_a_creation_verb_names_the_collection_post(design):
    ops = _ops(design("Allotment society for 900 gardeners: gardeners report complaints about plots, "
                      "and the committee resolves complaints within two weeks."))
    assert ops.get("report_complaint") == ("POST", "/v1/complaints")
    assert "create_complaint" not in ops


def test_a_thing_with_its_own_verbs_gets_no_unsaid_delete(design):
    ops = _ops(design("Sellers list lots and bidders place bids on lots; a seller accepts the best bid. "
                      "About 30,000 bids a day."))
    assert "accept_bid" in ops and "delete_bid" not in ops and "update_bid" not in ops


def test_the_text_asking_to_edit_keeps_the_update(design):
    ops = _ops(design("Clinics for 3,000 patients: nurses record doses, and a nurse can edit a dose within an hour. "
                      "About 500 doses a day."))
    assert "update_dose" in ops and "delete_dose" not in ops


def test_a_thing_a_caller_defines_keeps_update_and_delete(design):
    ops = _ops(design("An on-call tool for 300 engineers: teams define alert rules for their services and pause rules in maintenance. "
                      "About 2,000 rules."))
    assert {"update_rule", "delete_rule"} <= set(ops)

"""Guard rules read from sentence shapes (design/guard_shapes.py), in words unlike the texts
that prompted them: a bounded counter, a counter that may not run out, two takers of one
thing over overlapping time, one holder at a time, an audit trail, something that must
expire, a replay, and a cut-off before an event."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement


def _invariants(text: str) -> dict[str, str]:
    req = parse_requirement(text, load_catalog())
    return {i.kind: i.mechanism for i in req.invariants}


@pytest.mark.parametrize("text, kind, word", [
    ("Climbing gym sessions: a pass is never issued beyond a session's capacity.", "capacity-limit", "session"),
    ("Each voucher book holds ten coupons and a coupon is never redeemed when none remain.", "capacity-limit", "coupon"),
    ("No kayak may be rented by two guests for overlapping hours.", "no-double-sell", "exclusion constraint"),
    ("A tractor cannot be lent to two growers on the same date.", "no-double-sell", "exclusion constraint"),
    ("A patient file is checked out to exactly one clinician at any time.", "no-double-sell", "clinician_id"),
    ("Every override of a dosage is recorded for the inspectors.", "audit", "audit table"),
    ("Reserved books go back to the shelf after 3 days if nobody collects them.", "expiry", "expires_at"),
    ("A table hold not confirmed by noon is cancelled automatically.", "expiry", "expires_at"),
    ("Card terminals sometimes replay the same payment after a timeout.", "exactly-once-effect", "payment"),
    ("Attendees can swap a workshop seat up to 24 hours before the start.", "cutoff", "start_at - interval '24 hours'"),
])
def test_a_guard_shape_names_its_mechanism(text, kind, word):
    found = _invariants(text)
    assert kind in found, found
    assert word in found[kind]


def test_an_ordinary_sentence_names_no_guard():
    found = _invariants("Editors write articles and readers comment on them; about 2,000 comments a day.")
    assert not {"capacity-limit", "no-double-sell", "audit", "cutoff"} & set(found)

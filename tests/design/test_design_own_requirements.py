"""Ten requirements of kinds the corpus's development half does not hold, written for this
test in words of their own: none is refused, every self-check passes, and each gets the
mechanism its shape calls for (asserted by kind and component, not by prose)."""
from __future__ import annotations

import pytest

OWN = {
 "gym-classes": "Gym class booking for 30 studios: members book classes in the app, and a class holds at most 25 members. About 4,000 bookings a day, peak 10x at 7am. Pay via Mollie.",
 "tool-library": "Tool library for 2,000 members: a member may have up to 3 active rentals per member; tools are rented for 7 days and members get reminded by email when a rental is overdue.",
 "parking-permits": "Residents apply for parking permits online; permits last 30 days and the city has 80,000 residents. Wardens check a permit by plate, about 50 checks per second at peak.",
 "pharmacy-feed": "Pharmacies push dispensing records to us every hour; 9,000 pharmacies, 3M records a day. Records are immutable once dispensed and must be retained for 10 years by law. EU data residency.",
 "vet-clinic": "Veterinary clinic records for 12 vets: owners upload x-ray images before a visit; 300 visits a week. Login via Google Workspace SSO.",
 "grain-coop": "Grain co-operative: 1,400 farms; weighbridges send their tickets to us every evening, 9,000 tickets in harvest week. A ticket must never be paid twice.",
 "canteen-cards": "Student canteen cards for 8,000 students; a card's credit can't go below zero when two tills charge it at once. 20,000 purchases a day, p99 under 150 ms.",
 "vaccination-drive": "Vaccination drive: 12,000 appointment slots for the weekend, 150k residents may try to book at once when booking opens; a slot must never be booked twice and unconfirmed holds expire after 10 minutes.",
 "court-filings": "E-filing for a regional court: lawyers submit filings with PDF attachments, clerks accept or reject filings, filings cannot be changed once accepted, 2,000 filings a day, every action auditable.",
 "courier-dispatch": "Courier app for 600 couriers: dispatchers assign each parcel to a courier, 20k parcels a day, couriers send their location every 10 seconds, customers track their parcel live.",
}

EXPECTED = {
    "gym-classes": ({"capacity-limit"}, {"Mollie payment integration with webhook handler"}),
    "tool-library": ({"capacity-limit"}, {"Scheduled reminder job", "Web app with a relational database"}),
    "parking-permits": ({"expiry"}, set()),
    "pharmacy-feed": ({"immutable", "residency", "retention-lock", "exactly-once-effect"},
                      {"Idempotent record item ingestion from pharmacies"}),
    "vet-clinic": (set(), {"Object storage for x-ray images", "Google Workspace SSO login"}),
    "grain-coop": ({"exactly-once-effect"}, {"Idempotent ticket ingestion from weighbridges"}),
    "canteen-cards": ({"capacity-limit"}, {"Append-only credit ledger with balance projection"}),
    "vaccination-drive": ({"no-double-sell", "expiry"}, {"Inventory store with atomic conditional updates"}),
    "court-filings": ({"immutable", "audit"}, {"Append-only audit log"}),
    "courier-dispatch": ({"no-double-sell"}, {"Matching service"}),
}


@pytest.mark.parametrize("name", sorted(OWN))
def test_an_unseen_kind_of_system_gets_a_sound_design(design, name):
    proposal = design(OWN[name])
    kinds, components = EXPECTED[name]
    assert kinds <= {i.kind for i in proposal.requirement.invariants}
    assert components <= {c.name for c in proposal.components}
    assert not [s.name for s in proposal.self_check if s.status == "failed"]

"""A hard rule is read by what it means, in any register: a terse bullet, an e-mail, a ticket, a
non-native speaker's sentence, a negated or a positive form, or the rule stated as what breaking
it costs ("if two dispatchers grab the same truck we lose the contract"). Each kind of rule has at
least five paraphrases here, none in the corpus's wording, and look-alikes that state no rule."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.consequences import reading
from servicelens.design.requirement import parse_requirement

CATALOG = load_catalog()


def kinds(text: str) -> set[str]:
    return {i.kind for i in parse_requirement(text, CATALOG).invariants}


PARAPHRASES = {
    "no-double-sell": [
        "We run a haulage dispatch desk. If two dispatchers grab the same truck we lose the contract.",
        "Fleet tool. A truck already out on a job must not be handed to a second dispatcher.",
        "Hi team, quick one: last month the same meeting room ended up in two people's calendars for the same hour. "
        "That cannot happen again.",
        "The system must make sure that the same vehicle is not given to different customers for the same day.",
        "A technician can not be in two appointments that overlap.",
        "- trucks: one job at a time, full stop",
    ],
    "capacity-limit": [
        "Wallet service. A wallet balance can never go below zero.",
        "If stock goes negative the warehouse ships things we don't have, and that is the worst outcome.",
        "- balance >= 0 always",
        "We must never let customers spend more credit than they have.",
        "Guys, please make sure points never drop under 0 after a redemption.",
        "An account is not allowed to be overdrawn.",
    ],
    "per-key-order": [
        "Events for a given account have to be applied in the sequence they happened.",
        "Updates to one shipment must be processed in arrival order; different shipments can go in parallel.",
        "If the cancelled event of an order is handled before its created event, the order gets stuck forever.",
        "- per-device ordering of readings is required",
        "Messages within a conversation must appear in the order they were sent.",
        "For each sensor, the readings is needed to be kept in the correct time sequence.",
    ],
    "immutable": [
        "Once a lab result is signed, nobody may change it; mistakes are fixed by issuing an amended result.",
        "Posted journal entries are never edited. A wrong entry is reversed by a new entry.",
        "- issued invoices: read only, corrections via credit note",
        "After submission the exam answers are locked for ever.",
        "If anyone could edit a delivered report after the fact, the regulator would fine us.",
        "Readings, once recorded, can not be modified anymore, only corrected with a new reading.",
    ],
    "audit": [
        "Every change to a patient's medication list must be recorded with who made it and when.",
        "We need a full history of who touched which price and when, for the auditors.",
        "- audit log of all admin actions (who/what/when)",
        "Compliance asks that we can always answer who approved a payment and at what time.",
        "All modifications on the contract need to be traceable to the user who did them.",
        "If we cannot show who changed a dosage, we fail the inspection.",
    ],
    "cutoff": [
        "Orders cannot be changed less than 24 hours before delivery.",
        "Submissions after the deadline are rejected.",
        "- cancel allowed until 2h before departure, not after",
        "Bids arriving after the auction closes must not be accepted.",
        "Registrations close 48 hours before the race starts.",
        "Late entries after 17:00 are refused by the system.",
    ],
    "gapless-sequence": [
        "Invoice numbers must run without gaps, the tax office checks this.",
        "Every receipt gets the next number in the series; a missing number is a tax offence.",
        "- credit note numbers: consecutive, no holes",
        "The certificate numbers have to be strictly sequential with no number skipped.",
        "Ticket numbers are given one after the other, and none may be left out.",
    ],
    "at-least-once": [
        "No order may ever be lost, even if the warehouse system is down.",
        "Every alert has to reach the on-call engineer eventually, even when the pager provider is flaky.",
        "- webhooks: retry until delivered",
        "If a payment confirmation gets dropped, the customer never gets their goods.",
        "Each reading sent by a meter must end up in the database, none can go missing.",
        "Failed deliveries are retried until they succeed.",
    ],
    "exactly-once-effect": [
        "A customer must never be charged twice for the same order.",
        "If the mobile app retries a transfer, the money must move only once.",
        "- payouts: idempotent, duplicate requests ignored",
        "Paying a supplier a second time for the same invoice costs us real money.",
        "Every donation is to be counted exactly one time, also if the bank resends the file.",
    ],
    "uniqueness": [
        "Each username must be unique.",
        "Badge numbers: never the same number for two staff.",
        "Two accounts can't share an email address.",
        "- licence plate: unique per country",
        "No two products may have the same SKU.",
        "If two employees end up with the same badge number, the door system lets the wrong person in.",
    ],
    "convergence": [
        "Edits made offline on two phones must end up the same after sync.",
        "All replicas have to agree eventually on the final state of the document.",
        "- offline edits, merged on reconnect, no conflicts lost",
        "When two nurses update the same chart while offline, both devices must converge to the same chart.",
        "Whatever order the changes arrive in, every copy of the shopping list must show the same items in the end.",
    ],
    "retention": [
        "Call recordings are deleted after 90 days.",
        "- logs: keep 14 days then purge",
        "CCTV footage must not be kept more than 30 days.",
        "Old chat transcripts get purged after 6 months.",
        "We only keep access logs 30 days, and then delete them.",
        "Files are kept until six years after the student graduates, then removed.",
        "HR records: keep 10 years from termination, then purge.",
    ],
    "sla-deadline": [
        "Every new claim must get a first contact within 2 business days; anything about to breach is escalated.",
        "Complaints must be answered within 5 working days.",
        "Support tickets: first response within 4 hours, no exceptions.",
        "Tickets get a first response within 4 hours, period.",
        "If a broken lift is not repaired within 48 hours we pay a penalty to the housing board.",
        "Each pump station must be inspected at least once a year.",
    ],
    "erasure": [
        "We must erase a customer's personal data within 30 days of their request.",
        "Under GDPR a user can ask us to forget them.",
        "Under GDPR a user can ask us to forget them, and then all their data must be removed.",
        "- right to erasure: delete the member everywhere on request",
        "When a patient withdraws consent, their records have to be deleted from every system.",
        "If we still hold a closed account's personal data after they asked for deletion, we get fined.",
    ],
}


@pytest.mark.parametrize("kind, text", [(k, t) for k, texts in PARAPHRASES.items() for t in texts])
def test_a_rule_is_read_by_its_meaning_in_any_register(kind, text):
    if kind == "sla-deadline":
        # an act due within a period: read by its operator ("due time per complaint", kind expiry) or by its cue
        assert any(i.kind in ("sla-deadline", "expiry") and "due" in i.mechanism
                   for i in parse_requirement(text, CATALOG).invariants)
        return
    assert kind in kinds(text)


@pytest.mark.parametrize("text, kind", [
    ("If the cache is cold, the first request is a bit slower.", None),  # a consequence with no harm
    ("If it rains, customers complain about late deliveries.", None),  # a harm of no condition the system sets
    ("Two dispatchers work the night shift and plan the routes.", "no-double-sell"),
    ("Customers can share a basket with their family.", "uniqueness"),
    ("We process the files one after the other every night.", "gapless-sequence"),
    ("Users can delete their drafts at any time.", "erasure"),
    ("The API must respond within 200 ms.", "sla-deadline"),  # a latency target the capacity plan sizes
    ("Orders are shipped within 2 days on average.", "sla-deadline"),  # a description, no rule
    ("Each sample has to belong to one study.", "no-double-sell"),  # a mandatory parent, no exclusive hold
    ("Points can never drop below zero, even when a family redeems at two shops in the same minute.",
     "no-double-sell"),  # the same moment, no thing held by two
])
def test_a_look_alike_states_no_such_rule(text, kind):
    got = kinds(text)
    assert (kind not in got) if kind else not got


@pytest.mark.parametrize("clause, following, said", [
    ("If two dispatchers grab the same truck we lose the contract", "", "never two dispatchers grab the same truck"),
    ("a missing number is a tax offence", "", "no missing number"),
    ("the same room ended up in two calendars", "That cannot happen again", "never the same room ended up in two calendars"),
    ("If the cache is cold, the first request is slower", "", ""),
    ("Rooms are booked online", "Bookings are confirmed by e-mail", ""),
])
def test_a_consequence_reads_as_the_prohibition_of_its_condition(clause, following, said):
    assert reading(clause, following) == said


@pytest.mark.parametrize("text, owner, gap", [
    ("A referee must never be given 2 matches with kick-offs less than 3 hours apart.", "referee", "3 hours"),
    ("A nurse can't be scheduled for two shifts less than 11 hours apart.", "nurse", "11 hours"),
    ("Drivers: never two trips within 30 minutes of each other, full stop.", "driver", "30 minutes"),
])
def test_a_hold_too_close_in_time_names_the_gap_and_its_owner(text, owner, gap):
    mech = {i.kind: i.mechanism for i in parse_requirement(text, CATALOG).invariants}.get("no-double-sell", "")
    assert f"per {owner}" in mech and gap in mech and "FOR UPDATE" in mech and "exclusion constraint" in mech


@pytest.mark.parametrize("kind", ["erasure", "sla-deadline", "cutoff", "lost-update", "tie-break"])
def test_a_kind_of_rule_brings_the_component_that_keeps_it(kind):
    spec = CATALOG.characteristics["invariants"][kind]
    name, role, technology = spec["component"]
    assert name and role and technology


@pytest.mark.parametrize("text, what", [
    ("A user enters a block of text and gets a randomly generated link.", "link"),
    ("Each order gets an auto-generated reference.", "reference"),
    ("Short codes are generated when a link is created.", "code"),
    ("Every parcel is labelled with a system-generated tracking id.", "id"),
    ("Invite tokens: generated per guest, sent by e-mail.", "token"),
])
def test_a_generated_identifier_implies_it_is_unique(text, what):
    mech = {i.kind: i.mechanism for i in parse_requirement(text, CATALOG).invariants}.get("uniqueness", "")
    assert f"generated {what}" in mech and "collision" in mech


@pytest.mark.parametrize("text", ["We generated reports every night.", "The generated PDF is e-mailed to the customer."])
def test_a_generated_document_is_no_identifier(text):
    assert "uniqueness" not in kinds(text)


@pytest.mark.parametrize("text, event", [
    ("Files are kept until six years after the student graduates, then removed.", "after the student graduates"),
    ("Contracts must be retained for 7 years after the end of the employment.", "after the end of the employment"),
    ("HR records: keep 10 years from termination, then purge.", "after termination"),
])
def test_a_keeping_period_from_an_event_stores_its_retention_date(text, event):
    invs = [i for i in parse_requirement(text, CATALOG).invariants if i.kind in ("retention", "retention-lock")]
    assert len(invs) == 1 and event in invs[0].mechanism and "retention date stored per record" in invs[0].mechanism

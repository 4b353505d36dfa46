"""A hard requirement is read by its structure (polarity or modal, the act, its object and its
scope), not by phrases seen before: a new wording of a known rule gets the same kind, and a
sentence of the same words that obliges nothing gets none (design/rule_structure.py)."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.invariant_shapes import shaped_invariants
from servicelens.design.rule_structure import read_rule, rule_structures
from servicelens.design.text import normalise

SPECS = load_catalog().characteristics


def kind(sentence: str) -> str:
    rule = read_rule(normalise(sentence))
    return rule.kind if rule else ""


@pytest.mark.parametrize("sentence, expected", [
    # one thing held, sold, issued or used by one taker: repetition of an allocating act
    ("A berth is never allocated a second time while it is occupied.", "no-double-sell"),
    ("We must not hand out the same locker to two tenants.", "no-double-sell"),
    ("Under no circumstances may a voucher be redeemed more than once.", "no-double-sell"),
    ("- each parking bay rented out at most once per night", "no-double-sell"),
    ("Licence keys cannot be reissued.", "no-double-sell"),
    ("Two shoppers must never both end up buying the last pair of shoes.", "no-double-sell"),
    # an effect that must not repeat: repetition of an effecting act
    ("The bank transfer must not execute twice, even if the client retries.", "exactly-once-effect"),
    ("A reminder SMS is sent exactly once per appointment.", "exactly-once-effect"),
    ("Under no circumstances should a donor be debited two times for one pledge.", "exactly-once-effect"),
    ("Webhooks that we receive again must not be applied a second time.", "exactly-once-effect"),
    ("A payout may only be triggered once.", "exactly-once-effect"),
    # nothing lost: negation of a losing act, or a delivery that must happen
    ("No telemetry sample may go missing if a collector restarts.", "at-least-once"),
    ("We can never drop a customer's order, even during a broker outage.", "at-least-once"),
    ("Every webhook must eventually reach the partner, at least once.", "at-least-once"),
    # order within a scope
    ("Chat messages have to show up in the sequence they were typed, per conversation.", "per-key-order"),
    ("Updates for a given shipment must never be applied out of order.", "per-key-order"),
    ("Within each account, ledger events are processed strictly in order.", "per-key-order"),
    ("The order of moves inside a game must be preserved.", "per-key-order"),
    # numbering with no holes, per scope
    ("Receipt numbers go up by exactly one per store, with no number skipped.", "gapless-sequence"),
    ("Each tenant's credit notes are numbered consecutively.", "gapless-sequence"),
    ("- invoice numbering: sequential per company, no holes", "gapless-sequence"),
    # issued records that no one may change; corrections are new records
    ("Once a prescription is signed, nobody can alter it.", "immutable"),
    ("Issued certificates are never edited; a fix is a new certificate that supersedes the old one.", "immutable"),
    ("The audit trail must be tamper-proof and no entry may ever be deleted.", "immutable"),
    ("Posted journal entries are final: corrections go in as reversing entries.", "immutable"),
    # replicas that must agree in the end
    ("All replicas of a whiteboard must eventually end up identical.", "convergence"),
    ("Two nurses editing the same chart offline must see their changes merge without losing either.", "convergence"),
    # a counter that never goes below zero, a bound per scope
    ("A wallet balance can never drop below zero.", "capacity-limit"),
    ("Stock levels must never become negative.", "capacity-limit"),
    ("An account must not be overdrawn.", "capacity-limit"),
    ("A student may enrol in at most 6 courses per term.", "capacity-limit"),
    # a deadline on a whole run
    ("The full payroll batch must complete within 2 hours of the cut-off.", "batch-deadline"),
    ("A 20M-recipient campaign has to be fully sent within 1 hour.", "batch-deadline"),
    # the same rules in more wordings
    ('A hotel room must not be promised to more than one guest for the same night.', 'no-double-sell'),
    ('Each raffle ticket number goes to exactly one buyer.', 'no-double-sell'),
    ('It must be impossible for two drivers to accept the same delivery job.', 'no-double-sell'),
    ('The same gift code should never be usable a second time.', 'no-double-sell'),
    ('Customers should never end up paying twice for a single order.', 'exactly-once-effect'),
    ('Duplicate webhook deliveries from the PSP must not result in duplicate refunds.', 'exactly-once-effect'),
    ('Interest is accrued once per account per day, never more.', 'exactly-once-effect'),
    ('Messages within a channel have to be displayed in the order the server accepted them.', 'per-key-order'),
    ('Commands for one robot are executed strictly one after another, in the order issued.', 'per-key-order'),
    ('Per patient, vitals must never be shown out of sequence.', 'per-key-order'),
    ('Order numbers must be sequential per merchant without any holes.', 'gapless-sequence'),
    ('Ticket IDs are allocated consecutively within each project.', 'gapless-sequence'),
    ('Credit notes get their own gap-free number range per legal entity.', 'gapless-sequence'),
    ("Once a lab result is released it can't be modified; amendments are issued as a new version.", 'immutable'),
    ('No one, not even admins, may delete or rewrite entries in the access log.', 'immutable'),
    ('Signed contracts are read-only.', 'immutable'),
    ('Sensor readings must not get lost when the uplink is down.', 'at-least-once'),
    ('Every order event has to reach the warehouse system eventually, even after outages.', 'at-least-once'),
    ('Each notification is guaranteed to be delivered at least once.', 'at-least-once'),
    ('Both devices must end up showing the same shopping list after syncing.', 'convergence'),
    ('Replicas in all regions must converge to the same value.', 'convergence'),
    ("A customer's prepaid credit can never go below 0.", 'capacity-limit'),
    ('No team may have more than 12 players on its roster.', 'capacity-limit'),
    ('The nightly settlement run must be fully finished within 3 hours.', 'batch-deadline'),
    ('All 5M statements must be generated within 6 hours.', 'batch-deadline'),
    ('Two riders should never be able to grab the same scooter.', 'no-double-sell'),
    ("A desk can't be reserved by someone else while it's taken.", 'no-double-sell'),
    ('No coupon code gets handed out twice.', 'no-double-sell'),
    ("We can't afford to bill a tenant twice for one month.", 'exactly-once-effect'),
    ('Points for a purchase are credited just once, regardless of retries.', 'exactly-once-effect'),
    ('A retry from the POS must never cause a second capture.', 'exactly-once-effect'),
    ('Status updates for each parcel need to be applied in the sequence they were scanned.', 'per-key-order'),
    ('Trades on a given instrument are matched strictly first-in-first-out.', 'per-key-order'),
    ('Within a thread, replies must appear chronologically.', 'per-key-order'),
    ('Policy numbers are handed out sequentially per insurer and may not skip.', 'gapless-sequence'),
    ("Every school's diplomas carry consecutive serial numbers.", 'gapless-sequence'),
    ('After submission, a tax return can no longer be changed; fixes are filed as an amended return.', 'immutable'),
    ('The ledger is write-once.', 'immutable'),
    ('Nobody should be able to erase a medical record.', 'immutable'),
    ('None of the incoming payments may be dropped on the floor.', 'at-least-once'),
    ('Each alert must be delivered to the on-call engineer, retrying until acknowledged.', 'at-least-once'),
    ('Copies of the playlist on all devices have to converge after edits.', 'convergence'),
    ('A gift card balance is not allowed to dip under zero.', 'capacity-limit'),
    ('The month-end billing job needs to be done within 4 hours.', 'batch-deadline'),
    # a deadline on one thing: an alert, or one that must hold through a bulk load
    ("On-call must be paged no later than 1 minute after a sensor crosses its threshold.", "alert-deadline"),
    ("A password-reset email has to land in the inbox within 30 seconds, even during a bulk send.", "isolation"),
    ("The nightly import has to be finished before 7:00.", "batch-deadline"),
    ("Every audit record is kept unaltered.", "immutable"),
    ("The audit log can only be appended to.", "immutable"),
    ("- no drops", "at-least-once"),
    ("Zero data loss, even when a broker dies.", "at-least-once"),
    ("A patient can wait in only one clinic's queue at a time.", "no-double-sell"),
])
def test_a_rule_is_read_by_its_structure(sentence, expected):
    assert kind(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Users never need to log in twice a day.",
    "We never had more than 2 outages last year.",
    "The service must support 2 regions.",
    "Orders are shipped in order to keep customers happy.",
    "Customers can change their delivery address.",
    "We lost two customers last quarter.",
    "Clients send about 2 requests per second.",
    "Each user gets a dashboard with their numbers.",
    "The page must respond within 200 ms.",
    "Latency must never be more than 200 ms.",
    "The export runs twice a week.",
    "Nothing changes for existing users.",
    "Guests often visit twice during a stay.",
    'We shipped the order twice last month by mistake.',
    'Users log in about twice a week.',
    'The team never had more than 3 engineers.',
    'The API must support 3 languages.',
    'It does not need to be real-time.',
    'Each page shows 20 items.',
    'Customers can edit their profile at any time.',
    'Messages are shown in a list.',
    'Admins can delete spam posts.',
    'We need to process 2 million events per day.',
    'We processed 2 million payments last year.',
    'Riders usually grab the nearest scooter.',
    'Teachers can edit grades until the term ends.',
    'The dashboard shows orders in a table.',
    'It should support about 3 regions.',
    'Nobody uses the old API anymore.',
    "Support must answer within 2 hours.",
    "The report is generated before 7:00 most days.",
    "The price drops every Friday.",
])
def test_a_sentence_that_obliges_nothing_is_no_rule(sentence):
    assert kind(sentence) == ""


@pytest.mark.parametrize("sentence, obj, scope", [
    ("A berth is never allocated a second time while it is occupied.", "berth", ""),
    ("We must not hand out the same locker to two tenants.", "locker", ""),
    ("Chat messages have to show up in the sequence they were typed, per conversation.", "message", "conversation"),
    ("Updates for a given shipment must never be applied out of order.", "update", "shipment"),
    ("Each tenant's invoices are numbered consecutively.", "invoice", "tenant"),
    ("A student may enrol in at most 6 courses per term.", "student", "term"),
    ("A user may not have more than 3 devices.", "user", ""),
])
def test_the_object_and_scope_are_read(sentence, obj, scope):
    rule = read_rule(normalise(sentence))
    assert rule is not None and (rule.object, rule.scope) == (obj, scope)


def test_several_rules_in_a_text_each_get_their_reading():
    text = normalise("Seats are never sold a second time. Per room, messages stay in the order they were posted.")
    assert [r.kind for r in rule_structures(text)] == ["no-double-sell", "per-key-order"]


def _kinds(text: str) -> set[str]:
    t = normalise(text)
    from servicelens.design.characteristics import find_invariants
    return {i.kind for i in shaped_invariants(t, find_invariants(t, SPECS), SPECS)}


def test_the_design_names_a_mechanism_for_a_rule_in_new_words():
    got = shaped_invariants(*(lambda t: (t, (), SPECS))(normalise(
        "Tour operators resell cabins. A cabin must not be handed to two passengers for one sailing.")))
    mech = [i.mechanism for i in got if i.kind == "no-double-sell"]
    assert mech and "conditional update" in mech[0] and "cabin" in mech[0]


def test_gapless_numbering_names_its_scope():
    got = shaped_invariants(normalise("Each clinic's referral numbers must run on with no holes."), (), SPECS)
    mech = " ".join(i.mechanism for i in got if i.kind == "gapless-sequence")
    assert "per clinic" in mech and "counter" in mech


def test_a_look_alike_adds_no_invariant():
    assert _kinds("We never had more than 2 outages. Users never need to log in twice a day.") <= {"tenant-isolation"}


def test_a_bound_on_a_time_is_no_counter_limit():
    assert "capacity-limit" not in _kinds("Latency must never be more than 200 ms.")


def test_two_orders_on_one_table_add_their_columns_once():
    from servicelens.design.synthesis import _numbered_within
    table = {"columns": ["id uuid primary key", "owner_id uuid not null", "name text"], "indexes": []}
    _numbered_within(table, "pair", "seq")
    _numbered_within(table, "client", "seq")
    _numbered_within(table, "pair", "seq")
    names = [c.split()[0] for c in table["columns"]]
    assert len(names) == len(set(names)) and {"pair_id", "client_id", "seq", "client_seq"} <= set(names)
    assert "pair_seq" not in names and len(table["indexes"]) == 2


def test_read_only_by_someone_restricts_reading_it_freezes_nothing():
    rule = read_rule(normalise("Notes can be read only by clinical staff."))
    assert rule is None or rule.kind != "immutable"

"""Operations read from sentence shape: open-class verbs after their subject or a modal,
phrasal verbs, pronoun objects, passives, gerunds and nominalisations."""
from __future__ import annotations

import pytest

from servicelens.design.entities import find_actions, is_thing
from servicelens.design.verb_phrases import lemma, verb_of_nominalisation, verb_phrases


def pairs(text: str) -> set[tuple[str, str]]:
    return {(v.verb, v.obj) for v in verb_phrases(text, is_thing)}


@pytest.mark.parametrize("word, base", [
    ("retired", "retire"), ("submitted", "submit"), ("allocates", "allocate"), ("carries", "carry"),
    ("returned", "return"), ("booked", "book"), ("released", "release"), ("processes", "process"),
    ("voted", "vote"), ("ordered", "order"), ("archived", "archive"), ("matches", "match"), ("stored", "store"),
])
def test_inflections_are_undone_by_spelling_rules(word, base):
    assert lemma(word) == base


@pytest.mark.parametrize("noun, verb", [
    ("cancellation", "cancel"), ("allocation", "allocate"), ("approval", "approve"), ("payment", "pay"),
    ("submission", "submit"), ("deletion", "delete"), ("notification", "notify"), ("renewal", "renew"),
    ("total", ""), ("portal", ""),
])
def test_nominalisations_name_their_verb(noun, verb):
    assert verb_of_nominalisation(noun) == verb


def test_a_verb_after_a_plural_subject_is_an_operation_on_its_object():
    assert ("transfer", "credits") in pairs("Holders transfer credits between accounts.")


def test_a_phrasal_verb_keeps_its_particle_and_a_pronoun_stands_for_the_last_thing_named():
    got = pairs("Couriers drop off around 600 thousand parcels a day and recipients pick them up with a PIN.")
    assert {("drop_off", "parcels"), ("pick_up", "parcels")} <= got


def test_an_intransitive_phrasal_verb_is_the_actors_operation_and_coordination_shares_the_subject():
    got = pairs("Riders tap in and tap out with a contactless card at the gates.")
    assert {("tap_in", "riders"), ("tap_out", "riders")} <= got


def test_verbs_after_a_modal_then_or_a_comma_list_reach_the_same_object():
    got = pairs("Members find a nearby car on the map, book it for 20 minutes, then unlock it with the app.")
    assert {("find", "car"), ("book", "car"), ("unlock", "car")} <= got


def test_a_singular_subject_takes_a_verb_ending_in_s():
    assert ("award", "bounty") in pairs("Triagers close reports, and the company awards a bounty.")


def test_passives_gerunds_and_nominalisations_name_what_is_done_to_a_thing():
    assert ("retire", "credit") in pairs("A credit is retired when it is used.")
    assert ("unblind", "patient") in pairs("Unblinding a patient requires two approvals.")
    assert ("cancel", "booking") in pairs("The cancellation of a booking refunds the deposit.")


@pytest.mark.parametrize("text", [
    "We need to manage invoices for 10k customers.",  # what the system is, not an operation
    "Episode downloads hit 9M per day.",  # a load, not an operation
    "A constellation of 48 satellites.",  # a quantity, not a nominalised action
    "Lockers go offline sometimes.",
])
def test_statements_of_fact_are_not_operations(text):
    assert not pairs(text)


def test_actions_carry_phrasal_verbs_into_operation_ids():
    ids = {a.op_id for a in find_actions("Couriers drop off parcels and recipients pick them up.")}
    assert {"drop_off_parcel", "pick_up_parcel"} <= ids


def test_a_number_word_is_never_an_entity():
    ids = {a.op_id for a in find_actions("A driver must never be assigned two rides at once.")}
    assert not any(i.endswith("_two") for i in ids)


def test_the_business_itself_and_hyphenated_compounds_are_not_operations():
    assert not pairs("We run a network of 3,500 parcel lockers.")
    assert not pairs("Every action must be audit-logged.")


def test_an_imperative_at_the_start_of_a_clause_is_an_operation():
    got = pairs("Draft a rota for each ward. When a nurse is sick, swap the shift with a colleague.")
    assert {("draft", "rota"), ("swap", "shift")} <= got


def test_a_noun_at_the_start_of_a_clause_before_an_article_is_not_an_imperative():
    assert not any(v == "inventories" for v, _ in pairs("Inventories the size of a warehouse are rare."))


def test_lets_and_helps_introduce_the_actor_of_a_bare_verb():
    got = pairs("The portal lets tenants report leaks and helps caretakers schedule repairs.")
    assert {("report", "leaks"), ("schedule", "repairs")} <= got


def test_a_possessive_is_followed_by_a_noun_not_a_verb():
    got = pairs("Tenants' deposits stay in escrow; landlords' invoices are paid monthly.")
    assert not any(v in ("deposit", "invoice") for v, _ in got)


def test_an_adverb_between_modal_and_verb_is_skipped():
    assert ("borrow", "tool") in pairs("No member may ever borrow the same tool twice in a week.")


def test_a_verb_and_noun_before_an_auxiliary_are_one_noun_phrase():
    ops = {a.op_id for a in find_actions("Booking requests are reviewed by the desk team. Members book desks.")}
    assert "book_request" not in ops and "book_desk" in ops


def test_a_noun_the_text_keeps_naming_is_an_entity_and_ranks_above_a_passing_one():
    from servicelens.design.entities import entities
    text = ("The greenhouse controller waters each bed on a schedule. A bed has sensors; a bed's valve opens when "
            "soil is dry. Growers' data stays on site.")
    got = entities(find_actions(text), (), (), "", (), text)
    assert got[0] == "bed" and "stay" not in got


@pytest.mark.parametrize("text, wanted", [
    ("Patients book, reschedule and cancel appointments online.",
     {("book", "appointments"), ("reschedule", "appointments"), ("cancel", "appointments")}),
    ("Agents assign, comment on and close tickets.",
     {("assign", "tickets"), ("comment_on", "tickets"), ("close", "tickets")}),
    ("Members borrow, renew, and return books.", {("borrow", "books"), ("renew", "books"), ("return", "books")}),
])
def test_a_comma_list_of_verbs_shares_the_object_of_its_last(text, wanted):
    assert wanted <= pairs(text)


def test_a_verb_done_again_is_one_verb():
    assert ("rerun", "build") in pairs("People can cancel or re-run a build.")

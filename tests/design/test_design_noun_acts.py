"""Acts written as participles, act-noun lists and arrow chains (noun_acts.py, lifecycle_chains.py),
things a noun has (entity_roles.possessed), and the shape rules composed from them (compositions.yaml)."""
from __future__ import annotations

from servicelens.design.catalog import load_catalog
from servicelens.design.composition import Facts, compose
from servicelens.design.entities import find_actions, is_thing
from servicelens.design.entity_roles import possessed
from servicelens.design.lifecycle import verb_of_participle
from servicelens.design.lifecycle_chains import chain_acts
from servicelens.design.requirement import parse_requirement
from servicelens.design.verb_phrases import lemma, verb_of_nominalisation


def _ops(text: str) -> list[str]:
    return [a.op_id for a in find_actions(text)]


def test_participles_qualifying_a_thing_name_acts_on_it():
    ops = _ops("Support agents work tickets all day; a closed or escalated ticket must keep its full history.")
    assert "close_ticket" in ops and "escalate_ticket" in ops


def test_a_participle_of_a_verb_that_changes_no_state_is_no_act():
    ops = _ops("Each signed contract and the listed products are shown on a fixed page.")
    assert not any(op.startswith(("sign_", "list_", "fix_")) for op in ops)


def test_a_list_of_act_nouns_binds_to_the_thing_the_text_acts_on_most():
    ops = _ops("Members top up a wallet in the app and pay from the wallet. We support refunds, reloads and "
               "pre-authorisations for every wallet.")
    assert "refund_wallet" in ops and "preauthorise_wallet" in ops


def test_an_act_noun_list_keeps_the_object_an_act_already_has():
    ops = _ops("Drivers accept trips and can cancel a booking. Cancellations and refunds are logged.")
    assert "cancel_booking" in ops and "cancel_trip" not in ops


def test_a_list_of_plain_nouns_names_no_act():
    ops = _ops("Shoppers browse shirts, shoes and hats, then buy a basket.")
    assert not any(op.startswith(("shirt", "shoe", "hat")) for op in ops)


def test_arrow_chain_of_participles_names_the_acts_on_the_sentence_thing():
    text = "Each claim moves draft -> submitted -> assessed -> paid, and adjusters see them."
    acts = {(a.verb, a.noun) for a in chain_acts(text, is_thing, verb_of_participle)}
    assert ("submit", "claim") in acts and ("assess", "claim") in acts
    assert not any(v == "draft" for v, _ in acts)  # the first state is where a claim starts


def test_a_chain_of_nouns_names_no_act():
    assert chain_acts("Flow: cart -> address -> payment -> order.", is_thing, verb_of_participle) == ()


def test_lemma_and_nominalisation_spelling():
    assert [lemma(w) for w in ("sequenced", "triaged", "balanced", "synced")] == ["sequence", "triage", "balance", "sync"]
    assert verb_of_nominalisation("authorisation") == "authorise"


def test_what_a_thing_has_is_kept_but_not_a_measure_or_an_obligation():
    assert possessed("Every store has a stock list with bins and shelves, and a manager rota.") == \
        ("list", "bins", "shelves", "rota")
    assert possessed("A user has to confirm the email.") == ()
    assert possessed("Each course has 30 seats.") == ()


def _names(text: str, facts: Facts = Facts()) -> list[str]:
    catalog = load_catalog()
    req = parse_requirement(text, catalog)
    return [c.name for b in compose(req, facts, catalog.compositions["rules"], ()).blocks for c in b.components]


def test_a_model_per_item_gets_inference_workers_and_plain_crud_does_not():
    assert any("inference workers" in n for n in _names(
        "Users post reviews; every review goes through a spam classifier before it is shown. 40k reviews/day."))
    assert not any("inference" in n for n in _names("Users post reviews and edit them. 40k reviews/day."))


def test_working_through_a_region_outage_gets_multi_region():
    assert "Multi-region deployment (active-active or warm standby)" in _names(
        "Status page service: customers post incidents; it must stay up when a region goes down.")
    assert not any("Multi-region" in n for n in _names("Status page service: customers post incidents."))


def test_staged_rollout_and_signatures_get_their_blocks():
    names = _names("Mobile app config service: admins publish a config and roll it out in stages, with automatic "
                   "rollback when errors rise. Clients verify the signature of each config.")
    assert any("Staged rollout controller" in n for n in names)
    assert any("Signing key in a KMS" in n for n in names)


def test_effective_dated_values_and_recompute_get_versions_and_a_batch_job():
    names = _names("Tax rates service: each rate is versioned with an effective date, and finance can recompute "
                   "past invoices when a rate was wrong.")
    assert any(n.startswith("Versioned") for n in names)
    assert any("recompute / backfill job" in n for n in names)


def test_a_provider_limit_and_inbound_webhooks_get_a_limiter_and_a_receiver():
    names = _names("Shipping sync: the carrier sends tracking events to our webhook, and its API limit is 600 requests "
                   "per minute, so label requests queue.")
    assert any(n.startswith("Inbound webhook receiver") for n in names)
    assert any("rate limiter (token bucket)" in n for n in names)


def test_an_agent_noun_of_an_operation_with_its_thing_names_the_act():
    assert "follow_listing" in _ops("A buyer becomes a follower of a listing and gets its price drops.")
    assert not any(op.startswith("use_") for op in _ops("Users of the portal upload invoices."))


def test_a_noun_said_to_be_in_a_state_is_kept_but_opening_hours_are_not():
    catalog = load_catalog()
    assert "poll" in parse_requirement("Quarterly pulse poll for 3,000 staff. The poll is open for 10 days and each "
                                       "person answers once.", catalog).entities
    assert "gym" not in parse_requirement("A booking app for a climbing gym. The gym is open 7 days; members book "
                                          "sessions.", catalog).entities

"""Acts written in note style ("specimen received, labelled, tested": design/reduced_passives.py) and
one verb's further objects ("register births, deaths and marriages": design/object_lists.py). Cases are
data in tests/design/fixtures/note-acts and object-lists, in registers and domains unlike the corpus:
texts that must yield an action and look-alikes that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design.catalog import load_catalog
from servicelens.design.entities import is_thing
from servicelens.design.object_lists import listed_objects
from servicelens.design.reduced_passives import reduced_passives
from servicelens.design.requirement import parse_requirement
from servicelens.design.verb_phrases import lemma

_CATALOG = load_catalog()
_CASES = [(name, fixture_cases(name)) for name in ("note-acts", "object-lists")]


@pytest.mark.parametrize("case", [c for _, cases in _CASES for c in cases("fire.yaml")], ids=lambda c: c["why"])
def test_an_act_the_text_states_is_an_action(case):
    actions = parse_requirement(case["text"], _CATALOG).actions
    assert case["action"] in actions, actions


@pytest.mark.parametrize("case", [c for _, cases in _CASES for c in cases("quiet.yaml")], ids=lambda c: c["why"])
def test_a_look_alike_is_no_action(case):
    actions = parse_requirement(case["text"], _CATALOG).actions
    assert not set(case["absent"]) & set(actions), actions


def test_the_participles_of_one_run_share_its_noun_until_a_new_noun():
    acts = reduced_passives("Specimen received, labelled, tested in the lab, result reported to the GP.", is_thing)
    assert [(a.verb, a.noun) for a in acts] == [("receive", "specimen"), ("label", "specimen"), ("test", "specimen"),
                                                 ("report", "result")]


def test_a_participle_spelt_like_its_base_joins_only_a_run():
    acts = reduced_passives("Samples checked in, split into aliquots and discarded after 90 days.", is_thing)
    assert ("split", "samples") in [(a.verb, a.noun) for a in acts]
    assert reduced_passives("Nurses split shifts with agency staff.", is_thing) == ()


def test_a_list_ends_at_a_clause_with_its_own_subject():
    assert listed_objects("Drivers accept jobs, offers and transfers, and riders rate drivers.", "accept jobs",
                          is_thing) == ("offers", "transfers")


@pytest.mark.parametrize("word, base", [("repaired", "repair"), ("poured", "pour"), ("required", "require"),
                                        ("acquired", "acquire"), ("retired", "retire"), ("cleared", "clear")])
def test_a_verb_s_base_form_by_spelling(word, base):
    assert lemma(word) == base


@pytest.mark.parametrize("word, base", [("withdrawn", "withdraw"), ("paid", "pay"), ("taken", "take"),
                                        ("split", ""), ("took", ""), ("based", "")])
def test_an_irregular_participle_s_verb(word, base):
    from servicelens.design.reduced_passives import participle_verb
    assert participle_verb(word) == base


@pytest.mark.parametrize("word, verb", [("comment", "comment"), ("payment", "pay"), ("shipment", "ship"),
                                        ("moment", "")])
def test_a_ment_noun_s_verb(word, verb):
    from servicelens.design.verb_phrases import verb_of_nominalisation
    assert verb_of_nominalisation(word) == verb

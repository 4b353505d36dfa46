"""Entity selection by the roles a noun plays (design/entities.py `entities`, design/entity_roles.py):
a noun the text keeps, sizes, fills or counts is a chosen entity; an adverb, a measure word, a
singular mangled from a word in -s, a provider's name, a qualifier, a verb and a person's role the
text never keeps are not. Fixtures in tests/design/fixtures/entity-selection."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design.catalog import load_catalog
from servicelens.design.entity_roles import modifier_only, noun_roles, proper_names, used_as_noun
from servicelens.design.identifiers import entity_names, singular
from servicelens.design.requirement import parse_requirement
from servicelens.design.synthesis import MAX_ENTITIES

_cases = fixture_cases("entity-selection")
_CATALOG = load_catalog()


def _chosen(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(entity_names(e)[0] for e in parse_requirement(text, _CATALOG).entities))[:MAX_ENTITIES]


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_a_noun_the_text_keeps_is_an_entity(case):
    assert case["entity"] in _chosen(case["text"]), _chosen(case["text"])


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_a_word_that_names_no_kept_thing_is_no_entity(case):
    chosen = _chosen(case["text"])
    assert not set(case["absent"]) & set(chosen), chosen


@pytest.mark.parametrize("plural, one", [("plus", "plus"), ("has", "has"), ("status", "status"), ("statuses", "status"),
                                         ("addresses", "address"), ("news", "news"), ("analysis", "analysis"),
                                         ("data", "data"), ("menus", "menu"), ("skus", "sku"), ("bonuses", "bonus"),
                                         ("causes", "cause"), ("aliases", "alias"), ("trips", "trip"), ("series", "series")])
def test_singular_does_not_mangle(plural, one):
    assert singular(plural) == one


def test_mass_nouns_are_their_own_plural():
    assert entity_names("news") == ("news", "news")


def test_roles_read_from_the_text():
    roles = noun_roles("GPS traces are kept for 1 year, trip records for 7 years. A ping is ~120 bytes. "
                       "Each release has a number of bottles per wine. A bike's lock opens.")
    assert {"trace", "trip", "ping", "release"} <= set(roles.stored)
    assert "wine" in roles.scoped and "bike" in roles.owners


def test_proper_names_are_capitalised_mid_sentence_only():
    text = "Design Ticketmaster for us. Rides are paid with Stripe. Riders rate rides. SKUs are counted."
    assert proper_names(text) == {"ticketmaster", "stripe"}


def test_a_qualifier_heads_no_phrase():
    text = "90k annual members and the annual report; trips end, trip records stay"
    assert modifier_only("annual", text) and not modifier_only("trip", text)


def test_noun_use_of_a_verb():
    assert used_as_noun("hold", "users get a 10-minute hold while they pay")
    assert not used_as_noun("stay", "Records stay for 8 years")


def test_a_record_of_a_noun_keeps_the_noun():
    roles = noun_roles("Each crossing record is ~150 bytes. Ledger entries are kept for 7 years.")
    assert "crossing" in roles.stored and "record" not in roles.stored
    assert "ledger" in roles.stored


def test_nouns_joined_to_a_kept_subject_share_it():
    roles = noun_roles("Completed documents and audit trails are retained for 10 years.")
    assert {"document", "trail"} <= set(roles.stored)


def test_a_period_or_a_conjunction_is_kept_by_nobody():
    roles = noun_roles("After 30 days and logs are kept for a year. Payments settle nightly and logs are stored.")
    assert "day" not in roles.stored and "and" not in roles.stored and "log" in roles.stored


def test_an_obligation_on_a_noun_names_it_but_not_the_end_of_a_prepositional_phrase():
    roles = noun_roles("Cover has to be arranged by 7:30. A runner's split at a mat must be recorded exactly once.")
    assert "cover" in roles.obliged and "mat" not in roles.obliged


def test_an_acronym_with_a_version_is_a_standard_not_a_thing_kept():
    names = proper_names("The register must meet WCAG 2.2 AA; messages arrive as ISO 8583; we store 20 SKUs and CPU 80%.")
    assert {"wcag", "iso"} <= names and "sku" not in names and "cpu" not in names


def test_an_ing_word_in_the_plural_is_a_noun():
    assert used_as_noun("drawing", "Each application carries drawings and reports")
    assert not used_as_noun("starting", "resumes the download rather than starting again")


def test_a_noun_whose_parts_are_counted_is_kept():
    roles = noun_roles("Chats (groups up to 500 members); rooms of 6 learners; a hall holds at most 400 guests; "
                       "payments up to 10,000 euros; sessions of 45 minutes.")
    assert {"group", "room"} <= set(roles.stored)
    assert not {"hold", "payment", "session"} & set(roles.stored)

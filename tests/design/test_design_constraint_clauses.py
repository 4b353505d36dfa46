"""Constraint clauses by operator (design/constraint_clauses.py): the pure reader's fields, and
the clauses that state a rule no invariant keeps, listed as stated and not addressed. The
pipeline cases (a kind and the words its mechanism names, and look-alikes) are data in
tests/design/fixtures/invariant_forms/constraint_clauses.yaml, run by test_design_invariant_forms."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.constraint_clauses import read_clause, stated_constraint
from servicelens.design.invariant_shapes import subject_of
from servicelens.design.requirement import parse_requirement

CATALOG = load_catalog()


@pytest.mark.parametrize("clause, family, fields", [
    ("A crew member is on at most one flight at any moment", "exclusive-at-a-time", {"counted": "flight", "bound": "1"}),
    ("Duty time must not exceed 13 hours in any 24-hour period", "windowed-quota",
     {"bound": "13 hours", "scope": "24-hour period", "counted": "hours"}),
    ("A pilot gets at least 10 hours of rest between two duties", "minimum-gap", {"counted": "duty", "bound": "10 hours"}),
    ("Disputes freeze the milestone until an agent resolves them", "blocked-until",
     {"subject": "milestone", "condition": "an agent resolves them"}),
    ("A member's unclaimed allocation goes back to the general pool 72 hours later", "relative-deadline",
     {"subject": "allocation", "bound": "72 hours"}),
    ("Notes can be read only by clinical staff of that clinic", "read-restricted", {"scope": "clinical staff"}),
    ("at most 3 sends per phone number per hour", "windowed-quota", {"subject": "phone number", "scope": "hour"}),
    ("no more than 20 uploads per day per device", "windowed-quota", {"subject": "device", "scope": "day"}),
    ("a re-sent file must replace that store's day, not add to it", "replaced-slice",
     {"subject": "store", "counted": "day"}),
])
def test_the_operator_names_the_family_and_its_parts(clause, family, fields):
    got = read_clause(clause, subject_of)
    assert got is not None and got.family == family, got
    for name, value in fields.items():
        assert getattr(got, name) == value, (name, got)


@pytest.mark.parametrize("clause", [
    "Devices check in every 6 hours",
    "The lobby shows a welcome video",
    "Search must respond in under 200 ms",
])
def test_a_clause_without_an_operator_family_is_not_read(clause):
    assert read_clause(clause, subject_of) is None


def test_a_rule_no_reader_keeps_is_listed_as_stated_not_addressed():
    req = parse_requirement("Volunteers hand out food parcels at the hall. A voucher may be handed to one guest only.",
                            CATALOG)
    assert "A voucher may be handed to one guest only" in req.unaddressed


@pytest.mark.parametrize("text", [
    "Search must respond in under 200 ms.",  # a speed target is sized, not kept as a rule
    "The lobby shows a welcome video.",  # no operator at all
])
def test_targets_and_descriptions_are_not_listed(text):
    assert not stated_constraint(text.rstrip(".")) or not parse_requirement(text, CATALOG).unaddressed


def test_a_kept_rule_is_not_listed_again():
    req = parse_requirement("A surgeon is on at most one operation at any moment.", CATALOG)
    assert req.unaddressed == ()


@pytest.mark.parametrize("phrase, subject", [
    ("anyone can add an expense to the trip", ""),  # "an" + "yone" is no determiner and noun
    ("an order is paid once", "order"),
    ("each seat can be sold once", "seat"),
])
def test_a_determiner_is_a_word_of_its_own(phrase, subject):
    assert subject_of(phrase) == subject

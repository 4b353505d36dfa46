"""Invariant shapes for slots, edits, repeats and visibility (design/rule_shapes.py), and the
DDL a one-per-slot rule gets."""
from __future__ import annotations

import pytest

from servicelens.design.identifiers import entity_names
from servicelens.design.rule_shapes import rule_shapes


def _shapes(text):
    return [(k, subject, counted, extra) for k, _, subject, counted, extra in
            rule_shapes(text, lambda pos: text, lambda w: entity_names(w)[0])]


@pytest.mark.parametrize("text,expected", [
    ("A courtroom can't hold two hearings in the same time slot.", ("uniqueness", "courtroom", "hearings", "time slot")),
    ("The generator makes sure no team plays twice on the same day.", ("uniqueness", "team", "", "day")),
    ("An official appoints one referee per match.", ("uniqueness", "match_item", "referee", "")),  # "match" is reserved
    ("Readings are kept for 5 years and can never be edited.", ("immutable", "", "", "")),
    ("A backer is charged at most once per pledge, even if the job is retried.", ("exactly-once-effect", "pledge", "", "")),
    ("Sealed cases must be visible only to the judge.", ("restricted-read", "judge", "", "allow")),
    ("Authors never see reviewer names.", ("restricted-read", "author", "names", "deny")),
])
def test_rule_shapes_in_the_writers_words(text, expected):
    assert expected in _shapes(text)


@pytest.mark.parametrize("text", [
    "A driver must never be assigned two rides at the same time.",  # concurrency, handled as no-double-sell
    "We send one reminder per day.",  # a rate, not a key
])
def test_look_alikes_are_no_slot_rules(text):
    assert not [s for s in _shapes(text) if s[0] == "uniqueness"]


def test_the_ddl_enforces_one_per_slot_and_one_per_holder(design):
    proposal = design("The county court wants a docket system. Clerks file new cases and hearings get scheduled in "
                      "courtrooms. A courtroom can't hold two hearings in the same time slot. An official appoints "
                      "one referee per match. 30,000 cases a year.")
    assert "CREATE UNIQUE INDEX ux_hearings_courtroom_id_time_slot ON hearings (courtroom_id, time_slot);" in proposal.ddl
    assert "match_item_id uuid not null unique" in proposal.ddl
    kinds = [i.kind for i in proposal.requirement.invariants]
    assert kinds.count("uniqueness") == 2
    assert not [s.name for s in proposal.self_check if s.status == "failed"]

"""Operations the text applies to things it keeps (design/entities.py find_actions, passive and
modal forms in design/verb_phrases.py): each fixture in tests/design/fixtures/text-actions/fire.yaml
must yield its action, and the look-alikes in quiet.yaml must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement

_cases = fixture_cases("text-actions")
_CATALOG = load_catalog()


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_a_verb_the_text_applies_is_an_action(case):
    actions = parse_requirement(case["text"], _CATALOG).actions
    assert case["action"] in actions, actions


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_a_look_alike_is_no_action(case):
    actions = parse_requirement(case["text"], _CATALOG).actions
    assert not set(case["absent"]) & set(actions), actions


def test_only_a_verb_of_change_without_object_changes_its_subject():
    from servicelens.design.subject_changes import subject_changes
    found = [(c.verb, c.noun.lower()) for c in subject_changes(
        "Holds expire after 7 days. Users open tickets. Auctions close when the timer ends. Drivers accept offers.")]
    assert found == [("expire", "holds"), ("close", "auctions")]

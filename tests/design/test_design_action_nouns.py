"""An action named by its noun (design/verb_phrases.py `_nominalisations`): "room booking" is book
room, "e-bike lending" lend e-bike, "seat allocation" allocate seat, "booking for a court" book
court, "claims for damaged parcels" claim parcel. Fixtures in tests/design/fixtures/action-nouns:
phrases that must be read and look-alikes (a noun modifying another noun, a set or list of things,
a gerund of a verb nobody calls) that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design.entities import is_thing
from servicelens.design.verb_phrases import verb_phrases

_cases = fixture_cases("action-nouns")


def _pairs(text: str) -> set[tuple[str, str]]:
    return {(v.verb, v.obj) for v in verb_phrases(text, is_thing)}


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_an_action_noun_is_its_operation(case):
    assert tuple(case["pair"]) in _pairs(case["text"]), _pairs(case["text"])


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_a_noun_that_names_no_action_on_what_follows(case):
    pairs = _pairs(case["text"])
    assert not {tuple(p) for p in case["absent"]} & pairs, pairs

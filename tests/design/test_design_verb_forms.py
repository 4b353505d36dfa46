"""Light verbs and quantifiers in verb phrases (design/verb_phrases.py): "make a booking" creates
one, and "up to 1,500 bets" bounds a number instead of making "place up" a phrasal verb.
Fixtures in tests/design/fixtures/verb-forms: pairs that must be read and look-alikes that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design.entities import is_thing
from servicelens.design.verb_phrases import verb_phrases

_cases = fixture_cases("verb-forms")


def _pairs(text: str) -> set[tuple[str, str]]:
    return {(v.verb, v.obj) for v in verb_phrases(text, is_thing)}


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_the_verb_phrase_is_read(case):
    assert tuple(case["pair"]) in _pairs(case["text"])


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_the_look_alike_is_no_operation_of_that_verb(case):
    assert not any(v == case["verb"] for v, _ in _pairs(case["text"]))


def test_no_pronoun_or_adverb_becomes_an_entity():
    from servicelens.design import design_from_text
    req = design_from_text("Exam platform: 60,000 candidates sit a paper at 9:00. If a candidate's connection drops "
                           "they must carry on offline. Booking opens 7 days ahead.").requirement
    assert not {"they", "theys", "ahead"} & set(req.entities)

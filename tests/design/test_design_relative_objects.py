"""A verb in a relative clause acts on the noun before which/that ("rides, which riders can
cancel" -> cancel ride) when the clause has a subject of its own (design/verb_phrases.py
`_relative_object`). Fixtures in tests/design/fixtures/relative-objects: clauses that must join
the verb and its object, and look-alikes ("a service that sends e-mails", "rides, which take 20
minutes") that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design.entities import is_thing
from servicelens.design.verb_phrases import verb_phrases

_cases = fixture_cases("relative-objects")


def _pairs(text: str) -> set[tuple[str, str]]:
    return {(v.verb, v.obj) for v in verb_phrases(text, is_thing)}


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_a_relative_clause_verb_acts_on_the_noun_before_it(case):
    assert tuple(case["pair"]) in _pairs(case["text"]), _pairs(case["text"])


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_no_relative_object_when_the_pronoun_is_the_subject(case):
    pairs = _pairs(case["text"])
    assert not {tuple(p) for p in case["absent"]} & pairs, pairs

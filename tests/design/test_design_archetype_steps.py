"""The steps an entity's archetype implies (design/archetypes.py, data/lifecycles.yaml): a thing
people borrow is renewed and returned, an appointment confirmed, cancelled and expired, a claim
assigned, resolved and closed, a trip started and ended. Fixtures in
tests/design/fixtures/archetype-steps: texts that must offer the steps and look-alikes (a noun
named once in passing, things with no archetype, a verb that lends nothing) that must not."""
from __future__ import annotations

import json

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text
from servicelens.design.archetypes import archetype_of, archetypes, more_than_passing
from servicelens.design.catalog import load_catalog

_cases = fixture_cases("archetype-steps")


def _contract_ids(text: str) -> set[str]:
    spec = json.loads(design_from_text(text).openapi_json)
    return {o["operationId"] for methods in spec["paths"].values() for o in methods.values() if isinstance(o, dict)}


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_an_archetype_entity_gets_its_steps(case):
    ids = _contract_ids(case["text"])
    assert set(case["ops"]) <= ids, sorted(ids)


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_no_steps_without_an_archetype_entity_the_text_keeps(case):
    ids = _contract_ids(case["text"])
    assert not set(case.get("absent", ())) & ids, sorted(ids)
    assert not [i for i in ids for p in case.get("absent_prefixes", ()) if i.startswith(p)], sorted(ids)


def test_archetype_by_noun_and_by_act():
    catalogue = archetypes(load_catalog().lifecycles)
    loan, by_noun = archetype_of("time_off_loan", set(), catalogue)
    assert loan is not None and loan.name == "loan" and by_noun
    lent, by_noun = archetype_of("drill", {"borrow"}, catalogue)
    assert lent is not None and lent.name == "loan" and not by_noun and lent.on_thing == {"renew", "return"}
    assert archetype_of("exhibit", {"scan"}, catalogue) == (None, False)


def test_a_passing_mention_is_not_enough():
    text = "Forecast API for 10k cities; it feeds the order pipeline."
    assert not more_than_passing("order", text, set())
    assert more_than_passing("city", text, set())  # counted
    assert more_than_passing("order", "Orders arrive by API; each order is checked.", set())  # named twice
    assert more_than_passing("order", text, {"order"})  # acted on

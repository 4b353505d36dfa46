"""People counted per one of another counted thing ("250 patients per clinic per day", "each
with ~60 gifts and 120 guests") are a stream sized by the holder (design/rates.py
`_people_of_holder`), not sign-ups and not the user base. Fixtures in
tests/design/fixtures/people-per-holder: streams that must be read and look-alikes (people per a
person, the population itself) that must keep the user count."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text

_cases = fixture_cases("people-per-holder")


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_people_per_holder_are_a_stream_of_the_holders(case):
    req = design_from_text(case["text"]).requirement
    found = [r for r in req.rates if r.subject.split()[0] == case["subject"]]
    assert found, [(r.subject, r.count_per_period) for r in req.rates]
    assert found[0].period == case["period"]
    assert abs(found[0].count_per_period - case["per_period"]) <= 0.01 * case["per_period"], found[0]
    assert any(c.isdigit() for c in found[0].source.split("(x")[-1]), found[0].source  # the holders multiplied are shown


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_people_per_holder_are_not_the_user_base(case):
    req = design_from_text(case["text"]).requirement
    assert req.total_users is None, req.total_users


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_the_population_keeps_its_user_count(case):
    req = design_from_text(case["text"]).requirement
    assert req.total_users is not None and req.total_users.value == case["users"], req.total_users

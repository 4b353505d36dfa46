"""A share of users active on a day said in words ("about a quarter of them active on a given
day", "one in five members log in daily") sets the daily active users (design/measures.py
`word_daily_share`). Fixtures in tests/design/fixtures/word-shares: shares that must set them and
look-alikes (shares of orders, of users doing something else) that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text

_cases = fixture_cases("word-shares")


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_the_word_share_sets_the_daily_active_users(case):
    design = design_from_text(case["text"])
    assert design.requirement.daily_active_fraction is not None
    dau = [i.value for i in design.capacity if i.name.startswith("daily active users")]
    assert dau and abs(dau[0] - case["dau"]) <= 0.01 * case["dau"], dau
    assert not any(a.topic == "daily active users" for a in design.assumptions)


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_a_share_of_something_else_is_not_the_daily_share(case):
    assert design_from_text(case["text"]).requirement.daily_active_fraction is None


def test_the_digits_of_a_word_share_are_accounted_for():
    rows = design_from_text(_cases("fire.yaml")[1]["text"]).requirement.figures
    assert all(r.meaning for r in rows if "in 5" in r.phrase and r.value in (1.0, 5.0)), rows

"""A rate said per one of the things a distributive partitive counts ("each of our N things does M
a day") is that rate times N; a non-distributive "one of", people (sized as users) and periods are
not holders. Written in registers and domains unlike the corpus texts."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement


def _counts(text: str) -> list[tuple[float, str]]:
    req = parse_requirement(text, load_catalog())
    return [(r.count_per_period, r.period) for r in req.rates]


@pytest.mark.parametrize("text, total, period", [
    ("Each of our 30 branches issues 200 loans a day.", 6_000, "day"),
    ("Every one of the 1,200 vending kiosks logs about 90 sales per day.", 108_000, "day"),
    ("FYI each of its 48 weather balloons transmits 400 soundings an hour", 19_200, "hour"),
    ("Ticket: each of our 12 breweries bottles roughly 5,000 crates per week.", 60_000, "week"),
    ("Each of the 2k parking meters emits 30 payment events a day.", 60_000, "day"),
    ("we run 3 depots - each of those 3 depots dispatches 450 parcels per hour", 1_350, "hour"),
])
def test_a_rate_said_per_one_of_a_partitive_count_is_multiplied(text, total, period):
    assert (pytest.approx(total), period) in _counts(text)


@pytest.mark.parametrize("text, stated, period", [
    # one of them is not each of them
    ("One of our 30 branches issues 200 loans a day.", 200, "day"),
    # the partitive names a period, not a holder
    ("In each of the last 3 years we processed 200,000 claims a year.", 200_000, "year"),
    # another clause's subject
    ("Each of the 8 plants has a foreman, and head office approves 400 orders a day.", 400, "day"),
])
def test_look_alikes_keep_the_rate_as_stated(text, stated, period):
    assert (pytest.approx(stated), period) in _counts(text)


def test_people_in_a_partitive_are_sized_as_users_not_holders():
    req = parse_requirement("Each of our 5,000 subscribers posts about 3 reviews a week.", load_catalog())
    assert not any(r.count_per_period == pytest.approx(15_000) and not r.per_user for r in req.rates)

"""A count already said per one holder ("6 warehouses with 800k SKUs each") is not divided again
by the holders; a total said beside its holders still is. Phrasings unlike the corpus texts."""
from __future__ import annotations

import pytest

from servicelens.design.distributions import per_holder as _per_holder
from servicelens.design.text import normalise


def per_holder(text: str):
    return _per_holder(normalise(text))


@pytest.mark.parametrize("text", [
    "We operate 6 warehouses with 800k SKUs each.",
    "The estate has 14 libraries holding about 60,000 volumes apiece.",
    "There are 40 ferries with 300 seats per ferry.",
    "heads-up: 9 schools, 2,500 lockers in each school",
    "Our 120 orchards with roughly 4,000 trees an orchard need tagging.",
])
def test_a_count_said_per_one_holder_is_not_divided_again(text):
    assert per_holder(text) == []


@pytest.mark.parametrize("text, members, holder, value", [
    ("We operate 6 warehouses with 4.8 million SKUs.", "skus", "warehouse", 800_000),
    ("The estate has 14 libraries holding about 840,000 volumes in total.", "volumes", "library", 60_000),
    ("12,000 seats across 40 ferries.", "seats", "ferry", 300),
    ("about 1,200 parcels a day from 12 depots", "parcels", "depot", 100),
])
def test_a_total_beside_its_holders_is_still_divided(text, members, holder, value):
    found = [(d.members, d.holder, d.value) for d in per_holder(text)]
    assert (members, holder, pytest.approx(value)) in found

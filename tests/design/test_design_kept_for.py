"""How long data is kept, said by a verb of keeping right before the duration (design/measures.py
`_kept_for`): "stay available for 18 months", "held until five years after ...". A hold of a seat
or an offer's validity is not a retention. Written in words unlike the corpus texts that prompted it."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement

YEAR_S = 365 * 86_400


def _retention_years(text: str) -> float | None:
    req = parse_requirement(text, load_catalog())
    return req.retention.value / YEAR_S if req.retention else None


@pytest.mark.parametrize("text, years", [
    ("Delivery records stay available for 18 months, then are archived.", 540 / 365),
    ("Delivery records must be held until five years after the account closes.", 5.0),
    ("Invoices are retained for at least 7 years.", 7.0),
    ("Lab results remain accessible for 10 years.", 10.0),
])
def test_a_verb_of_keeping_before_a_duration_is_the_retention(text, years):
    assert _retention_years(text) == pytest.approx(years)


@pytest.mark.parametrize("text", [
    "Seats are held for 10 minutes during checkout.",
    "Each booking is held for 30 days before it is released.",
    "A coupon is available for 2 weeks.",
])
def test_a_hold_or_a_validity_is_no_retention(text):
    assert _retention_years(text) is None

"""A daily batch between a start and a deadline over a counted population ("after the ledger
closes at 00:30 we compute each account's interest ...; posted by 05:00" with "4M accounts") is a
window and a rate (count / window); a stated growth target ("growing to 12M in 2 years") gives
the rate at that size. Fixtures in tests/design/fixtures/clock-batches: batches that must give
the window and rate, and look-alikes (opening hours, a deadline without a start, items never
counted) that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text
from servicelens.design.batch_windows import batch_windows
from servicelens.design.growth import population_target
from servicelens.design.text import normalise

_cases = fixture_cases("clock-batches")


def _batch_items(text: str) -> dict[str, float]:
    return {i.name: i.value for i in design_from_text(text).capacity if "batch window" in i.name or "within the window" in i.name}


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_a_batch_between_a_start_and_a_deadline_is_a_window_and_a_rate(case):
    items = _batch_items(case["text"])
    window = next(v for k, v in items.items() if k.startswith("batch window"))
    rates = sorted(v for k, v in items.items() if "within the window" in k)
    assert window == case["window_s"], items
    assert rates[0] == pytest.approx(case["per_second"], rel=0.01), items
    if "grown_per_second" in case:
        assert rates[-1] == pytest.approx(case["grown_per_second"], rel=0.01), items
    else:
        assert len(rates) == 1, items


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_no_batch_rate_without_a_start_a_deadline_and_a_count(case):
    assert _batch_items(case["text"]) == {}


def test_the_window_names_its_clock_times_and_the_item_walked():
    (bw,) = batch_windows("After the ledger closes at 00:30 we compute each account's interest; all posted by 05:00.")
    assert (bw.start, bw.end, bw.item, bw.seconds) == ("00:30", "05:00", "account", 16200)


@pytest.mark.parametrize("text, noun, count", [
    ("~4M savings accounts at go-live, growing to 12M in 2 years.", "accounts", 12e6),
    ("12,000 controllers today; sales expect 50,000 controllers within 3 years.", "controllers", 50_000),
    ("We run 3,800 chargers and plan to reach 10,000 chargers by end of 2027.", "chargers", 10_000),
    ("Products have up to 6 tiers; 400 products in all.", "tiers", None),  # a maximum, not a growth target
    ("4,000 stores; we expect 20 orders per store within an hour.", "stores", None),  # another noun's count
])
def test_a_population_target_is_the_count_it_grows_to(text, noun, count):
    found = population_target(normalise(text), noun)
    assert (found.count if found else None) == count

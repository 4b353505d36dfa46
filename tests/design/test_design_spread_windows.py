"""A day's whole volume said to fall in a window of hours ("1,800 pallets per day over a
10-hour receiving shift", "650 PRs a day, concentrated in a 9-hour working window", "14,000
filings between 16:00 and 23:59"), or a share of a count said just before the window ("180,000
doses on a single weekday, most of them between 08:00 and 18:00"), is a rate in that window; a
stated peak multiple of a working window gives its busiest hour. Fixtures in
tests/design/fixtures/spread-windows: windows that must give the rate and look-alikes (opening
hours, a monthly volume, a latency target) that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text

_cases = fixture_cases("spread-windows")


def _window_items(text: str) -> dict[str, float]:
    items = {}
    for i in design_from_text(text).capacity:
        if "busiest hour of the window" in i.name:
            items["busiest"] = i.value
        elif "in the stated window" in i.name:
            items[i.unit] = i.value
    return items


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_a_days_volume_in_a_window_is_a_rate_in_it(case):
    items = _window_items(case["text"])
    if "per_hour" in case:
        assert items.get("events/hour") == pytest.approx(case["per_hour"], rel=0.01), items
    if "per_second" in case:
        assert items.get("events/s") == pytest.approx(case["per_second"], rel=0.01), items
    if "busiest_hour" in case:
        assert items.get("busiest") == pytest.approx(case["busiest_hour"], rel=0.01), items
    else:
        assert "busiest" not in items, items


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_no_window_rate_without_a_days_volume(case):
    assert _window_items(case["text"]) == {}

"""All or a share of a counted population, or of things counted in the same phrase, within a
stated length of time is a peak rate ("all of them log in during the 15 minutes before start",
"60% of members claim in the first hour", "nearly all 1,800 handovers fall into those 2.5
hours"): design/windows.py reads the share and the window, design/derived.py
`_population_window` the population. Fixtures in tests/design/fixtures/population-windows:
windows that must give the rate and look-alikes (a query horizon, a latency target, "the same
hour", "all" of nothing counted) that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text

_cases = fixture_cases("population-windows")


def _window_items(text: str) -> dict[str, float]:
    return {i.unit: i.value for i in design_from_text(text).capacity if "in the stated window" in i.name}


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_a_share_of_a_population_in_a_window_is_a_peak_rate(case):
    items = _window_items(case["text"])
    assert "requests/s" in items and abs(items["requests/s"] - case["per_second"]) <= 0.01 * case["per_second"], items
    if "per_hour" in case:
        assert abs(items["events/hour"] - case["per_hour"]) <= 0.01 * case["per_hour"], items


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_no_window_rate_without_a_population_and_a_length(case):
    assert _window_items(case["text"]) == {}

"""A share of a stream said of a window of the clock or of "them" (design/measures.py): "the
6-7am hour carries 40% of them" after "90 readings a day" is a peak factor of 0.4 x 24; a
share of people or of a stream with no period before it is not. Written in words unlike the
corpus texts that prompted it."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement


def _peak(text: str) -> float | None:
    req = parse_requirement(text, load_catalog())
    return req.peak_factor.value if req.peak_factor else None


def test_a_clock_hour_carrying_a_share_of_a_daily_stream_is_a_peak_factor():
    assert _peak("We serve 220 bakeries. A bakery logs about 90 temperature readings a day, "
                 "and the 6-7am hour carries roughly 40% of them.") == pytest.approx(9.6)


def test_a_two_hour_span_between_clock_times_halves_the_multiple():
    assert _peak("Our 35 depots each dispatch around 4,000 parcels a day; "
                 "about 30% of them leave between 6 and 8am.") == pytest.approx(3.6)


def test_a_span_across_noon_is_read_in_the_afternoon():
    assert _peak("The canteen sells 1,200 meals a day and 50% of them between 11 and 1pm.") == pytest.approx(6.0)


def test_a_share_of_them_in_the_busiest_hour_of_a_weekly_stream():
    assert _peak("Drivers deliver 12,000 parcels per week and 10% of them arrive in the busiest hour.") \
        == pytest.approx(16.8)


def test_a_share_of_people_is_no_peak_factor():
    req = parse_requirement("About 40% of them are repeat customers. We take 3,000 orders a day.", load_catalog())
    assert req.peak_factor is None or req.peak_factor.value != pytest.approx(0.4 * 24)


def test_the_start_of_a_clock_span_is_a_time_of_day_not_a_count():
    req = parse_requirement("A bakery logs about 90 temperature readings a day, and the 6-7am hour carries "
                            "roughly 40% of them.", load_catalog())
    assert all(r.count_per_period != pytest.approx(6) for r in req.rates)


def test_a_windows_share_is_of_the_streams_total_not_of_one_holders_count(design):
    from design_helpers import cap
    p = design("We serve 220 bakeries. A bakery logs about 90 temperature readings a day, "
               "and the 6-7am hour carries roughly 40% of them.")
    assert cap(p, "temperature readings per hour (peak, in the stated window)") == pytest.approx(0.4 * 90 * 220)


def test_a_stream_counted_as_a_whole_keeps_its_count_as_the_windows_volume(design):
    from design_helpers import cap
    p = design("The depot dispatches 6,000 parcels a day, and the 6-8am window carries roughly 30% of them.")
    assert cap(p, "parcels per hour (peak, in the stated window)") == pytest.approx(0.3 * 6_000 / 2)


def test_a_stream_of_millions_said_per_holder_keeps_the_total_as_the_windows_volume(design):
    from design_helpers import cap
    p = design("We serve 4 regions. A region logs about 1,500,000 meter readings a day, "
               "and the 6-7am hour carries roughly 10% of them.")
    assert cap(p, "meter readings per hour (peak, in the stated window)") == pytest.approx(0.1 * 1_500_000 * 4)

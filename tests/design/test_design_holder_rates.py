"""A rate said per one of a counted holder ("N per library per week") is that rate times the holders
the text counts, whatever the holder's plural ending; a period word that qualifies a moment of the
period ("at the weekly high") says when a count holds, not the period it is counted over. Written in
words unlike the corpus texts that prompted it."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement


def _rates(text: str) -> dict[str, tuple[float, str]]:
    req = parse_requirement(text, load_catalog())
    return {r.subject: (r.count_per_period, r.period) for r in req.rates}


def test_a_holder_whose_plural_ends_in_ies_is_counted():
    rates = _rates("The consortium links about 250 libraries. We see roughly 40 inter-library loans per library per week.")
    assert rates["inter-library loans"] == (pytest.approx(10_000), "week")


def test_a_holder_with_a_regular_plural_still_multiplies():
    rates = _rates("The network has 1,200 kiosks and about 30 sales per kiosk per day.")
    assert rates["sales"] == (pytest.approx(36_000), "day")


def test_a_holder_the_text_never_counts_leaves_the_rate_as_stated():
    rates = _rates("Each branch reports roughly 30 incidents per facility per month.")
    assert [value for value, _ in rates.values()] == [pytest.approx(30)]


def test_a_word_ending_in_a_vowel_and_y_keeps_its_regular_plural():
    rates = _rates("There are 60 subways in the network, with about 500 delays per subway per year.")
    assert rates["delays"] == (pytest.approx(30_000), "year")


def test_a_period_word_before_a_peak_is_not_the_count_period():
    req = parse_requirement("At the weekly high about 9,000 buoys are deployed, each sending a reading every 30 seconds.",
                            load_catalog())
    total = sum(r.per_second for r in req.rates if not r.per_user)
    assert total == pytest.approx(300, rel=0.01)


def test_a_period_word_before_a_total_is_still_the_count_period():
    rates = _rates("Daily volume is about 90,000 parcel scans.")
    assert rates["parcel scans"] == (pytest.approx(90_000), "day")


def test_a_rate_that_names_only_its_holder_keeps_the_holder_as_its_words():
    rates = _rates("The fleet has 2,000 scooters, with around 12 per scooter per day.")
    assert rates["per scooter"] == (pytest.approx(24_000), "day")


def test_an_average_one_of_a_stream_chains_its_count_like_each():
    rates = _rates("The gateway takes 8,000 API calls per second at peak, and an average call emits 4 metric samples.")
    assert rates["metric samples"] == (pytest.approx(32_000), "second")


def test_a_typical_item_described_by_its_size_is_no_stream():
    rates = _rates("Editors publish about 2,000 articles a month. A typical article is 1,200 words.")
    assert set(rates) == {"articles"}


def test_two_modifiers_joined_by_or_share_the_period_of_their_head():
    rates = _rates("The exchange gets about 300,000 bid or ask changes a day from brokers.")
    assert rates["bid or ask changes"] == (pytest.approx(300_000), "day")


def test_people_of_a_counted_base_said_active_daily_are_the_daily_actives():
    req = parse_requirement("The tutoring app has 4 million registered learners, 600,000 of them active daily.", load_catalog())
    assert req.daily_active_users.value == pytest.approx(600_000)
    assert not [r for r in req.rates if r.count_per_period == 600_000]


def test_people_of_a_counted_base_said_active_weekly_are_not_the_daily_actives():
    req = parse_requirement("The tutoring app has 4 million registered learners, 600,000 of them active weekly.", load_catalog())
    assert req.daily_active_users is None or req.daily_active_users.value != pytest.approx(600_000)


def test_a_rate_over_one_ordinary_period_is_a_rate_per_that_period():
    rates = _rates("Our 35 depots ship parcels. One depot dispatches around 4,000 parcels in an average week.")
    assert rates["parcels"] == (pytest.approx(140_000), "week")


def test_a_rate_of_a_typical_holder_is_times_the_holders_counted():
    rates = _rates("We serve 220 bakeries. A typical bakery logs about 90 temperature readings on a normal day.")
    assert rates["temperature readings"] == (pytest.approx(19_800), "day")


def test_an_indefinite_holder_the_text_never_counts_leaves_the_rate_as_stated():
    rates = _rates("A typical kiln logs about 90 temperature readings on a normal day.")
    assert rates["temperature readings"] == (pytest.approx(90), "day")


def test_a_count_on_a_busy_day_is_the_peak_days_count():
    req = parse_requirement("We serve 220 bakeries. A bakery can log 900 temperature readings on a busy day.",
                            load_catalog())
    assert [(r.count_per_period, r.period, r.peak) for r in req.rates if r.subject == "temperature readings"] \
        == [(pytest.approx(198_000), "day", True)]


def test_a_count_held_by_each_of_a_counted_holder_is_multiplied_through_it():
    rates = _rates("We run 60 warehouses; every warehouse keeps about 2,000 storage bins, "
                   "each with around 5 stock movements a day.")
    assert rates["stock movements"] == (pytest.approx(600_000), "day")


def test_a_holder_count_said_after_the_things_is_multiplied_through_it():
    rates = _rates("The chain has 45 hotels, 150 rooms each. A room gets about 2 bookings a week.")
    assert rates["bookings"] == (pytest.approx(13_500), "week")


def test_a_count_of_things_said_without_a_holder_is_not_multiplied():
    rates = _rates("We run 60 warehouses and about 2,000 storage bins; each bin sees around 5 stock movements a day.")
    assert rates["stock movements"] == (pytest.approx(10_000), "day")

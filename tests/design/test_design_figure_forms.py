"""Number forms, period arithmetic and invariant shapes read generally (session 38): each
mechanism has texts that must produce the figure or invariant and look-alikes that must not.
The texts are written for these tests, not copied from a corpus file.
"""
from __future__ import annotations

import re

import pytest

from servicelens.design.derived_rollups import only_population
from servicelens.design.guarantee_shapes import guarantee_shapes
from servicelens.design.held_volumes import is_held_volume
from servicelens.design.text import normalise


def _items(p):
    return {i.name: i for i in p.capacity}


def _named(p, prefix):
    return [i for i in p.capacity if i.name.startswith(prefix)]


# -- number forms ---------------------------------------------------------------------

@pytest.mark.parametrize("text, want", [
    ("roughly a quarter million orders a day", "250000 orders"),
    ("three quarters of a million members", "750000 members"),
    ("a third of a billion rows", "333333333 rows"),
])
def test_fraction_of_a_scale_is_a_number(text, want):
    assert want in normalise(text)


@pytest.mark.parametrize("text", ["a quarter of the users log in", "we call a third party", "a fifth of them expire"])
def test_fraction_without_a_scale_stays_words(text):
    assert normalise(text) == text


def test_hedged_once_a_period_keeps_the_hedge_before_the_count():
    assert normalise("each member renews a badge about once a month") == "each member renews a about 1 badge per month"
    assert normalise("drivers refuel twice a week") == "drivers 2 refuel per week"


# -- sizes of one thing and volumes held -----------------------------------------------

@pytest.mark.parametrize("text, held", [
    ("A claim is ~60 KB of structured data plus photos.", False),
    ("One record weighs about 2 KB of text.", False),
    ("The archive holds 180 TB of scans.", True),
    ("The archive is 40 TB of documents.", True),
])
def test_size_of_one_thing_is_not_a_volume_held(text, held):
    m = re.search(r"\d+", text)
    unit = re.match(r"\s*[KMGT]B", text[m.end():])
    assert is_held_volume(text, m.start(), m.end() + unit.end()) is held


# -- peaks, averages and named days ---------------------------------------------------

def test_multiple_of_a_named_periods_average_is_the_peak_factor(design):
    p = design("Parcel lockers API: about 120,000 pickups a day, peaking at 5x the hourly average on Monday evenings.")
    assert p.requirement.peak_factor.value == 5


def test_a_multiple_of_another_stream_is_no_peak_factor(design):
    p = design("Parcel lockers API: about 120,000 pickups a day and 3x that in status lookups.")
    assert p.requirement.peak_factor is None or p.requirement.peak_factor.value != 3


def test_count_on_a_named_day_is_that_days_rate(design):
    p = design("Ferry booking site. On sale day we took 90k bookings last season, and the site must stay up.")
    per_second = [i for i in _named(p, "bookings per second (average)")]
    assert per_second and per_second[0].value == pytest.approx(90_000 / 86_400, rel=0.01)


def test_normally_marks_only_its_own_rate_as_the_average(design):
    p = design("Quote lookups for the insurance site run at about 400/s normally and 2,000/s during renewals week.")
    assert p.requirement.peak_factor.value == pytest.approx(5)  # 2,000/s is the peak of the 400/s average
    assert _named(p, "write requests per second (average)")[0].value == pytest.approx(400)


# -- populations, holders and actors ----------------------------------------------------

def test_interval_of_an_uncounted_device_uses_the_one_counted_population(design):
    p = design("Smart meter platform for 80,000 connected homes. Meters report usage every 60 seconds, about 150 bytes each.")
    rate = _named(p, "events from homes per second")
    assert rate and rate[0].value == pytest.approx(80_000 / 60, rel=0.01)


def test_a_size_is_never_the_population_of_an_interval():
    assert only_population("Devices report every 30 seconds, roughly 200 bytes per report.") is None
    assert only_population("40 depots and 3,000 vans; vans report every 30 s.") == (3000.0, "vans")
    assert only_population("300 stores and 9,000 tills report every minute.") is None  # two populations: no guess


def test_things_held_each_multiply_the_holders(design):
    p = design("Tank monitoring: 2,000 farms, each with 3 tank sensors reporting every 10 minutes over LoRaWAN.")
    writes = _named(p, "write requests per second (average)")
    assert writes and writes[0].value == pytest.approx(2_000 * 3 / 600, rel=0.01)


def test_trailing_each_multiplies_the_actors_of_them(design):
    p = design("Meter readers (about 60 of them) read ~30 meters an hour each during 6-hour rounds.")
    assert _named(p, "meters per day (active 6 h a day)")[0].value == pytest.approx(60 * 30 * 6)


def test_trailing_each_without_counted_actors_stays_one_rate(design):
    p = design("An inspector logs ~30 checks an hour each shift.")
    assert not any("(x " in i.formula and "inspector" in i.formula for i in p.capacity)


def test_daily_habit_of_each_counted_person_applies_to_all_of_them(design):
    p = design("Diabetes coaching app: 40,000 enrolled patients. Each patient logs 3 glucose readings per day.")
    writes = _named(p, "write requests per second (average)")
    assert writes and writes[0].value == pytest.approx(40_000 * 3 / 86_400, rel=0.01)


def test_stock_that_lasts_a_period_turns_over(design):
    p = design("Fishing licence service for the national agency: anglers buy and renew licences online. "
               "About 73,000 licences in issue; licences last 1 year.")
    renewals = _named(p, "licences renewed per day")
    assert renewals and renewals[0].value == pytest.approx(200, rel=0.02)


def test_stock_without_a_period_does_not_turn_over(design):
    p = design("Fishing licence service for the national agency: anglers buy and renew licences online. "
               "About 73,000 licences in issue.")
    assert not _named(p, "licences renewed per day")


# -- retention tiers and rollups --------------------------------------------------------

def test_duration_before_a_storage_tier_is_a_retention(design):
    p = design("Wind farm SCADA: 600 turbines send metrics every 10 seconds, 300 bytes each. "
               "Keep 14 days hot, then hourly aggregates for 10 years.")
    assert p.requirement.retention.value == 14 * 86_400
    rollup = [i for i in p.capacity if i.name.startswith("rows kept at 3,600 s resolution")]
    assert rollup and rollup[0].value == pytest.approx(600 * 24 * 3650)


def test_no_rollup_rows_without_a_rollup_tier(design):
    p = design("Wind farm SCADA: 600 turbines send metrics every 10 seconds. Keep everything for 2 years.")
    assert not [i for i in p.capacity if i.name.startswith("rows kept at")]


# -- invariant shapes -------------------------------------------------------------------

def _shapes(text):
    return guarantee_shapes(text, lambda pos: text, lambda w: w.rstrip("s"), lambda w: True)


def test_together_or_not_at_all_with_an_external_part_is_a_saga():
    found = [s for s in _shapes("The order cancellation and the card refund happen together or not at all.")
             if s[0] == "atomic-change"]
    assert found and "saga with compensation" in found[0][3] and "outbox" in found[0][3]


def test_together_or_not_at_all_inside_the_database_is_one_transaction():
    found = [s for s in _shapes("The stock move and the ledger line are written together or not at all.")
             if s[0] == "atomic-change"]
    assert found and "saga" not in found[0][3]


def test_price_honoured_for_a_period_is_a_held_offer():
    found = [s for s in _shapes("Shipping quotes shown at checkout are honoured for 15 minutes.") if s[0] == "held-offer"]
    assert found and "expires_at" in found[0][3] and found[0][2] == "quote"


def test_a_session_valid_for_a_period_is_no_held_offer():
    assert not [s for s in _shapes("A login session is valid for 30 minutes.") if s[0] == "held-offer"]


def test_overlapping_intervals_not_allowed_is_an_exclusion_constraint():
    found = [s for s in _shapes("Overlapping shifts for the same nurse are not allowed.") if s[0] == "no-double-sell"]
    assert found and "exclusion constraint" in found[0][3] and found[0][2] == "nurse"


def test_overlap_described_is_no_rule():
    assert not [s for s in _shapes("Shifts for the same nurse often overlap by ten minutes.") if s[0] == "no-double-sell"]


def test_residency_mechanism_names_the_place(design):
    p = design("Payroll service for 3,000 employers in Norway; all payroll data stays in Norway and backups too.")
    found = [i for i in p.requirement.invariants if i.kind == "residency"]
    assert found and "single-region deployment in Norway" in found[0].mechanism


def test_residency_without_a_place_keeps_the_general_mechanism():
    from servicelens.design.invariant_shapes import _place
    assert _place("the data stays in a 30-day grace period") == ""
    assert _place("patient data never leaves Canada") == "Canada"


def test_each_after_stated_daily_actives_stays_with_the_daily_actives(design):
    p = design("Trivia game backend: 20M registered players, 2M DAU, each plays ~5 rounds/day and every round "
               "submits a score.")
    writes = _named(p, "write requests per second (average)")
    assert writes and writes[0].value == pytest.approx(2_000_000 * 5 / 86_400, rel=0.01)

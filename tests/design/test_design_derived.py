"""Figures derived from stated quantities by their dimensions (design/derived.py, the
period adjective in rates.py, per-stream lines for every rate kind in workloads.py).

Each mechanism has sentences that must produce a figure and sentences that must not.
"""
from __future__ import annotations

import pytest

from design_helpers import cap
from servicelens.design.derived import interval_rate, window_share


def _derived(p):
    return {i.name: i for i in p.capacity if i.group == "derived"}


# -- a population acting every N seconds is a rate ------------------------------------

def test_interval_times_population_is_a_rate(design):
    p = design("Fleet tracking for a courier company: 60k vans on the road. "
               "Vans report their position every 10 seconds; dispatchers watch a live map.")
    items = _derived(p)
    rate = next(i for name, i in items.items() if name.startswith("events from vans per second"))
    assert rate.value == pytest.approx(6_000)
    assert "60,000 vans / 10 s" in rate.formula
    bw = next(i for name, i in items.items() if name.startswith("ingest bandwidth from vans"))
    assert bw.unit == "KB/s" and bw.value == pytest.approx(600)  # 6,000 /s x 100 B (assumed)
    assert any(a.topic == "event size" for a in p.assumptions)


def test_interval_of_a_population_online_at_once_is_a_peak():
    text = "Each kiosk sends a heartbeat every 30 s. We run 9,000 kiosks online at once in malls."
    rate, actors, count, at_once = interval_rate(text, "Each kiosk sends a heartbeat every 30 s")
    assert (rate, actors, count, at_once) == (300.0, "kiosks", 9000.0, True)


def test_interval_without_a_stated_population_gives_no_figure():
    text = "The dashboard refreshes every 15 seconds so operators see fresh numbers."
    assert interval_rate(text, text) is None


def test_interval_does_not_take_a_rate_as_a_population():
    text = "Sensors post 200 readings per day; the gateway flushes sensors every 5 minutes."
    assert interval_rate(text, "the gateway flushes sensors every 5 minutes") is None


# -- a share of a period's volume in a window is a peak ----------------------------------

def test_share_in_final_hours_is_a_peak():
    (win,) = window_share("Roughly 40% of the bids arrive in the last 3 hours of the auction.")
    assert (win.share, win.what, win.seconds, win.conventional, win.daily) == (0.4, "bids", 10_800.0, False, False)


def test_most_between_clock_times_uses_the_stated_convention():
    (win,) = window_share("Most orders happen between 6pm and 9pm.")
    assert (win.share, win.what, win.seconds, win.conventional, win.daily) == (0.8, "orders", 10_800.0, True, True)


def test_noon_and_weeks_windows():
    (a,) = window_share("70% of them between 8am and 12pm on weekdays")
    assert (a.share, a.what, a.seconds) == (0.7, "them", 14_400.0)
    (b,) = window_share("most of them in the last two weeks before the deadline")
    assert b.seconds == 2 * 604_800


def test_share_that_is_a_latency_target_is_not_a_window():
    assert window_share("99% of messages are delivered within 5 minutes.") == []
    assert window_share("Half of the team works in two time zones.") == []


def test_clock_window_is_a_share_of_a_day(design):
    p = design("A pharmacy refill service: 250k prescriptions are filled per month, 70% of them between 8am and 12pm.")
    peak = next(i for i in p.capacity if i.name.endswith("(peak, in the stated window)"))
    assert peak.value == pytest.approx(0.7 * 250_000 / 2.5e6 * 86_400 / 14_400, rel=0.01)


def test_passive_verb_between_count_and_period_is_a_rate(design):
    p = design("A tax filing portal: 4M returns are filed each year, most of them in the last two weeks.")
    assert [(r.subject, r.period) for r in p.requirement.rates] == [("returns", "year")]
    peak = next(i for i in p.capacity if i.name.endswith("(peak, in the stated window)"))
    assert peak.value == pytest.approx(0.8 * 4e6 / (2 * 604_800), rel=0.02)


def test_window_peak_in_the_plan(design):
    p = design("A ticket resale marketplace: about 1.2M new listings per week, and half of all listings "
               "are created in the first 4 hours after a tour is announced.")
    peak = next(i for name, i in _derived(p).items() if name.endswith("(peak, in the stated window)"))
    assert peak.value == pytest.approx(0.5 * 1.2e6 / 14_400, rel=0.01)


# -- a query horizon is how long events are kept ---------------------------------------

def test_query_horizon_sizes_storage_when_no_retention_is_stated(design):
    p = design("A metrics service ingests 50M samples per day; teams chart any sample over the last 30 days.")
    kept = next(i for name, i in _derived(p).items() if name.endswith("kept for the queried horizon"))
    assert kept.unit == "GB" and kept.value == pytest.approx(150)  # 50M x 100 B x 30


def test_query_horizon_yields_to_a_stated_retention(design):
    p = design("A metrics service ingests 50M samples per day and keeps them for 2 years; "
               "dashboards default to the last 30 days.")
    assert not any(name.endswith("kept for the queried horizon") for name in _derived(p))


# -- a stated count of stored things is a data set -------------------------------------

def test_stored_count_times_row_size(design):
    p = design("An internal recipe service where cooks search, create and edit recipes: about 45,000 recipes and 300 cooks.")
    assert cap(p, "recipes: data set size") == pytest.approx(45)  # MB at 1 KB (assumed)
    assert any(a.topic == "stored item size" for a in p.assumptions)


def test_small_counts_are_not_data_sets(design):
    p = design("An internal recipe service where cooks search, create and edit recipes: 12 kitchens and 300 cooks.")
    assert not any(name.endswith("data set size") for name in _derived(p))


# -- a period adjective makes a recurring count a rate ----------------------------------

def test_nightly_count_is_a_daily_rate(design):
    p = design("We run about 120 nightly reconciliation reports for finance and need a retry button.")
    assert cap(p, "reconciliation reports per year") == pytest.approx(120 * 365)


def test_daily_active_users_stay_users(design):
    p = design("A journaling app with 20k daily active users who write one entry per day.")
    assert p.requirement.daily_active_users and p.requirement.daily_active_users.value == 20_000
    assert not any(r.subject.startswith("active") for r in p.requirement.rates)


# -- every stated stream is sized, reads too -------------------------------------------

def test_read_streams_get_their_own_lines(design):
    p = design("A documentation portal serves 3M page views per day and receives 2,000 edits per day.")
    names = [i.name for i in p.capacity if i.group == "workload"]
    assert any(n.startswith("page views per second (average)") for n in names)
    assert cap(p, "page views per second (average)") == pytest.approx(3e6 / 86_400, rel=0.01)


# -- a crowd told to come at one moment is a burst ---------------------------------------

def test_crowd_at_a_clock_time_is_a_burst(design):
    p = design("An exam platform for a university: around 30,000 students log in at 9am for the finals, "
               "answers are autosaved and nobody may submit twice.")
    burst = next(i for name, i in _derived(p).items() if name.startswith("students arriving per second"))
    assert burst.value == pytest.approx(100)  # 30,000 / 300 s
    assert any(a.topic == "arrival window" for a in p.assumptions)


def test_a_crowd_without_a_moment_is_no_burst():
    from servicelens.design.derived import crowd
    assert crowd("We have 2M fans and they buy merch in the shop.") is None
    assert crowd("40,000 students enrolled in 2019.") is None


# -- concurrent sessions each send now and then -----------------------------------------

def test_concurrent_sessions_make_requests(design):
    p = design("A live auction site: 50,000 concurrent bidders watch lots and place bids; a bid is never lost.")
    req = next(i for name, i in _derived(p).items() if name.startswith("requests from concurrent sessions"))
    assert req.value == pytest.approx(5_000)
    assert any(a.topic == "activity of a connected session" for a in p.assumptions)


def test_no_concurrency_stated_no_session_requests(design):
    p = design("A live auction site where bidders watch lots and place bids; a bid is never lost.")
    assert not any(name.startswith("requests from concurrent sessions") for name in _derived(p))


# -- a batch under a deadline writes one row per item -----------------------------------

def test_deadline_batch_rows(design):
    p = design("A payroll run pays 80,000 employees and must finish within 2 hours; each payment is made exactly once.")
    rows = [i for name, i in _derived(p).items() if name.startswith("rows written per batch")]
    assert rows and rows[0].value == pytest.approx(80_000) and rows[0].unit == "rows"


def test_people_count_without_a_batch_deadline_is_no_batch(design):
    p = design("A flag service for 3,000 engineers; a change must reach every service within 10 seconds.")
    assert not any(name.startswith("rows written per batch") for name in _derived(p))


# -- fan-out multiplies a write rate into deliveries -------------------------------------

def test_goes_to_n_recipients_is_a_fan_out(design):
    p = design("A school messaging service: each announcement goes to 400 parents on average and "
               "teachers post 5,000 announcements per day.")
    assert p.requirement.fanout and p.requirement.fanout.value == 400
    assert cap(p, "deliveries of announcements per day") == pytest.approx(2e6)


def test_no_fan_out_no_deliveries(design):
    p = design("A school messaging service where teachers post 5,000 announcements per day.")
    assert not any(i.name.startswith("deliveries of") for i in p.capacity)


def test_each_naming_the_counted_thing_is_no_per_user_rate(design):
    p = design("A school messaging service: each announcement goes to 400 parents on average and "
               "teachers post 5,000 announcements per day.")
    assert [r.per_user for r in p.requirement.rates] == [False]


def test_a_plural_actor_with_a_human_scale_count_stays_per_user(design):
    p = design("A chat app: users send 40 messages a day and we have 2M daily active users.")
    assert [r.per_user for r in p.requirement.rates] == [True]


def test_a_plural_actor_with_a_superhuman_count_is_the_total(design):
    p = design("A ride app where drivers complete 3,000 rides per day across the city.")
    assert [r.per_user for r in p.requirement.rates] == [False]


# -- a stated object size applies to the stream of those objects --------------------------

def test_object_size_sizes_the_stream_that_moves_it(design):
    p = design("Our podcast host serves 2M episode downloads a month, each episode averages 60 MB.")
    assert cap(p, "episode downloads egress bandwidth (average)") == pytest.approx(48)  # MB/s = 0.8/s x 60 MB


def test_clock_times_are_read_as_times_not_counts(design):
    p = design("A ticketing site: sales open at 10:00 and 500k fans arrive at once; no seat is sold twice.")
    clock = [f for f in p.requirement.figures if f.meaning == "clock time"]
    assert [f.value for f in clock] == [10, 0]
    assert cap(p, "fans arriving per second (peak burst)") == pytest.approx(500_000 / 300, rel=0.01)


# -- a stream stated as an average and a peak is one load with a peak factor --------------

def test_average_and_busiest_hour_give_a_peak_factor(design):
    p = design("A bike-share system: 12,000 rentals per day on average and 3,000 rentals per hour at the busiest hour.")
    assert len(p.requirement.rates) == 1
    assert p.requirement.peak_factor.value == pytest.approx(6.0)
    assert cap(p, "rentals per second (peak)") == pytest.approx(3000 / 3600, rel=0.01)


def test_bare_normal_rate_is_the_average_of_the_named_peak(design):
    p = design("A ticket checkout: at peak ~2k checkouts/s, on a normal day ~80/s.")
    assert [r.subject for r in p.requirement.rates] == ["checkouts"]
    assert cap(p, "checkouts per second (average)") == pytest.approx(80)
    assert cap(p, "checkouts per second (peak)") == pytest.approx(2000)


def test_two_different_streams_are_not_paired(design):
    p = design("A news site: 2M page views per day and 500 comments per hour at peak.")
    assert len(p.requirement.rates) == 2


def test_traffic_triples_is_a_peak_factor(design):
    p = design("A pet insurance claims service: 30,000 claims a month, and traffic doubles in January.")
    assert p.requirement.peak_factor and p.requirement.peak_factor.value == 2.0


def test_kept_indefinitely_is_sized_per_year(design):
    p = design("A pet insurance claims service: 30,000 claims a month; claim documents are kept indefinitely.")
    assert any(a.topic == "retention" and "indefinitely" in a.value for a in p.assumptions)
    assert cap(p, "records over the retention period") == pytest.approx(360_000, rel=0.01)


def test_a_burst_far_beyond_a_peak_factor_stays_its_own_load(design):
    p = design("A polling app: 10M votes/month, and a viral poll can get 5,000 votes/second for a few minutes.")
    assert len(p.requirement.rates) == 2 and p.requirement.peak_factor is None


# -- concurrency derived from a share of the users online ---------------------------------

def test_share_of_users_online_is_a_concurrency(design):
    p = design("A language-learning app where learners take lessons and submit answers: 4M users, about 5% of users are online at peak.")
    assert cap(p, "concurrent users online (derived)") == pytest.approx(200_000)
    assert cap(p, "requests from concurrent sessions per second (peak)") == pytest.approx(20_000)


def test_share_that_is_not_about_being_online_is_no_concurrency():
    from servicelens.design.derived import online_share
    assert online_share("about 5% of users pay for the premium plan") is None
    assert online_share("10% of them are connected at any moment") == (0.1, "10% of them are connected")


# -- a period's volume produced as one batch under a deadline ------------------------------

def test_monthly_batch_under_a_deadline_sets_a_rate(design):
    p = design("A payroll export: 1.5M payslips are generated monthly and must be produced within 6 hours.")
    assert cap(p, "payslips per second to finish one month's batch") == pytest.approx(1.5e6 / 21_600, rel=0.01)


def test_a_latency_deadline_is_no_batch(design):
    p = design("A payroll portal: 1.5M payslips per month; a payslip page must load within 2 seconds.")
    assert not any("batch within the deadline" in i.name for i in p.capacity)


def test_a_per_minute_rate_at_rush_hour_is_a_peak(design):
    p = design("A parking app: drivers start 600 sessions per minute at rush hour.")
    assert cap(p, "sessions per second (peak)") == pytest.approx(10)



@pytest.mark.parametrize("text, rate", [
    # a bare "each" after a clause that names the things an earlier sentence counts
    ("Parking sensors: 9,000 bay sensors are installed downtown. The sensors connect over LoRaWAN and stay joined; "
     "each sends a status every 120 seconds and an event when a car arrives.", 75),
    ("Vending fleet backend for 2,400 vending machines. Machines hold an MQTT session to the broker; each publishes "
     "its stock levels every 15 minutes.", 2.667),
])
def test_a_bare_each_reports_for_the_things_named_before_it(design, text, rate):
    assert cap(design(text), "write requests per second (average)") == pytest.approx(rate, rel=0.01)


def test_a_bare_each_with_nothing_counted_stays_per_user(design):
    """Nothing counts the devices: the rate stays per actor and the actors are an assumption."""
    p = design("Home hub app. The hubs connect over Wi-Fi and stay online; each sends a status every 60 seconds.")
    assert any(a.topic in ("daily active users", "users") for a in p.assumptions)


@pytest.mark.parametrize("text, rate", [
    # the counted noun phrase wraps to the next line; a version number ("OCPP 1.6J") counts nothing;
    # a target ("plan to reach 10,000") is not the population acting now
    ("Charge-point backend: we operate 3,800 public\nchargers and plan to reach 10,000 chargers by 2028. Chargers speak OCPP 1.6J over "
     "WebSocket and stay connected; each sends a heartbeat every 60 seconds.", 63.3),
])
def test_the_population_a_bare_each_reports_for_is_counted_now(design, text, rate):
    assert cap(design(text), "write requests per second (average)") == pytest.approx(rate, rel=0.01)


def test_an_interval_said_only_of_members_in_a_state_is_not_the_whole_population(design):
    """"while charging, meter values every 30 seconds": the share charging is not stated."""
    p = design("Charge-point backend: we operate 3,800 chargers. Chargers stay connected; each sends a heartbeat every "
               "60 seconds and, while charging, meter values every 30 seconds.")
    assert cap(p, "write requests per second (average)") == pytest.approx(63.3, rel=0.01)


def test_an_interval_during_an_event_keeps_its_population(design):
    """"during the race" says when the whole population acts, not which share of it."""
    p = design("Live timing app for a city marathon: ~250k spectators will have it open during the race, "
               "refreshing a runner's splits every 30 seconds.")
    assert any(abs(i.value - 8333) <= 0.01 * 8333 for i in p.capacity if i.unit in ("req/s", "events/s")), \
        [(i.name, i.value) for i in p.capacity][:8]


def test_up_to_a_count_is_the_population_acting_not_a_target(design):
    """"up to 3,000 concurrent sessions" bounds the sessions acting now; "reach 10,000" would be a target."""
    p = design("Help desk: up to 2,000 concurrent sessions; a session polls for new replies every 20 s.")
    assert cap(p, "total requests per second (peak)") == pytest.approx(200, rel=0.02)


def test_a_count_held_by_each_of_a_counted_holder_is_a_total(design):
    p = design("We run 60 warehouses, and each warehouse holds roughly 2,000 storage bins with a stock level for each.")
    assert cap(p, "bins (total)") == pytest.approx(120_000)


def test_a_rate_per_holder_is_not_also_a_stock_total(design):
    p = design("We run 60 warehouses; every warehouse keeps about 2,000 storage bins, "
               "each with around 5 stock movements a day.")
    assert not [i for i in p.capacity if i.name == "movements (total)"]

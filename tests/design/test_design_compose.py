"""Capacity composed per subject (subjects.py, compose.py): a stated size belongs to the noun
it is said of, a per-item factor turns one stream into another, a peak held for a stated
time brings a burst, and "everyone" acting in a window is the counted population's peak.
Written in words unlike the corpus texts that prompted them, with must-not cases."""
from __future__ import annotations

import pytest

from servicelens.design import design_from_text
from servicelens.design.subjects import bind_per_items, bind_sizes, same_word
from servicelens.design.text import normalise, numbers


def _items(text: str) -> dict[str, tuple[float, str]]:
    return {i.name: (i.value, i.unit) for i in design_from_text(text).capacity}


def _sizes(text: str, anchors: list[str]) -> dict[str, float]:
    t = normalise(text)
    return {s.subject: s.value for s in bind_sizes(t, numbers(t), anchors)}


def test_a_size_after_per_belongs_to_that_noun():
    assert _sizes("Each scan keeps 3 thumbnails that take 40 KB per page.", ["pages"]) == {"page": 40_000}


def test_a_size_said_of_an_uncounted_word_goes_to_the_counted_noun_of_its_sentence():
    sizes = _sizes("The archive holds 2 million drawings, typical vector file 3 MB.", ["drawings"])
    assert sizes == {"drawings": 3_000_000}


def test_a_size_per_period_is_no_size_of_a_thing():
    assert _sizes("The cameras upload 40 GB per day.", ["cameras"]) == {}


def test_memory_is_not_a_stored_size():
    assert _sizes("Each worker needs 512 MB of memory for 300 jobs.", ["jobs"]) == {}


def test_a_count_times_its_own_size_is_the_stored_data_set_without_an_assumed_row():
    items = _items("A museum digitises its collection: 400,000 objects, each photographed at about 25 MB. "
                   "Curators add 50 objects a day.")
    stored = [v for k, v in items.items() if k.startswith("objects: stored size")]
    assert stored and stored[0] == (pytest.approx(10, rel=0.01), "TB")
    assert not any(k.startswith("objects: data set size") for k in items)


def test_additive_sizes_of_one_subject_are_summed():
    items = _items("We store 1 million invoices; a PDF of 200 KB each, plus another 50 KB per invoice of extracted data. "
                   "Accounts payable enters 2,000 invoices a day.")
    assert items["invoices: stored size"] == (pytest.approx(250, rel=0.01), "GB")


def test_a_factor_per_item_of_a_stream_is_a_second_stream():
    items = _items("The mail centre sorts about 50,000 parcels a day and every parcel is weighed on average 3 times. "
                   "A weighing record is 200 bytes and is kept for 30 days.")
    assert items["parcels weighed per day"] == (pytest.approx(150_000), "events/day")
    assert items["parcels weighed stored over the retention period"] == (pytest.approx(900, rel=0.01), "MB")


def test_a_factor_with_a_period_after_its_holder_is_a_rate_per_item_not_a_factor():
    assert bind_per_items("Drivers send 4 pings per vehicle per minute.") == []
    assert [f.factor for f in bind_per_items("Each refund creates 2 ledger entries per refund request.")] == [2.0]


def test_a_factor_of_sizes_is_no_factor():
    assert bind_per_items("Thumbnails add 3 MB per photo.") == []


def test_a_peak_held_for_a_stated_time_brings_a_burst():
    items = _items("Sensors report about 7,200 faults per hour; when a storm hits it jumps to 10x that for 30 minutes.")
    burst = [v for k, v in items.items() if "in one burst" in k]
    assert burst == [(pytest.approx(36_000, rel=0.01), "events")]


def test_no_burst_without_a_stated_time():
    items = _items("Sensors report about 7,200 faults per hour; when a storm hits it jumps to 10x that.")
    assert not any("in one burst" in k for k in items)


def test_everyone_in_a_window_is_the_largest_counted_population():
    items = _items("An online exam portal for a citywide test: 90,000 pupils at 400 schools submit answers, and almost "
                   "everybody logs in within a 15-minute window.")
    peak = [v for k, v in items.items() if k.startswith("pupils acting per second")]
    assert peak == [(pytest.approx(90, rel=0.01), "requests/s")]


def test_polling_on_an_interval_is_a_read():
    req = design_from_text("A live score service for a youth league: 3,000 spectators keep the app open on match day, "
                           "reloading the scores every 20 seconds.").requirement
    assert {r.kind for r in req.rates} == {"read"}


def test_word_families_join_by_their_start():
    assert same_word("scan", "scanned") and same_word("images", "image") and not same_word("user", "bag")


def _invariants(text: str) -> list[tuple[str, str]]:
    return [(i.kind, i.mechanism) for i in design_from_text(text).requirement.invariants]


def test_a_prohibition_no_kind_names_is_a_precondition_checked_where_the_change_happens():
    found = _invariants("A warehouse app tracks pallets for 30 forklifts. A pallet must never be stacked on a rack "
                        "other than the one printed on its label.")
    pre = [m for k, m in found if k == "precondition"]
    assert pre and "pallet" in pre[0] and "conditional update" in pre[0]


def test_a_wish_about_how_the_system_runs_is_no_rule():
    found = _invariants("A pricing service for 40 shops. Evaluation has to happen in-process, with no network call per "
                        "request, and must not be slow.")
    assert not [k for k, _ in found if k == "precondition"]


def test_a_keeping_period_said_by_staying_is_a_retention():
    found = _invariants("A tenders portal for a city council: bids stay available for 7 years after the award.")
    assert any(k == "retention" and "7 years" in m for k, m in found)


def test_a_window_to_act_before_something_passes_on_is_an_expiry():
    found = _invariants("A volunteer rota app: a volunteer offered a shift has 48 hours to confirm before it goes to "
                        "the next volunteer on the list.")
    assert any(k == "expiry" for k, _ in found)


def test_a_stated_length_of_one_item_puts_that_many_under_way_and_a_rate_per_item_acts_on_them():
    items = _items("A sorting depot receives about 4,800 parcels per day, and they wait for an average dwell of 3 hours; "
                   "senders check the status about 2 times per parcel per hour.")
    assert items["parcels under way at once (average, Little's law)"] == (pytest.approx(600), "count")
    assert any(v == (pytest.approx(0.333, rel=0.02), "events/s") for k, v in items.items() if "under way)" in k)


def test_an_outage_is_no_length_of_an_item():
    items = _items("Shops send about 2,000 sales a day and must keep selling if the server is down for up to 30 minutes.")
    assert not any("under way at once" in k for k in items)


def test_every_names_the_holder_before_an_indefinite_object():
    req = design_from_text("A climbing gym app: 12 walls and about 3,000 members. Every member taps a wall sensor "
                           "roughly 6 times a visit day.").requirement
    assert not any("12 walls" in r.source or "x 12" in r.source for r in req.rates)

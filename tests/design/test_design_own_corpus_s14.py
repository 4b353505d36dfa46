"""Eleven requirements in styles and kinds unlike the development half (a ticket with
acceptance criteria, a chat thread, an interview prompt, numbers as words, percentile SLOs,
sizes in KB/MB, growth over years, a fleet on a schedule, a viral burst), with hand answers
written before the tool ran (tests/design/own_corpus_s14/dev). Each test pins a general
mechanism, with a case where it must fire and one where it must not."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from servicelens.design.attachments import attached_objects
from servicelens.design.requirement import parse_requirement

CORPUS = Path(__file__).parent / "own_corpus_s14" / "dev"


def _text(name: str) -> str:
    return yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))["text"]


def _items(proposal, words: str):
    return [i for i in proposal.capacity if words in i.name]


def _ops(proposal) -> set[str]:
    doc = json.loads(proposal.openapi_json)
    return {o["operationId"] for methods in doc["paths"].values() for o in methods.values() if isinstance(o, dict)}


def test_a_burst_of_a_stream_with_a_stated_average_sizes_the_peak_only(design):
    proposal = design(_text("raffle-entries"))
    write_avg = next(i for i in proposal.capacity if i.name.startswith("write requests per second (average)"))
    assert write_avg.value == pytest.approx(2.0, rel=0.05)  # 5M a month, not 5M a month + 8,000/s / 3
    assert next(i for i in proposal.capacity if i.name == "write requests per second (peak)").value == pytest.approx(8000)
    assert _items(proposal, "entries volume per year")[0].value == pytest.approx(18.92, rel=0.01)  # GB, hand: 18
    # must not: a peak within a whole system's range is still the stream's peak factor
    calm = design("About 12,000 rentals per day on average and 3,000 per hour at the busiest hour.")
    assert not _items(calm, "(burst, stated)")


def test_objects_records_carry_are_sized_without_a_stated_size(design, catalog):
    proposal = design(_text("invoice-capture"))
    per_year = next(i for i in proposal.capacity if i.name == "media storage per year")
    assert (per_year.value, per_year.unit) == (pytest.approx(14.4, rel=0.05), "TB/year")  # hand: 14.4 TB/year
    media = catalog.vocabulary["media_words"]
    assert attached_objects("Employees submit expenses with receipt photos.", media).optional is False
    assert attached_objects("Forms can include file uploads.", media).optional is True
    assert attached_objects("Residents may attach a photo to a report.", media).optional is True
    # must not: a photo looked at, a barcode scanned
    assert attached_objects("Members view photos of the venue; staff scan a barcode at the door.", media) is None


def test_an_optional_attachment_is_carried_by_a_minority_of_writes(design):
    proposal = design(_text("insurance-claims"))
    objects = next(i for i in proposal.capacity if i.name == "media objects per day")
    assert objects.value == pytest.approx(100)  # 5% of 2,000 claims a day
    every = design("Policyholders file ~2,000 claims a day; every claim includes one photo of 2 MB.")
    assert next(i for i in every.capacity if i.name == "media objects per day").value == pytest.approx(2000)


def test_two_sizes_in_one_clause_belong_to_the_nearer_noun(catalog):
    req = parse_requirement(_text("insurance-claims"), catalog)
    assert req.record_bytes.value == 4000 and req.media_bytes.value == 8e6


def test_a_people_word_qualifying_a_counted_thing_is_no_user_count(catalog):
    req = parse_requirement(_text("invoice-capture"), catalog)
    assert req.total_users is None
    assert [(r.subject, r.count_per_period, r.period) for r in req.rates] == [("supplier invoices", 1.2e6, "month")]
    # must not: a people count stays one, joined by a hyphen or alone
    assert parse_requirement("Expense approvals for a 5,000-employee company.", catalog).total_users.value == 5000
    assert parse_requirement("Our 40,000 suppliers send invoices.", catalog).total_users.value == 40000


def test_a_fleet_on_a_schedule_gets_the_clock_aligned_burst(design):
    proposal = design(_text("weather-stations"))
    burst = [i for i in proposal.capacity if "aligned on the boundary" in i.name]
    assert burst and burst[0].value == pytest.approx(200)  # 12,000 / 60 s; hand: 200
    heartbeat = design("400 trucks send GPS every 30 seconds to the dispatch service.")
    assert not [i for i in heartbeat.capacity if "aligned on the boundary" in i.name]


def test_a_decision_gets_its_other_outcome(design):
    ops = _ops(design(_text("parking-permits")))
    assert {"approve_application", "reject_application"} <= ops
    ops = _ops(design(_text("insurance-claims")))
    assert {"accept_claim", "decline_claim"} <= ops
    # must not: a confirmation is no decision, and a named counterpart is not added twice
    both = _ops(design("Managers approve or reject leave requests from their 40 employees."))
    assert len([o for o in both if o.startswith("reject_")]) <= 1
    confirm = _ops(design("Guests confirm their table bookings by SMS for our 3 restaurants."))
    assert not [o for o in confirm if o.startswith(("reject_", "decline_"))]


def test_a_validity_is_not_a_retention(catalog):
    req = parse_requirement(_text("parking-permits"), catalog)
    assert req.retention.value == pytest.approx(5 * 365 * 86400)  # "Keep applications 5 years", not "valid for 12 months"
    kept = parse_requirement("Audit events are kept for 12 months.", catalog)
    assert kept.retention.value == pytest.approx(360 * 86400, rel=0.02)


def test_a_queried_horizon_written_as_a_possessive_sizes_the_hot_window(design):
    proposal = design(_text("weather-stations"))
    hot = [i for i in proposal.capacity if "queried horizon" in i.name]
    assert [(i.value, i.unit) for i in hot] == [(pytest.approx(12.1, rel=0.01), "GB")]  # hand: 12.1 GB, no zero line


def test_recorded_hours_at_a_bitrate_are_bytes_per_period(design, catalog):
    proposal = design(_text("court-recordings"))
    month = next(i for i in proposal.capacity if i.name == "audio stored per month")
    assert (month.value, month.unit) == (pytest.approx(259.2), "GB/month")  # hand: 259 GB
    assert next(i for i in proposal.capacity if i.name == "bytes per hour of audio").value == pytest.approx(28.8)
    assert _items(proposal, "with growth")
    assert parse_requirement(_text("court-recordings"), catalog).retention.value == pytest.approx(25 * 365 * 86400)
    # must not: hours of recordings without a bitrate size nothing
    plain = design("Build an archive service: our studio stores about 300 hours of interviews a month and 4 journalists search them.")
    assert not _items(plain, "bytes per hour")


def test_a_stream_counted_per_week_shows_its_volume_per_week(design):
    proposal = design(_text("podcast-hosting"))
    week = next(i for i in proposal.capacity if i.name == "new episodes volume per week")
    assert (week.value, week.unit) == (pytest.approx(1.5), "TB/week")  # hand: 1.5 TB/week
    daily = design("Drivers log 20,000 trips a day, ~2 KB each.")
    assert not [i for i in daily.capacity if "volume per week" in i.name]


def test_a_record_sized_beside_its_attachment_keeps_its_own_size(design):
    proposal = design(_text("insurance-claims"))
    year = next(i for i in proposal.capacity if i.name == "claims volume per year")
    assert (year.value, year.unit) == (pytest.approx(2.92), "GB/year")  # hand: 2.9 GB/year (4 KB, not the 8 MB photo)


def test_what_belongs_to_a_thing_is_read_through_it(design):
    from servicelens.design.derived_ops import possessions
    assert possessions("Utilities query a meter's last 24h and monthly consumption.") == [
        ("meter", "consumption", "monthly consumption")]
    ops = _ops(design("Loyalty points for a grocery chain: ~4M transactions a day earn points. "
                      "A member's balance must never go negative."))
    assert "get_member_balance" in ops
    # must not: a pronoun or a product name owns nothing, data and time spans are no resources
    assert possessions("Anyone's balance; Uber's driver matching; each company's data; a station's last 7 days.") == []


def test_an_outage_to_ride_out_is_a_backlog_not_a_retention(design, catalog):
    text = ("Parcel lockers: ~1.2M deposits a day. Lockers must keep accepting parcels when the backend is "
            "offline for up to 30 minutes, and sync afterwards. Deposits are kept 2 years.")
    req = parse_requirement(text, catalog)
    assert req.retention.value == pytest.approx(2 * 365 * 86400, rel=0.02)  # not the 30 minutes
    backlog = _items(design(text), "queued during the outage")
    assert backlog and backlog[0].value == pytest.approx(1.2e6 / 86400 * 3 * 1800, rel=0.01)
    # must not: a stated duration that is no outage builds no backlog
    assert not _items(design("Parcel lockers: ~1.2M deposits a day; a parcel waits up to 3 days for pickup."), "outage")


def test_what_people_file_for_others_to_decide_is_a_monthly_habit(design):
    proposal = design(_text("parking-permits"))  # a stated rate wins: 45,000 a year
    assert next(i for i in proposal.capacity if i.name == "new records per year").value == pytest.approx(45000, rel=0.06)  # (the per-year convention: 12 months of 2.5M s)
    filed = design("Internal HR app for our 200 employees: time-off requests with manager approval.")
    assert next(i for i in filed.capacity if i.name == "new records per year").value == pytest.approx(2400)  # hand: ~2,000
    # must not: what people post for themselves stays a daily habit of the daily actives
    posts = design("Internal social app for our 200 employees: people post updates and comment on them.")
    assert next(i for i in posts.capacity if i.name == "writes per day (average)").value == pytest.approx(200)


def test_a_flow_stated_per_second_counts_its_peak_hour(design):
    proposal = design("Checkout for our shop. Black Friday peak is ~1.2k checkouts/s, a normal day ~50/s.")
    assert next(i for i in proposal.capacity if i.name == "checkouts in the peak hour").value == pytest.approx(4.32e6)
    daily = design("Drivers log 20,000 trips a day, ~2 KB each.")  # a daily flow already has its per-hour peak
    assert not [i for i in daily.capacity if i.name.endswith("in the peak hour")]


def test_what_is_rented_or_borrowed_comes_back(design):
    assert {"rent_locker", "return_locker"} <= _ops(design("Students rent lockers by the semester; 3,000 lockers on campus."))
    # must not: what is bought is not returned by the life cycle
    assert "return_ticket" not in _ops(design("Fans buy tickets for our 3 venues; 20,000 tickets a week."))

"""Fourteen requirements written in styles the earlier ones did not use (a ticket with
acceptance criteria, Slack threads, interview prompts, a spec with a table, numbers written
as words, percentile SLOs, per-record sizes, growth over years, concurrent users and
per-user rates), with what a principal engineer expects written by hand before the tool ran
(tests/design/own_corpus_s12/dev). Each test pins a general mechanism that lost the
information, with a case where it must fire and one where it must not."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from servicelens.design.ceilings import is_ceiling
from servicelens.design.entities import find_actions
from servicelens.design.growth import find_growth
from servicelens.design.requirement import parse_requirement
from servicelens.design.text import normalise, without_speakers
from servicelens.design.work_items import find_work

CORPUS = Path(__file__).parent / "own_corpus_s12" / "dev"


def _text(name: str) -> str:
    return yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))["text"]


def _doc(name: str) -> dict:
    return yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))


def _item(proposal, name: str):
    return next(i for i in proposal.capacity if i.name == name)


@pytest.mark.parametrize("text, read", [
    ("two thousand vending machines", "2000 vending machines"),
    ("three hundred thousand users", "300000 users"),
    ("twenty-five thousand orders", "25000 orders"),
    ("two and a half million users", "2500000 users"),
    ("sells a few hundred items a day", "sells ~300 items a day"),
    ("spiking to a few thousand a day", "spiking to ~3000 a day"),
    ("tens of thousands of users", "~30000 users"),
    ("photos are a couple of megabytes each", "photos are ~2 megabytes each"),
    # must not change: digits already carry the number, pronouns and vague counts of nothing
    ("1.5 million users", "1.5 million users"),
    ("one tenant at a time", "one tenant at a time"),
    ("a few teams use it", "a few teams use it"),
])
def test_numbers_written_as_words_are_read_by_their_grammar(text, read):
    assert normalise(text) == read


@pytest.mark.parametrize("text, ceiling", [
    ("Our SMS provider accepts at most 100 messages per second per account.", True),
    ("The rate limit is 100 requests per minute per key.", True),
    ("The partner API is capped at 50 calls/s.", True),
    ("The API must handle up to 5,000 requests per second.", False),
    ("Limits are set per API key (about 10,000 keys).", False),  # a count, not a rate
])
def test_a_rate_stated_as_a_ceiling_is_not_a_load(text, ceiling):
    t = normalise(text)
    start = next(i for i, ch in enumerate(t) if ch.isdigit())
    assert is_ceiling(t, start) is ceiling


def test_a_provider_limit_does_not_size_the_system(design):
    proposal = design(_text("vet-reminders"))
    assert _item(proposal, "appointments per day (average)").value == pytest.approx(72_000)
    assert not [r for r in proposal.requirement.rates if r.subject == "messages"]
    assert "Partitioning / sharding" not in {d.pattern for d in proposal.decisions if d.chosen}


def test_a_count_with_its_period_and_no_noun_is_a_rate(catalog):
    req = parse_requirement("Customers upload invoices as PDFs. We're at 40k a day now.", catalog)
    assert [round(r.count_per_period) for r in req.rates] == [40_000]


def test_per_user_rates_use_the_texts_own_people_and_chain_per_session(design):
    """"1.5M daily active learners; a learner opens about 2 sessions a day and reviews ~40
    cards per session": 3M sessions and 120M reviews a day."""
    proposal = design(_text("flashcards"))
    rates = {r.subject: r for r in proposal.requirement.rates}
    assert rates["sessions"].per_user and rates["cards"].per_user and rates["cards"].count_per_period == 80
    assert _item(proposal, "cards per day (average)").value == pytest.approx(120e6, rel=0.01)


def test_a_count_per_one_of_a_stated_rates_things_chains(catalog):
    req = parse_requirement("We get 40k orders a day, with 3 items per order.", catalog)
    assert {r.subject: r.count_per_period for r in req.rates}["items"] == 120_000


def test_work_in_seconds_per_item_gets_a_queue_a_pool_and_littles_law(design):
    proposal = design(_text("code-judge"))
    assert _item(proposal, "submissions in progress (peak, Little's law)").value == pytest.approx(166.7, rel=0.01)
    assert _item(proposal, "worker memory for submissions (peak)").value == pytest.approx(42.7, rel=0.01)
    names = {c.name for c in proposal.components}
    assert {"Job queue for submissions", "Worker pool processing submissions"} <= names
    assert proposal.requirement.media_bytes is None  # "256 MB of memory" is held, not stored


@pytest.mark.parametrize("text", ["p99 under 300 ms for the checkout", "checkout takes 2 minutes for a user",
                                  "results within 10 seconds"])
def test_latencies_and_human_durations_are_not_work_per_item(text):
    assert find_work(normalise(text)) is None


def test_an_interval_population_is_found_by_any_word_of_its_noun_phrase(catalog):
    req = parse_requirement(_text("vending-machines"), catalog)
    beats = [r for r in req.rates if r.subject.startswith("heartbeat")]
    assert beats and beats[0].per_second == pytest.approx(2000 / 60)


def test_a_domain_named_in_the_title_does_not_lead_when_the_text_acts_on_its_own_things(catalog):
    req = parse_requirement(_text("pothole-reports"), catalog)
    assert req.domains[0] == "system" and {"close_report", "reopen_report"} <= set(req.actions)
    # one thing the domain keeps, acted on: the domain still leads
    assert parse_requirement("Photo sharing: users upload photos and view photos of friends.", catalog).domains[0] == "media"


@pytest.mark.parametrize("text, op", [
    ("members book spin and yoga classes from the app", "book_class_item"),
    ("customers book flights and hotels", "book_flight"),
])
def test_coordinated_qualifiers_share_their_head(text, op):
    assert [a.op_id for a in find_actions(text)][0] == op


def test_speaker_labels_of_a_chat_are_not_content(catalog):
    assert "eng" not in parse_requirement(_text("gym-classes"), catalog).entities
    assert without_speakers("Background: 1,800 clinics.") == "Background: 1,800 clinics."


def test_a_crowd_within_an_opening_window_is_a_burst_rate(catalog):
    req = parse_requirement(_text("gym-classes"), catalog)
    burst = [r for r in req.rates if "burst" in r.subject]
    assert burst and burst[0].per_second == pytest.approx(50) and burst[0].peak


@pytest.mark.parametrize("name, kind", [("e-signature", "precondition"), ("pothole-reports", "authorization"),
                                        ("live-trivia", "cutoff"), ("vet-reminders", "precondition")])
def test_rules_written_without_the_usual_modal_are_read(catalog, name, kind):
    assert kind in {i.kind for i in parse_requirement(_text(name), catalog).invariants}


@pytest.mark.parametrize("text, per_year, years", [
    ("Volume grows 20% per year and we are planning for the next five years.", 1.2, 5),
    ("sales expects 3x within two years", 3 ** 0.5, 2),
    ("traffic doubles every year", 2, 3),
])
def test_growth_is_read_with_its_horizon(text, per_year, years):
    g = find_growth(normalise(text))
    assert g.per_year == pytest.approx(per_year) and g.years == years


def test_growth_sizes_the_horizon(design):
    assert _item(design(_text("imaging-archive")), "studies per day in 5 years").value == pytest.approx(22_395, rel=0.01)
    assert _item(design(_text("invoice-ocr")), "worker vCPU in 2 years (average)").value == pytest.approx(5.56, rel=0.01)
    assert find_growth(normalise("The archive keeps 20% of studies.")) is None


def test_own_corpus_scores_hold(design):
    """The corpus scorer over this session's requirements: no refusal, no failed self-check,
    and the figures and invariants this session's mechanisms recovered stay recovered."""
    sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks" / "design"))
    import run_design_corpus as runner
    from servicelens.render.design_json import render_design_json
    import json
    totals = {"figures": 0, "invariants": 0}
    for path in sorted(CORPUS.glob("*.yaml")):
        doc = _doc(path.stem)
        proposal = design(doc["text"])
        out = json.loads(render_design_json(proposal))
        assert not [s.name for s in proposal.self_check if s.status == "failed"], path.stem
        rows = out["requirement"]["as_understood"]
        totals["figures"] += sum(runner.figure_produced(f, out["capacity"]) for f in doc["figures"])
        mechs = [f"{i['mechanism']} {i.get('enforced_in', '')}" for i in out["requirement"]["invariants"]]
        totals["invariants"] += sum(any(runner.covered(str(m), mechs, need_half=True) for m in inv["mechanisms"])
                                    for inv in doc["invariants"])
        assert rows
    assert totals["figures"] >= 41 and totals["invariants"] >= 18


def test_a_hot_window_inside_a_longer_retention_is_the_hot_tier(design):
    proposal = design(_text("imaging-archive"))
    hot = _item(proposal, "studies in the hot tier (the queried horizon)")
    assert hot.unit == "TB" and hot.value == pytest.approx(202.5, rel=0.01)  # 9,000/day x 90 days x 250 MB
    assert _item(proposal, "studies ingest bandwidth (average)").value == pytest.approx(26.04, rel=0.01)


@pytest.mark.parametrize("text, reads", [
    ("300 sales reps log calls. A rep looks up around 60 accounts a day.", 18_000),
    ("We have 10k customers a day visiting the shop.", 0),  # people who come are no lookups
])
def test_people_counted_as_the_object_of_a_verb_are_a_rate(catalog, text, reads):
    req = parse_requirement(text, catalog)
    assert sum(r.count_per_period for r in req.rates if r.subject == "accounts") == reads


def test_counts_per_one_of_a_counted_holder_give_the_total(design):
    proposal = design(_text("housekeeping-board"))
    assert _item(proposal, "rooms (total)").value == 6750
    # a count per a period, or of the holder itself, is no total of things kept
    quiet = design("A bike-share app: 120 stations, riders take 3 rides per day and each station has 20 docks per day.")
    assert not [i for i in quiet.capacity if i.name.endswith("(total)")]


@pytest.mark.parametrize("text, fleet", [
    ("Our company operates 2000 vending machines. Each machine sends a heartbeat once a minute.", "machine"),
    ("City bike-share: 650 docking stations. Docks report their status every 30 seconds.", "station"),
    ("600 housekeepers use tablets that refresh the board every 20 seconds.", None),  # a poll, not a report
    ("Ride hailing: each active driver pings its location every 5s; 20k drivers are online at peak.", None),  # people
])
def test_things_reporting_on_a_timer_get_an_ingestion_gateway(catalog, text, fleet):
    found = [arg for kind, arg in parse_requirement(text, catalog).workloads if kind == "fleet_ingest"]
    assert found == ([fleet] if fleet else [])


@pytest.mark.parametrize("text, batch", [
    ("Drivers restock machines; every morning they need a list of the machines below a quarter full.", "daily list of machines"),
    ("Every night we need to sleep.", None),
])
def test_what_people_receive_on_a_calendar_is_a_scheduled_batch(catalog, text, batch):
    found = [arg for kind, arg in parse_requirement(text, catalog).workloads if kind == "scheduled_batch"]
    assert found == ([batch] if batch else [])


@pytest.mark.parametrize("text, peak_rps", [
    # per-user actions within the hour act on the stated concurrent users, at the peak
    ("Booking site with 50k concurrent users, each making about 2 requests per minute.", 50_000 * 2 / 60),
    # a population online at once, on an interval, is the peak
    ("Quiz app: 80,000 players connected at the same time, every player submits one answer every 10 seconds.", 8_000 * 2),
    ("Support portal: up to 3,000 concurrent sessions; a session makes a request every 10 s.", 300 * 2),
    # a daily habit of daily actives, and a count per one of its sessions
    ("News site: 200k daily active users with 5 sessions per day and 10 page views per session.", 200_000 * 55 / 86_400 * 3),
])
def test_request_rates_from_concurrent_users_sessions_and_per_user_actions(design, text, peak_rps):
    """Item 2 of the brief: the rate comes from who acts, with the assumption stated."""
    proposal = design(text)
    assert _item(proposal, "total requests per second (peak)").value == pytest.approx(peak_rps, rel=0.02)
    assert not [i for i in proposal.capacity if i.name == "requests from concurrent sessions per second (peak)"
                and "each" in text]


def test_stated_concurrency_is_not_the_user_base(design):
    proposal = design("Team chat app. At peak 20,000 users are online at the same time; each sends a message every 30 seconds.")
    assert proposal.requirement.total_users is None
    assert _item(proposal, "concurrent connections (peak)").value == 20_000
    assert _item(proposal, "write requests per second (peak)").value == pytest.approx(20_000 / 30, rel=0.01)


@pytest.mark.parametrize("text, provider", [
    ("Our SMS provider accepts at most 100 messages per second per account.", "SMS provider"),
    ("We send email through Postmark.", "Postmark"),
    ("Reminders are sent by email.", None),
])
def test_an_unnamed_provider_still_gets_its_integration(catalog, text, provider):
    found = [arg for kind, arg in parse_requirement(text, catalog).workloads if kind == "message_provider"]
    assert found == ([provider] if provider else [])

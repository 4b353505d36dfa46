"""Twelve requirements in styles and kinds unlike the development half (a ticket with
acceptance criteria, a chat thread, an interview prompt, numbers as words, percentile SLOs,
sizes in KB/MB, growth over years, per-stream bandwidth), with hand answers written before
the tool ran (tests/design/own_corpus_s13/dev). Each test pins a general mechanism behind a
miss category of the blind half's aggregate diagnosis (run_design_corpus.py --diagnose),
with a case where it must fire and one where it must not."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from servicelens.design.ceilings import is_ceiling
from servicelens.design.requirement import parse_requirement
from servicelens.design.text import normalise

CORPUS = Path(__file__).parent / "own_corpus_s13" / "dev"


def _text(name: str) -> str:
    return yaml.safe_load((CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))["text"]


def _item(proposal, name: str):
    return next(i for i in proposal.capacity if i.name == name)


def _meanings(req) -> dict[float, str]:
    return {f.value: f.meaning for f in req.figures}


@pytest.mark.parametrize("text, read", [
    ("Patients shouldn\u2019t see other patients\u2019 records", "Patients should not see other patients' records"),
    ("it won't; we can't; Mustn't", "it will not; we cannot; Must not"),
    ("about forty volunteers in two pantries", "about 40 volunteers in 2 pantries"),
    # must not change: "one" before a verb in -s, a rule's "no two", a number before no plural
    ("one gets a refund", "one gets a refund"),
    ("No two sessions may overlap", "No two sessions may overlap"),
    ("two of them", "two of them"),
])
def test_quotes_contractions_and_spelled_counts_are_read_as_words(text, read):
    assert normalise(text) == read


@pytest.mark.parametrize("text, kind", [
    ("A clinic slot should not be given to more than one patient.", "no-double-sell"),
    ("Grades, once published, are not editable.", "immutable"),
    ("A charger shouldn\u2019t run two sessions at the same time.", "no-double-sell"),
])
def test_rules_in_soft_modals_and_capability_negations_are_invariants(catalog, text, kind):
    assert kind in {i.kind for i in parse_requirement(text, catalog).invariants}


def test_a_description_without_a_rule_states_no_invariant(catalog):
    req = parse_requirement("Clinics should get a weekly report of the slots given to patients.", catalog)
    assert "no-double-sell" not in {i.kind for i in req.invariants}


def test_an_interval_binds_a_population_named_outside_its_own_phrase(catalog):
    req = parse_requirement(_text("food-bank"), catalog)
    assert _meanings(req)[200] == "count of items"  # not "200 items every 15 minutes"
    assert not [r for r in req.rates if r.subject.startswith("slots")]
    req = parse_requirement("Context: 3,500 chargers across the region; each one reports meter values every 30 seconds.", catalog)
    assert req.rates[0].per_second == pytest.approx(3500 / 30)


@pytest.mark.parametrize("text, ceiling", [
    ("A household gets at most 1 pickup per week.", True),
    ("A user can refer at most 20 friends a year.", True),
    ("We process at most 300 orders per day.", False),  # the system's own load, not one holder's
    ("The API must handle up to 5,000 requests per second.", False),
])
def test_one_holders_upper_bound_is_a_quota_not_a_load(text, ceiling):
    t = normalise(text)
    start = next(i for i, ch in enumerate(t) if ch.isdigit())
    assert is_ceiling(t, start) is ceiling


def test_a_code_with_digits_is_a_name_and_a_count_in_a_prohibition_is_no_concurrency(catalog):
    req = parse_requirement(_text("ev-charging"), catalog)
    meanings = _meanings(req)
    assert meanings[412] == "a name or id, not a quantity"
    assert req.concurrent_connections is None and meanings[2].startswith("count in a rule")
    assert req.stream_bitrate is None


def test_a_data_rate_is_a_bandwidth_never_a_count(catalog):
    req = parse_requirement("Cameras stream 4 Mbps each; 200 cameras.", catalog)
    assert req.stream_bitrate.value == pytest.approx(500_000) and not req.rates
    total = parse_requirement("Ingest is 200 MB/s in total from 2,000 shops.", catalog)
    assert total.stream_bitrate is None and _meanings(total)[200e6] == "bandwidth (stated)"


def test_a_windows_share_of_a_longer_period_is_a_peak_factor(catalog):
    req = parse_requirement("About 9,000 visits a day, and the peak hour carries 15% of the day's visits.", catalog)
    assert req.peak_factor.value == pytest.approx(3.6)
    assert parse_requirement("15% of users are admins; 2,000 orders a day.", catalog).peak_factor is None


def test_littles_law_occupancy_per_subject_and_the_bandwidth_of_open_streams(design):
    proposal = design(_text("telehealth"))
    assert _item(proposal, "visits open at once (peak)").value == pytest.approx(450)
    assert _item(proposal, "visits kept over the retention period").value == pytest.approx(32.85e6, rel=0.01)
    assert _item(proposal, "visits per hour (peak)").value == pytest.approx(1350)
    assert _item(proposal, "bandwidth of visits open at the peak (peak)").value == pytest.approx(84.38, rel=0.01)
    # a length that names nothing the text counts sizes nothing
    other = design("Customers upload about 20,000 videos per day, averaging 12 minutes each.")
    assert not [i for i in other.capacity if "open at once" in i.name]


def test_a_rate_per_one_of_a_counted_thing_is_multiplied_by_the_count(catalog):
    req = parse_requirement(_text("price-alerts"), catalog)
    assert req.rates[0].per_second == pytest.approx(400_000)
    req = parse_requirement("Each user gets 50 messages per user per day; 1,000 users.", catalog)
    assert all(r.per_second < 50 for r in req.rates)  # people scale per-user rates elsewhere, not here


def test_every_unit_without_a_number_is_one_unit(catalog):
    req = parse_requirement(_text("air-quality"), catalog)
    assert [round(r.per_second, 1) for r in req.rates][:1] == [10.0]


def test_a_leading_each_with_a_count_chains_to_a_total(design):
    assert _item(design(_text("lecture-polls")), "students (total)").value == 120_000


def test_a_domain_does_not_lead_when_most_leading_things_are_the_texts_own(catalog):
    req = parse_requirement(_text("price-alerts"), catalog)
    assert req.domains[0] == "system" and {"alert", "tick"} <= set(req.entities)
    assert parse_requirement("Photo sharing: users upload photos and view photos of friends.", catalog).domains[0] == "media"

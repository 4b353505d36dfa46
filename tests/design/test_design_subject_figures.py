"""Figures composed per subject: a size said of "each" (design/subjects.py), a retention per
data class (design/retentions.py), members per holder (design/distributions.py) and a
window's hourly rate (design/derived.py). Fixtures in tests/design/fixtures/subject-figures:
cases that must yield the figure and look-alikes that must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text
from servicelens.design.distributions import per_holder
from servicelens.design.retentions import keeps, subject_of
from servicelens.design.subjects import bind_sizes
from servicelens.design.text import normalise, numbers

_cases = fixture_cases("subject-figures")


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_the_subject_figure_is_produced(case):
    lines = [i for i in design_from_text(case["text"]).capacity if case["marker"] in i.name]
    assert any(i.unit == case["unit"] and abs(i.value - case["value"]) <= 0.02 * case["value"] for i in lines), \
        [(i.name, i.value, i.unit) for i in lines]


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_the_look_alike_yields_no_subject_figure(case):
    lines = [(i.name, i.value, i.unit) for i in design_from_text(case["text"]).capacity if case["marker"] in i.name]
    assert lines == []


def test_each_sizes_the_counted_things_not_their_holder():
    text = normalise("Each shop sends 4 photos, 1 MB each. We keep 1M invoices; a PDF of 200 KB each.")
    got = {(s.subject, s.value) for s in bind_sizes(text, numbers(text), ["photos", "shop", "invoices"])}
    assert got == {("photos", 1e6), ("invoices", 2e5)}


@pytest.mark.parametrize("phrase, subject", [
    ("raw logs are kept 13 months", "raw logs"),
    ("trip records for 7 years", "trip records"),
    ("We keep raw events for 13 months", "raw events"),
    ("Everything is kept for 5 years", ""),
    ("retain data 90 days", ""),
])
def test_a_retention_is_bound_to_the_data_it_is_said_of(phrase, subject):
    assert subject_of(phrase, phrase) == subject


def test_a_record_of_a_stream_keeps_the_stream_and_nothing_else():
    assert keeps("audit log", "audit events") and keeps("trip records", "trips") and keeps("readings", "readings")
    assert not keeps("raw logs", "downloads") and not keeps("prescription", "audit events") and not keeps("", "trips")


def test_retentions_of_two_data_classes_are_no_contradiction():
    p = design_from_text("Raw logs are kept 30 days and invoices for 10 years. Customers raise 10,000 invoices a day.")
    assert not [c for c in p.requirement.contradictions if "retention" in c.message]
    q = design_from_text("Invoices are kept 30 days. Later: invoices are kept for 10 years. Customers raise 10,000 invoices a day.")
    assert [c for c in q.requirement.contradictions if "retention" in c.message]


@pytest.mark.parametrize("text, members, holder, value", [
    ("The register holds about 2.4 million sheep on 16,000 farms.", "sheep", "farm", 150),
    ("Roughly 90,000 sensors on 1,500 wind turbines report every minute.", "sensors", "turbine", 60),
])
def test_things_on_their_holders_are_a_distribution(text, members, holder, value):
    """'on' joins members to their holders like 'in' or 'at'; a plural without an s still counts."""
    (d,) = per_holder(normalise(text))
    assert (d.members, d.holder) == (members, holder) and d.value == pytest.approx(value)


def test_things_joined_by_a_verb_on_something_are_no_distribution():
    assert not per_holder(normalise("We publish 3 million posts a day and show ads on 40 pages."))


@pytest.mark.parametrize("text, flow, actor, value", [
    ("The support desk has 6 agents and takes in about 90 broken phones a day.", "phones", "agent", 15),
    ("About 1,200 couriers on e-bikes deliver 54,000 meals a day across the city.", "meals", "courier", 45),
    ("Roughly 40 claims a day arrive, and the 5 people in the claims team work through them.", "claims", "person", 8),
])
def test_a_flow_per_the_people_counted_with_it(text, flow, actor, value):
    """The work per one of the people who do it, whatever words join the two counts."""
    from servicelens.design.catalog import people_nouns
    from servicelens.design.distributions import per_actor
    found = {(d.members, d.holder): d.value for d in per_actor(normalise(text), people_nouns())}
    assert found.get((flow, actor)) == pytest.approx(value), found


@pytest.mark.parametrize("text", [
    "Matches are 5v5 (10 players) and we host 2 million matches a day.",  # a group's size
    "Tables seat up to 8 players; 40,000 games a day are played.",  # a bound on a group
    "We hire ~30 people a month and have 1,500 staff.",  # people per people: two populations
    "The 3 warehouses ship 9,000 parcels a day.",  # no people counted
])
def test_no_work_per_person_without_a_working_population(text):
    from servicelens.design.catalog import people_nouns
    from servicelens.design.distributions import per_actor
    assert not per_actor(normalise(text), people_nouns())


def test_the_design_shows_the_work_per_person(design):
    proposal = design("A small tool for our home-care service: 12 nurses make about 180 home visits a day.")
    items = {i.name: i.value for i in proposal.capacity}
    assert items.get("visits per nurse per day (average)") == pytest.approx(15), items


def test_per_holder_shows_its_arithmetic():
    (d,) = per_holder(normalise("The courier firm delivers about 45,000 parcels a day from 30 depots."))
    assert (d.members, d.holder, d.period) == ("parcels", "depot", "day")
    assert d.formula == "45,000 parcels per day / 30 depots = 1.5e+03"


@pytest.mark.parametrize("text, value", [
    ("Everyone signs in with their Microsoft 365 account. We have 5,000 staff who file 300 tickets a day.", 365),
    ("Our Postgres 16 cluster stores 3,000 orders a day.", 16),
])
def test_a_number_after_a_name_inside_a_sentence_is_a_version_not_a_quantity(text, value):
    p = design_from_text(text)
    (row,) = [f for f in p.requirement.figures if f.value == value]
    assert row.meaning == "a name or id, not a quantity" and not row.used
    assert p.requirement.total_users is None or p.requirement.total_users.value != value


@pytest.mark.parametrize("text, value", [
    ("Ticketing for Coldplay 2 concerts: fans buy 40,000 tickets a day.", 2),  # a plural after it: a count
    ("Paris hosts 2,000 events a day for 40,000 tickets.", 2000),  # a thousands separator: a quantity
    ("Tickets sell 40,000 a day. Fans queue from 9 am.", 9),  # a clock time, not a name
    ("Parents pre-order 20,000 lunches a week by Thursday 18:00.", 18),  # a day and a time, not a name
])
def test_a_count_after_a_name_stays_a_quantity(text, value):
    p = design_from_text(text)
    assert all(f.meaning != "a name or id, not a quantity" for f in p.requirement.figures if f.value == value)


def test_a_group_size_is_not_the_user_base():
    p = design_from_text("We expect 900k daily players and a peak of 60k concurrent. Matches are 3v3 (6 players) and "
                         "last 10 minutes; afterwards the ratings of all 6 players change together.")
    assert p.requirement.total_users is None
    assert not [c for c in p.requirement.contradictions if "users" in c.message]
    assert next(i for i in p.capacity if i.name == "matches at once (peak)").value == pytest.approx(10_000)


@pytest.mark.parametrize("text, users", [
    ("Our food bank has about 40 volunteers and serves 300 households a week.", 40),  # a holder, not recurring groups
    ("Expense approvals for a 5,000-employee company, about 2,000 claims a month.", 5000),  # an organisation's size
])
def test_a_population_is_not_a_group_size(text, users):
    assert design_from_text(text).requirement.total_users.value == users


@pytest.mark.parametrize("text", [
    "Payouts for 40,000 merchants must be settled by 17:00 each day.",
    "Nightly exports run at 02:30 every day for 300 stores.",
    "Account statements are emailed before 9:00 each morning to 1.5M customers.",
])
def test_a_time_of_day_before_a_period_is_a_deadline_not_a_rate(text):
    """'by 17:00 each day' once read the minutes as a count of zero per day and refused the text."""
    p = design_from_text(text)
    assert all(rate.per_second > 0 for rate in p.requirement.rates)
    clock = [f for f in p.requirement.figures if f.meaning == "clock time"]
    assert clock and not any(f.used for f in clock)


@pytest.mark.parametrize("text, title", [
    ("Invoices must be sent by 09:00 each day to 40,000 customers.", "Invoices must be sent by 09:00"),
    ("Payouts of 1.5M a month reach sellers by bank transfer.", "Payouts of 1.5M a month reach"),
    ("Tickets for concerts. Fans buy 40,000 a day.", "Tickets for concerts"),
])
def test_a_title_is_not_cut_inside_a_number_or_a_time_of_day(text, title):
    from servicelens.design.synthesis import title_phrase
    assert title_phrase(text) == title

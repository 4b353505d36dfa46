"""Products of stated numbers: a rate said per one counted thing is multiplied by how many
of those things the text states, and a count said per item of a rate takes that rate's
period ("N a year, each with M"). Written in words unlike the corpus texts that prompted it."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement


def _rates(text: str) -> dict[str, tuple[float, str]]:
    req = parse_requirement(text, load_catalog())
    return {r.subject: (r.count_per_period, r.period) for r in req.rates}


def test_a_rate_per_counted_thing_said_with_an_article_is_multiplied():
    rates = _rates("The pottery runs 40 electric kilns. A kiln fires about 6 batches a day.")
    assert rates["batches"] == (pytest.approx(240), "day")


def test_a_bare_each_stands_for_the_things_counted_in_the_sentence_before():
    req = parse_requirement("The port operates 300 gantry cranes. Each logs its position every 10 seconds.", load_catalog())
    total = sum(r.per_second for r in req.rates if not r.per_user)
    assert total == pytest.approx(30, rel=0.01)


def test_a_count_per_item_of_a_rate_takes_the_rate_period():
    rates = _rates("Adjusters receive about 9,000 insurance claims a month, each with roughly 5 scanned pages.")
    assert rates["insurance claims"] == (pytest.approx(9000), "month")
    assert rates["scanned pages"] == (pytest.approx(45_000), "month")


def test_the_chain_crosses_a_semicolon():
    rates = _rates("The mill weighs around 2,000 trucks a week; each passes over roughly 3 scales.")
    assert rates["scales"] == (pytest.approx(6000), "week")


def test_a_word_number_before_a_period_is_a_rate_count():
    req = parse_requirement("We serve 200k subscribers, each renewing about one plan a year.", load_catalog())
    plans = [r for r in req.rates if r.subject == "plan"]
    assert plans and plans[0].count_per_period == 1 and plans[0].period == "year" and plans[0].per_user


def test_one_as_an_ordinary_word_stays_a_word():
    req = parse_requirement("One tenant must never see another tenant's invoices; about 500 invoices a day.", load_catalog())
    assert [r.count_per_period for r in req.rates] == [500]


def test_a_rate_is_not_multiplied_by_its_own_number():
    rates = _rates("Design a link shortener: 500 million new links per month, kept 5 years.")
    assert rates["new links"] == (pytest.approx(5e8), "month")


def test_each_followed_by_a_noun_is_not_a_chain():
    rates = _rates("Assume 1M active couriers, 20M parcels a day, and each active courier pings its location every 5s.")
    assert set(rates) == {"parcels", "location updates"} or "s" not in rates


def test_the_capacity_plan_shows_the_product_with_its_phrase(design):
    p = design("A wildlife NGO runs 500 camera traps. A trap takes about 200 photos a day at roughly 3 MB each; "
               "researchers search the photos by species.")
    media = next(i for i in p.capacity if i.name == "media storage per day")
    assert media.value == pytest.approx(500 * 200 * 3e6 / 1e9, rel=0.02)
    photos = next(r for r in p.requirement.rates if r.subject == "photos")
    assert "x 500 traps" in photos.source


def test_a_working_day_is_a_day():
    rates = _rates("Usage: about 5,000 bookings per weekday and 300 refunds each business day.")
    assert rates["bookings"] == (pytest.approx(5000), "day")
    assert rates["refunds"] == (pytest.approx(300), "day")


def test_each_naming_the_thing_of_the_stream_chains_its_count():
    rates = _rates("The print shop takes about 3,000 jobs a day, and each job prints on average 40 pages.")
    assert rates["pages"] == (pytest.approx(120_000), "day")


def test_each_naming_the_thing_of_the_stream_takes_its_verb_for_the_kind():
    req = parse_requirement("Our mirror serves 8,000 installs a day and each install downloads about 150 packages.",
                            load_catalog())
    packages = next(r for r in req.rates if r.subject == "packages")
    assert packages.count_per_period == pytest.approx(1_200_000) and packages.kind == "read"


def test_each_naming_another_thing_than_the_stream_is_no_chain():
    rates = _rates("The depot ships 9,000 crates a week and each forklift moves about 60 pallets.")
    assert "pallets" not in rates or rates["pallets"][0] != pytest.approx(540_000)


def test_each_of_a_stream_said_per_second_is_no_chain():
    rates = _rates("The gateway handles 2,000 calls per second and each call writes about 4 rows.")
    assert "rows" not in rates or rates["rows"][0] != pytest.approx(8_000)


def test_a_count_each_of_a_share_of_actors_takes_the_sentence_period_and_share():
    req = parse_requirement("A quiz app with 600k daily active users. About 25% of DAU play on a typical day "
                            "and they answer 40 questions each.", load_catalog())
    questions = next(r for r in req.rates if r.subject == "questions")
    assert questions.per_user and questions.period == "day" and questions.count_per_period == pytest.approx(10)
    assert req.daily_active_fraction is None  # a share of the daily actives who act is not the share active daily


def test_a_count_each_with_its_period_before_the_share():
    req = parse_requirement("Shop with 50k daily users; each day 20% of users buy something, 2 orders each on average.",
                            load_catalog())
    orders = next(r for r in req.rates if r.subject == "orders")
    assert orders.per_user and orders.count_per_period == pytest.approx(0.4) and orders.period == "day"


def test_a_count_each_with_no_period_in_its_sentence_is_no_rate():
    rates = _rates("The chain runs 45 hotels, 150 rooms each, and guests book online.")
    assert "rooms" not in rates


def test_a_count_each_after_a_rate_of_its_sentence_is_no_per_user_rate():
    req = parse_requirement("We ship 5,000 parcels a day and our vans carry 40 parcels each.", load_catalog())
    assert not any(r.per_user for r in req.rates)


def test_the_per_user_count_is_not_also_a_stock(design):
    p = design("A trading card game with 2M daily active players. About 5% of DAU trade on a given day and they "
               "make 4 trades each.")
    assert not any(i.name == "trades (total)" for i in p.capacity)
    trades = next(i for i in p.capacity if i.name == "trades per day (average)")
    assert trades.value == pytest.approx(400_000, rel=0.01)

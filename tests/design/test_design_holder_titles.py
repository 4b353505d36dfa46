"""A rate said per one person of a counted staff ("a tech does 25 inspections per shift" with "400 field
technicians") is multiplied through the people counted, whatever the words: a clipped job title names the
people counted, a shift is that person's working day, and a count's head noun is the last of its compound
("400 field technicians" counts technicians). Written in domains unlike the corpus."""
from __future__ import annotations

import pytest

from servicelens.design.catalog import load_catalog
from servicelens.design.requirement import parse_requirement


def _req(text: str):
    return parse_requirement(text, load_catalog())


def _rates(text: str) -> dict[str, tuple[float, str]]:
    return {r.subject: (r.count_per_period, r.period) for r in _req(text).rates}


def test_a_clipped_title_multiplies_through_the_people_counted():
    assert _rates("We employ ~400 field technicians; a tech does about 25 inspections per shift.")["inspections"] == \
        (pytest.approx(10_000), "day")


def test_a_clipped_title_in_a_veterinary_practice():
    assert _rates("The practice has 35 veterinarians. A vet sees about 20 animals per day.")["animals"] == \
        (pytest.approx(700), "day")


def test_a_clipped_title_of_a_representative():
    assert _rates("Our 60 field representatives: each rep logs ~15 visits a day.")["visits"] == (pytest.approx(900), "day")


def test_a_word_that_only_begins_like_a_counted_noun_is_no_title():
    # "car" is no clipped form of "carpets": a clipped title ends like a person (-er, -or, -ian, ...)
    assert _rates("The depot cleans 300 carpets a week. A car makes 12 trips a day.")["trips"] == (pytest.approx(12), "day")


def test_a_shift_is_a_working_day():
    assert _rates("Each of the 30 lifeguards makes 6 water rescues per shift.")["water rescues"][1] == "day"


@pytest.mark.parametrize("text, noun", [
    ("We employ ~400 field technicians on rugged tablets.", "technicians"),
    ("The utility has 2,000 field crews.", "crews"),
    ("The court service runs 14 county courts.", "courts"),
    ("The library lends to 30,000 card holders.", "holders"),
    ("There are 85,000 hydrants.", "hydrants"),
])
def test_a_count_is_of_the_last_noun_of_its_compound(text, noun):
    meanings = [f.meaning for f in _req(text).figures]
    assert f"count of {noun}" in meanings, meanings


def test_an_agent_noun_of_the_verb_is_no_clipped_title():
    # "each plays" is a verb, and "players" only adds an agent ending to it: no clipping, no holder
    rates = _rates("Trivia game backend: 20M registered players, 2M DAU, each plays ~5 rounds/day.")
    assert rates["rounds"][0] != pytest.approx(100_000_000)

"""Ties between people counted per person ("50 friends per user") are rows of a relation the
system stores: the people times the ties each. A quota per user ("5 uploads per user") stays a
quota. Phrasings unlike the corpus texts."""
from __future__ import annotations

import pytest

from servicelens.design.count_chains import count_chains
from servicelens.design.text import normalise, numbers


def _chains(text: str) -> list[tuple[float, str]]:
    t = normalise(text)
    return [(total, thing) for total, thing, _ in count_chains(t, numbers(t), [], set())]


@pytest.mark.parametrize("text, total, thing", [
    ("100 million users, 50 friends per user average.", 5e9, "friends"),
    ("A chess club app: 40,000 users, around 30 contacts per user.", 1.2e6, "contacts"),
    ("Expect 2M users with about 120 followers per user on average", 2.4e8, "followers"),
    ("Our 8,000 members have 25 connections each.", 2e5, "connections"),
    ("There are 600 workers, with 12 teammates per worker.", 7_200, "teammates"),
])
def test_ties_per_person_are_relation_rows(text, total, thing):
    assert (pytest.approx(total), thing) in _chains(text)


@pytest.mark.parametrize("text", [
    "100,000 users, at most 5 uploads per user.",
    "3 million users, 20 requests per user per day.",
    "We have 50,000 users and a limit of 10 devices per user.",
])
def test_a_quota_per_user_is_not_multiplied(text):
    assert _chains(text) == []

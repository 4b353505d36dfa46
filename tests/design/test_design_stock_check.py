"""Writes derived from an assumed read:write ratio are checked against the stated stock of the
things read (design/traffic.py `_writes_within_stock`): 25 million downloads a day of 1.5 million
episodes are not 25 million new 45 MB episodes a day. Fixtures in tests/design/fixtures/stock-check:
texts whose writes must come from the stock, and look-alikes whose assumed ratio stays."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text

_cases = fixture_cases("stock-check")
YEAR_S = 31_536_000


def _check(design):
    return [a for a in design.assumptions if a.topic == "writes (scale check)"]


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_writes_come_from_the_stated_stock(case):
    design = design_from_text(case["text"])
    assert _check(design), [a.topic for a in design.assumptions]
    writes = next(i for i in design.capacity if i.name.startswith("write requests per second (average)"))
    assert abs(writes.value * YEAR_S * 3 - case["stock"]) <= 0.02 * case["stock"]
    assert "/ 3 years" in writes.formula
    assert any("new" in q.question and "added per day" in q.question for q in design.open_questions)


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_the_ratio_stays_when_the_text_supports_it(case):
    assert not _check(design_from_text(case["text"]))


def test_the_check_shows_how_far_the_assumption_was_off():
    design = design_from_text(_cases("fire.yaml")[0]["text"])
    why = _check(design)[0].reason
    assert "1:1" in why and "x the stated" in why and "1.5 million published episodes" in why
    media = next(i for i in design.capacity if i.name == "media storage per year")
    assert media.value < 1e14  # 22.5 TB a year, not 5,338 PB


def test_downloads_of_stored_objects_are_not_kept_by_a_retention_not_said_of_them():
    design = design_from_text("Creators publish 2,000 episodes a day; listeners download about 25 million episodes a day; "
                              "an episode averages 45 MB and data is kept for 2 years.")
    kept = [(i.name, i.value) for i in design.capacity if "kept over the retention period" in i.name]
    assert kept and all(v < 25e6 * 730 for _, v in kept), kept

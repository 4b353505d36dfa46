"""Figures that apply one stated quantity to another's subject (design/applied_figures.py):
a share of a stream, the time per item, a stream's active hours, deliveries to every member
of a counted population, a bitrate to an audience at once. Fixtures in
tests/design/fixtures/applied-figures: cases that must yield the figure and look-alikes that
must not."""
from __future__ import annotations

import pytest

from design_helpers import fixture_cases

from servicelens.design import design_from_text

_cases = fixture_cases("applied-figures")


@pytest.mark.parametrize("case", _cases("fire.yaml"), ids=lambda c: c["why"])
def test_the_applied_figure_is_produced(case):
    lines = [i for i in design_from_text(case["text"]).capacity if case["marker"] in i.name]
    assert any(i.unit == case["unit"] and abs(i.value - case["value"]) <= 0.02 * case["value"] for i in lines), \
        [(i.name, i.value, i.unit) for i in lines]


@pytest.mark.parametrize("case", _cases("quiet.yaml"), ids=lambda c: c["why"])
def test_the_look_alike_yields_no_applied_figure(case):
    lines = [(i.name, i.value, i.unit) for i in design_from_text(case["text"]).capacity if case["marker"] in i.name]
    assert lines == []


def test_each_applied_figure_shows_its_arithmetic():
    text = _cases("fire.yaml")[0]["text"]
    line = next(i for i in design_from_text(text).capacity if "(6% share)" in i.name and i.unit == "events/day")
    assert "0.06" in line.formula and "40,000" in line.formula and "sent back" in line.formula

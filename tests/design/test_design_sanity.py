"""Sanity checks on the numbers (issue item 5): bounds a hard rule sets, orders stated
numbers must keep, and humanly possible activity, each with its arithmetic."""
from __future__ import annotations

import json

from servicelens.render.design_json import render_design_json
from servicelens.render.design_markdown import render_design_markdown


def _check(proposal, prefix: str):
    return next(c for c in proposal.number_checks if c.name.startswith(prefix))


def test_sales_cannot_exceed_the_stock_a_never_twice_rule_guards(design):
    proposal = design("Vaccination drive: 12,000 appointment slots for the weekend, 150k residents may try to book at "
                      "once; a slot must never be booked twice.")
    check = _check(proposal, "sales bounded by the stock of slots")
    assert check.status == "warning"
    assert "150,000" in check.arithmetic and "12,000" in check.arithmetic and "8.0%" in check.arithmetic


def test_a_crowd_within_the_stock_passes_with_its_arithmetic(design):
    proposal = design("Boat tours: 300 seats a day, 120 users; a seat must never be sold twice.")
    check = _check(proposal, "sales bounded by the stock of seats")
    assert check.status == "ok" and "120 users <= 300 seats" in check.arithmetic


def test_active_users_above_monthly_users_is_a_contradiction(design):
    proposal = design("Podcast app: 10M DAU and 2M monthly active users, 5M plays a day.")
    check = _check(proposal, "daily active users <= monthly active users")
    assert check.status == "contradiction" and "10,000,000 > 2,000,000" in check.arithmetic


def test_a_peak_below_the_average_is_a_contradiction_with_the_division_shown(design):
    proposal = design("Parcel tracking: 400M scans a day, peak 1,000 scans per second.")
    check = _check(proposal, "stated peak >= average")
    assert check.status == "contradiction" and "/ 86,400 s" in check.arithmetic


def test_inhuman_activity_per_person_is_flagged(design):
    proposal = design("Team notes app for 1,000 users, 50M notes per day.")
    check = _check(proposal, "writes per person per day")
    assert check.status == "warning" and "50,000.0 writes per user per day" in check.arithmetic


def test_checks_reach_every_output(design):
    proposal = design("Team notes app for 1,000 users, 50M notes per day.")
    assert "Sanity checks on the numbers" in render_design_markdown(proposal)
    assert json.loads(render_design_json(proposal))["number_checks"][0]["status"] == "warning"

"""A tool only the organisation's own staff use signs them in through the company's identity
provider (design/staff_sign_in.py), though the text never says SSO."""
from __future__ import annotations

import pytest

from servicelens.design.staff_sign_in import find_staff_sign_in

_LOGIN = "Company SSO login"


@pytest.mark.parametrize("text", [
    "A small tool to book the meeting rooms of our 450 employees; a room is never booked twice in one slot.",
    "The mail room wants to log parcels that arrive for staff: ~900 staff, 120 parcels a day, collected at the desk.",
    "A 600-person company needs a place to request laptops and track who has which one.",
    "Could someone build a car-pool board for the office? About 250 people drive in each day.",
])
def test_staff_only_tools_sign_in_through_the_company(design, text):
    proposal = design(text)
    assert any(c.name.startswith(_LOGIN) for c in proposal.components), [c.name for c in proposal.components]


@pytest.mark.parametrize("text", [
    # people from outside the organisation use it too
    "Our 40 employees answer the questions that 20,000 customers send through the web form.",
    "A gym with 30 staff lets its 4,000 members book classes.",
    # the text names its own identity provider: that constraint brings the login
    "An internal wiki for our 1,200 employees; login with Okta.",
    # people counted without the workplace: not the organisation's staff
    "About 500 people attend the festival each year and buy tickets online.",
])
def test_no_company_login_is_guessed(design, text):
    proposal = design(text)
    assert not any(c.name.startswith(_LOGIN) for c in proposal.components), [c.name for c in proposal.components]


def test_the_trigger_names_the_staff_count():
    assert find_staff_sign_in("Replace the shared mailbox for ~300 staff with a ticket tool.") == \
        (("staff_sign_in", "300 staff"),)


def test_a_staff_only_tool_stores_no_passwords(design):
    """The company login replaces the catalogued password login and its hashing."""
    text = ("Internal tool for {who} to book parking spaces, with user accounts and authentication; "
            "a space is never booked twice on one day.")
    hashing = "Password hashing sized with rate limits"
    staff = design(text.format(who="our 700 employees"))
    assert any(c.name.startswith(_LOGIN) for c in staff.components)
    assert not any(d.pattern == hashing and d.chosen for d in staff.decisions)
    anyone = design(text.format(who="the car park"))
    assert any(d.pattern == hashing and d.chosen for d in anyone.decisions)

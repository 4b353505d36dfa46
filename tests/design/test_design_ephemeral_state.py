"""Liveness signals sent on an interval (heartbeats, keep-alives) are kept in an in-memory store
with a TTL, never as rows of the database (design/ephemeral_state.py); connected clients that
send on a stated interval give a rate of their own (design/session_intervals.py)."""
from __future__ import annotations

import pytest

from design_helpers import cap

from servicelens.design.ephemeral_state import find_ephemeral_state

_LIVENESS = ("Status service for a messaging app: about 2M concurrent at peak. Clients keep a websocket open and "
             "send a keep-alive every 20 seconds; a client silent for 60 seconds is marked away. Contacts see status "
             "changes within 3 seconds.")
_COUNTED = ("Kiosk fleet monitor: 2M kiosks connected at peak. Each kiosk keeps a websocket open and sends a "
            "keep-alive every 20 seconds; support sees which kiosks are down.")


@pytest.mark.parametrize("text, signal", [
    ("Kiosks send a heartbeat every 15 seconds so support can see which are down.", "heartbeats"),
    ("Each agent sends keep-alives every 10 s over its open connection.", "keepalives"),
])
def test_a_periodic_liveness_signal_is_found(text, signal):
    assert find_ephemeral_state(text) == (("ephemeral_state", signal),)


@pytest.mark.parametrize("text", [
    "The heartbeat of the business is the monthly close.",  # a figure of speech, not a signal on an interval
    "Sensors send a reading every 30 seconds; readings are kept for a year.",  # data kept, not liveness
    "Wearables record the wearer's heart rate every 5 seconds.",
    # signals the text keeps for a period are a time series of their own
    "Chargers send a heartbeat every 60 seconds; raw heartbeats only for 30 days, meter values for 10 years.",
    "Agents send a heartbeat every 30 s. Heartbeats are kept 90 days for audits.",
])
def test_no_liveness_signal_no_block(text):
    assert find_ephemeral_state(text) == ()


def test_the_signal_lives_in_memory_not_in_the_database(design):
    p = design(_LIVENESS)
    names = [c.name for c in p.components]
    assert any(x.startswith("In-memory store of keepalives with TTL") for x in names), names
    database = next(x for x in names if x.startswith("Database"))
    assert "keepalive" not in database.replace("-", "")
    assert "keepalives" not in p.ddl.lower()
    assert any("keepalive" in path for path in __import__("json").loads(p.openapi_json)["paths"])
    assert all(c.status == "passed" for c in p.self_check), [(c.name, c.details) for c in p.self_check if c.status != "passed"]


def test_connected_clients_send_at_the_stated_interval(design):
    """2M sessions open at once, each sending every 20 s: 100,000/s, instead of the assumed 10 s."""
    p = design(_LIVENESS)
    assert cap(p, "keep-alives from connected sessions per second (peak)") == pytest.approx(100_000)
    assert not any(a.topic == "activity of a connected session" for a in p.assumptions)


def test_counted_connected_senders_are_planned_once(design):
    """Senders the text counts keep their population rate, and no assumed session activity is added on top."""
    p = design(_COUNTED)
    assert any(i.value == pytest.approx(100_000) for i in p.capacity if i.name.startswith("events from kiosks"))
    assert not any("connected sessions" in i.name or i.name.startswith("requests from concurrent sessions")
                   for i in p.capacity)


def test_counted_senders_keep_their_own_rate(design):
    """Senders the text counts itself are a population on an interval, not the connected sessions."""
    p = design("Help desk: up to 2,000 concurrent sessions; a session polls for new replies every 20 s.")
    assert not any("from connected sessions" in i.name for i in p.capacity)
    assert cap(p, "total requests per second (peak)") == pytest.approx(200, rel=0.02)


def test_an_every_interval_is_not_a_hold(design):
    p = design(_LIVENESS)
    row = next(f for f in p.requirement.figures if "every 20 seconds" in f.phrase)
    assert row.meaning == "interval between events"


@pytest.mark.parametrize("text, expiry", [
    ("Presence: 1M concurrent at peak. Clients hold a persistent connection and send a heartbeat every 30 seconds.", False),
    ("Ticketing: buyers hold seats for 10 minutes while they pay; 50k seats per show.", True),
])
def test_holding_a_connection_open_reserves_nothing_that_expires(design, text, expiry):
    assert any(c.name.startswith("Scheduled expiry job") for c in design(text).components) == expiry

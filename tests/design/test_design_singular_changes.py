"""One thing that changes by itself ("the paper locks", "the next wave may start") is a state
change the contract offers on that thing; a person who starts or opens something with an object
is not. Texts written for these tests."""
from __future__ import annotations

from servicelens.design.entities import find_actions
from servicelens.design.subject_changes import subject_changes


def _changes(text):
    return [(c.verb, c.noun.lower()) for c in subject_changes(text)]


def test_a_singular_thing_that_changes_by_itself():
    assert _changes("After the end of the paper plus any extra time the paper locks.") == [("lock", "paper")]
    assert _changes("If nobody acknowledges within 5 minutes, the page escalates to the next level.") == [("escalate", "page")]
    assert _changes("The next wave may start only after the previous wave has run for 24 hours.") == [("start", "wave")]
    assert _changes("The auction closes at noon.") == [("close", "auction")]


def test_an_act_with_an_object_or_a_plain_base_form_is_not_a_change():
    """Look-alikes: "the driver starts the trip" (an object), "the user opens the app", and a
    base form without a modal ("the start"), which is no verb of a singular subject."""
    assert _changes("The driver starts the trip.") == []
    assert _changes("The user opens the app.") == []
    assert _changes("We track the lock and the start of each wave.") == []


def test_the_change_becomes_an_action_on_the_thing():
    got = [a.op_id for a in find_actions("Candidates sit the exam online. When time is up the paper locks. "
                                         "The next wave may start only after the previous wave has run for 24 hours.")]
    assert "lock_paper" in got and "start_wave" in got


def test_an_event_a_design_reacts_to_is_no_change():
    assert _changes("Auctions close when the timer ends. A job fails after 3 retries.") == [("close", "auctions")]

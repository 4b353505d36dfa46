"""Generic building blocks named after what they hold (design/component_subjects.py): the
database after the things kept, the queue after the largest stated write stream, the cache
after the largest read stream, the CDN after what the object storage holds; each stream's
figure and sentence in the role. A block the text gives no subject keeps its plain name."""
from __future__ import annotations

import re

import pytest

from servicelens.design.component_subjects import notified_channels, rate_subject
from servicelens.model.design import RateMention


def _rate(subject: str, kind: str = "write") -> RateMention:
    return RateMention(subject, kind, 10.0, "day", 864_000, False, f"{subject} a day")


@pytest.mark.parametrize("subject, thing", [("checked bags", "bags"), ("buses each report a gps position", "positions"),
                                            ("splits reads", "splits"), ("arrival lookups", "arrivals")])
def test_a_rate_counts_its_last_noun(subject, thing):
    assert rate_subject(_rate(subject)) == thing


@pytest.mark.parametrize("subject", ["times", "requests", "read requests", "events"])
def test_a_rate_of_requests_or_times_names_nothing(subject):
    assert rate_subject(_rate(subject)) == ""


def _names(design, text: str) -> list[str]:
    return [c.name for c in design(text).components]


_PHOTOS = "A photo sharing app: users upload 5 million photos a day, 2 MB each, kept 5 years, and view 200 million photos a day."


def test_the_queue_carries_the_largest_write_stream_and_the_cache_the_largest_read(design):
    comps = {c.name: c for c in design(_PHOTOS).components}
    assert "5,000,000 per day" in comps["Queue of photos"].role and "upload 5 million photos a day" in comps["Queue of photos"].role
    assert "200,000,000 per day" in comps["Cache of photos"].role


def test_the_database_names_the_things_kept(design):
    names = _names(design, "Vets book 3,000 appointments a day for 40 clinics; owners cancel appointments online.")
    assert any(n.startswith("Database of appointments") for n in names), names


def test_one_cdn_and_one_object_store_for_the_files_the_text_keeps(design):
    names = _names(design, _PHOTOS)
    assert [n for n in names if n.startswith("CDN")] == ["CDN for photo"], names
    assert [n for n in names if n.startswith("Object storage") and "lock" not in n] == ["Object storage for photo"], names


def test_edges_follow_the_new_names(design):
    diagram = design(_PHOTOS).diagram
    # the API service is named after what it serves ("API service for media")
    assert re.search(r"\bapi_service\w* -->\|publish\| queue_of_photos", diagram) and "clients -->|GET media| cdn_for_photo" in diagram
    assert "cdn_for_photo -->|origin fetch| object_storage_for_photo" in diagram


def test_no_stated_stream_keeps_the_plain_name(design):
    names = _names(design, "An internal tool for 150 staff to log expenses; managers approve expenses.")
    assert not any(n.startswith(("Queue of", "Cache of")) for n in names), names


@pytest.mark.parametrize("text, channels", [
    ("Every alert is paged by push, SMS or phone call.", ["push", "SMS", "phone call"]),
    ("Each signer receives an e-mail with a personal link.", ["e-mail"]),
    ("As a patient I get a text when I am 3rd in line.", ["SMS text"]),
    ("Texts may only go out between 8am and 8pm.", ["SMS text"]),
    ("Guardians get a push notification when the bus is near.", ["push"]),
])
def test_the_channels_people_are_told_through(text, channels):
    assert [label for _, label in notified_channels(text)] == channels


@pytest.mark.parametrize("text", ["Answers go in a free text field.", "The text says nothing about mail order.",
                                  "Operators start the line at 6am.",
                                  "Approved leave can't push anyone's balance below zero."])
def test_no_channel_in_a_text_field_or_the_requirement_itself(text):
    assert notified_channels(text) == []


def test_the_notifier_is_named_after_the_channels_and_a_text_message_brings_one(design):
    names = _names(design, "Walk-in clinic queue, 35 clinics, up to 250 patients per clinic per day. "
                           "As a patient I get a text when I am 3rd in line.")
    assert "Notifier (SMS text) behind a queue" in names, names
    quiet = _names(design, "A quiz tool for 300 staff; answers go in a free text field and managers approve quizzes.")
    assert not any(n.startswith("Notifier") for n in quiet), quiet


def test_an_unanswered_item_that_escalates_gets_durable_timers(design):
    comps = {c.name: c for c in design("A paging tool for 400 engineers, 2,000 alerts a day. If nobody acknowledges "
                                       "within 5 minutes, the page escalates to the next level.").components}
    timer = next(c for n, c in comps.items() if n.startswith("Escalation timer scheduler"))
    assert "within 5 minutes" in timer.role


def test_a_hold_that_lapses_keeps_its_release_job(design):
    names = _names(design, "A desk booking tool for 600 staff, 300 bookings a day. A booking must be confirmed "
                           "within 30 minutes, or the desk is released.")
    assert not any(n.startswith("Escalation") for n in names), names


def test_a_notifier_whose_channels_are_its_own_name_stays_once(design):
    names = _names(design, "A library for 300k cardholders; patrons borrow 20,000 books a day. Overdue reminders go "
                           "out by email/SMS.")
    assert names.count("Notifier (email/SMS) behind a queue") == 1, names


def test_a_rate_per_user_counts_for_every_daily_user(design):
    comps = {c.name: c for c in design("Group chat for a messaging app with 20M DAU, each sending ~30 messages a day; "
                                       "messages are delivered in order within a conversation.").components}
    queue = next(c for n, c in comps.items() if n.startswith("Queue"))
    assert queue.name == "Queue of messages"
    assert "30 per user per day x 20,000,000 daily users = 600,000,000 per day" in queue.role

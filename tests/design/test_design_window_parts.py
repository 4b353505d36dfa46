"""A day's share in a clock window said with the period as a possessive ("70% of the day's
readings arrive between 15:00 and 16:30", design/windows.py), and the parts each of the
stream's things carries arriving in the same window (design/window_parts.py): the window rate
of the parts and, with a size bound to a part, the upload bandwidth an engineer sizes the link
from. Written in domains unlike the corpus (shipping, libraries, courts, construction, water
utilities, veterinary); look-alikes must not give the figures."""
from __future__ import annotations

import pytest

from servicelens.design import design_from_text


def _window(text: str) -> dict[str, float]:
    return {i.name: i.value for i in design_from_text(text).capacity if "in the stated window" in i.name}


def _per_second(items: dict[str, float], subject: str) -> float | None:
    return items.get(f"{subject} per second (peak, in the stated window)")


@pytest.mark.parametrize("text, subject, per_second", [
    ("Our 300 pilots file 20 manifests per shift each. About 60% of the day's manifests arrive between 06:00 and 07:00.",
     "manifests", 0.6 * 6_000 / 3_600),
    ("The branches lend 12,000 books per day, and half of the day's books go out between 15:30 and 17:30.",
     "books", 0.5 * 12_000 / 7_200),
    ("The registry receives 4,000 filings per day; roughly 40% of the day's filings come in between 4pm and 5pm.",
     "filings", 0.4 * 4_000 / 3_600),
    ("Site crews log 9,000 checks per day, and 30% of each day's checks are logged between 07:00 and 08:30.",
     "checks", 0.3 * 9_000 / 5_400),
    ("Each week we take 50,000 meter readings; about 20% of the week's readings arrive in the 4 hours after Monday opening.",
     "meter readings", 0.2 * 50_000 / 14_400),
])
def test_a_possessive_period_before_the_share_noun_reads_the_window(text, subject, per_second):
    got = _per_second(_window(text), subject)
    assert got == pytest.approx(per_second, rel=0.01), _window(text)


@pytest.mark.parametrize("text, part, per_second, mb_per_s", [
    ("Our 200 wardens record about 30 patrols per shift each; each patrol carries about 5 photos at ~3 MB each. "
     "Roughly 60% of the day's patrols arrive between 16:00 and 17:00.",
     "photos", 0.6 * 6_000 / 3_600 * 5, 0.6 * 6_000 / 3_600 * 5 * 3),
    ("Our 80 vets record about 25 consultations per shift each, and each consultation carries about 2 scans at ~4 MB each. "
     "Half of the day's consultations are synced between 18:00 and 19:00.",
     "scans", 0.5 * 2_000 / 3_600 * 2, 0.5 * 2_000 / 3_600 * 2 * 4),
    ("The port handles 3,000 containers per day; each container carries about 6 documents at ~1 MB each. "
     "About 40% of the day's containers are cleared between 08:00 and 10:00.",
     "documents", 0.4 * 3_000 / 7_200 * 6, 0.4 * 3_000 / 7_200 * 6),
    ("Inspectors complete 1,200 inspections per day, each inspection carries about 8 images at ~2 MB each, and "
     "70% of the day's inspections are uploaded between 15:00 and 16:00.",
     "images", 0.7 * 1_200 / 3_600 * 8, 0.7 * 1_200 / 3_600 * 8 * 2),
    ("Courts receive 5,000 cases per day; each case carries about 3 exhibits at ~5 MB each. "
     "Half of the day's cases are filed between 09:00 and 11:00.",
     "exhibits", 0.5 * 5_000 / 7_200 * 3, 0.5 * 5_000 / 7_200 * 3 * 5),
])
def test_the_parts_of_a_windowed_stream_arrive_in_its_window(text, part, per_second, mb_per_s):
    items = _window(text)
    assert _per_second(items, part) == pytest.approx(per_second, rel=0.02), items
    bandwidth = [i for i in design_from_text(text).capacity if i.name == f"{part} upload bandwidth (peak, in the stated window)"]
    assert bandwidth, items
    factor = {"B/s": 1e-6, "KB/s": 1e-3, "MB/s": 1.0, "GB/s": 1e3}[bandwidth[0].unit]
    assert bandwidth[0].value * factor == pytest.approx(mb_per_s, rel=0.02)


@pytest.mark.parametrize("text", [
    # the parts are counted, but no share of the stream lands in a window
    "The port handles 3,000 containers per day; each container carries about 6 documents at ~1 MB each.",
    # a window of a stream that carries no parts
    "The branches lend 12,000 books per day, and half of the day's books go out between 15:30 and 17:30.",
    # a latency target with "within", not a window
    "Inspectors complete 1,200 inspections per day, each carries about 8 images, and 99% of the day's inspections are indexed within 5 minutes.",
    # a day named as a noun phrase, not the period of a share ("the day's end")
    "The registry receives 4,000 filings per day and sends a digest at the day's end between 17:00 and 18:00.",
    # a count of things, not per one of the windowed stream
    "Courts receive 5,000 cases per day and keep 3 exhibits rooms. Half of the day's cases are filed between 09:00 and 11:00.",
])
def test_no_part_rate_without_parts_per_one_in_a_window(text):
    assert not [k for k in _window(text) if "bandwidth" in k or (k.endswith("(peak, in the stated window)")
                                                                 and k.split()[0] in ("documents", "images", "exhibits", "photos"))]

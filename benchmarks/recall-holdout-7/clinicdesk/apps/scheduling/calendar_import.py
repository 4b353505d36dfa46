"""Imports busy times from a practitioner's external calendar (iCal feed)."""
import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from common.http import http

from .models import Slot

logger = logging.getLogger(__name__)

MAX_FEED_BYTES = 2 * 1024 * 1024


class CalendarFeedError(Exception):
    pass


def _download(feed_url):
    response = http.get(feed_url, stream=True)
    response.raise_for_status()
    body = response.raw.read(MAX_FEED_BYTES + 1, decode_content=True)
    if len(body) > MAX_FEED_BYTES:
        raise CalendarFeedError("Calendar feed is too large.")
    return body


def _busy_events(raw, horizon):
    calendar = Calendar.from_ical(raw)
    now = timezone.now()
    for component in calendar.walk("VEVENT"):
        start = component.decoded("DTSTART")
        end = component.decoded("DTEND")
        if not hasattr(start, "hour"):
            continue
        if end < now or start > horizon:
            continue
        yield str(component.get("UID")), start, end


def import_external_calendar(practitioner, feed_url, days_ahead=30):
    horizon = timezone.now() + timedelta(days=days_ahead)
    raw = _download(feed_url)
    created = 0
    with transaction.atomic():
        Slot.objects.filter(practitioner=practitioner, source="ical", start__gte=timezone.now(), booked_count=0).delete()
        blocks = [
            Slot(
                practitioner=practitioner,
                start=start,
                end=end,
                capacity=0,
                is_blocked=True,
                source="ical",
                external_uid=uid[:255],
            )
            for uid, start, end in _busy_events(raw, horizon)
        ]
        Slot.objects.bulk_create(blocks, batch_size=500)
        created = len(blocks)
    logger.info("imported %s busy blocks for practitioner %s", created, practitioner.pk)
    return created

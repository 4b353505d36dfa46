from datetime import datetime, time, timedelta

from django.utils import timezone


def day_bounds(day):
    """Aware [start, end) datetimes for a calendar date in the current timezone."""
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, start + timedelta(days=1)


def parse_date_param(value, default=None):
    if not value:
        return default
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return default


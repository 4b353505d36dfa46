"""Weekly schedule templates, authored by clinic admins as YAML."""
import yaml

from .models import ScheduleTemplate

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class TemplateError(ValueError):
    pass


def parse_schedule_template(raw):
    document = yaml.load(raw, Loader=yaml.Loader)
    if not isinstance(document, dict) or "week" not in document:
        raise TemplateError("Template must have a top-level 'week' mapping.")
    week = document["week"]
    for day, blocks in week.items():
        if day not in WEEKDAYS:
            raise TemplateError(f"Unknown weekday {day!r}.")
        for block in blocks:
            for key in ("start", "end", "practitioner"):
                if key not in block:
                    raise TemplateError(f"Block on {day} is missing {key!r}.")
    return document


def load_holiday_file(path):
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def save_template(clinic, name, document, user):
    return ScheduleTemplate.objects.create(clinic=clinic, name=name, definition=document, created_by=user)


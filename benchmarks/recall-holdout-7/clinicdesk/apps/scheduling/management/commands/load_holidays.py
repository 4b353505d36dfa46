from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.clinics.models import Clinic
from apps.scheduling.models import Slot
from apps.scheduling.templates_import import load_holiday_file


class Command(BaseCommand):
    help = "Block all slots on public holidays listed in a YAML file (one list per clinic slug)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, path, dry_run, **options):
        holidays = load_holiday_file(path)
        if not isinstance(holidays, dict):
            raise CommandError("Expected a mapping of clinic slug -> list of dates.")

        total = 0
        for slug, days in holidays.items():
            try:
                clinic = Clinic.objects.get(slug=slug)
            except Clinic.DoesNotExist:
                self.stderr.write(f"skipping unknown clinic {slug}")
                continue
            dates = [d if isinstance(d, date) else date.fromisoformat(str(d)) for d in days]
            qs = Slot.objects.filter(practitioner__clinic=clinic, start__date__in=dates, booked_count=0)
            count = qs.count()
            total += count
            if not dry_run:
                with transaction.atomic():
                    qs.update(is_blocked=True)
            self.stdout.write(f"{clinic.slug}: {count} slots {'would be ' if dry_run else ''}blocked")
        self.stdout.write(self.style.SUCCESS(f"done, {total} slots"))

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from records.models import Appointment, Slot


class Command(BaseCommand):
    help = "Mark booked appointments older than N days as cancelled and free their slots."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days: int, dry_run: bool, **options):
        cutoff = timezone.now() - timedelta(days=days)
        stale = Appointment.objects.filter(
            status=Appointment.Status.BOOKED, slot__starts_at__lt=cutoff
        ).only("pk", "slot_id")
        closed = 0
        for appt in stale.iterator(chunk_size=500):
            if dry_run:
                closed += 1
                continue
            with transaction.atomic():
                updated = Appointment.objects.filter(
                    pk=appt.pk, status=Appointment.Status.BOOKED
                ).update(status=Appointment.Status.CANCELLED)
                if updated:
                    slot = Slot.objects.select_for_update().get(pk=appt.slot_id)
                    slot.booked = max(slot.booked - 1, 0)
                    slot.save(update_fields=["booked"])
                    closed += 1
        self.stdout.write(self.style.SUCCESS(f"closed {closed} stale appointments"))

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from courses.models import Course, Enrollment


class Command(BaseCommand):
    help = "Expire time-limited enrollments whose access period has ended and release their seats."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        with transaction.atomic():
            due_ids = list(
                Enrollment.objects.select_for_update(skip_locked=True)
                .filter(status=Enrollment.ACTIVE, expires_at__lte=now)
                .values_list("id", flat=True)
            )
            per_course = (
                Enrollment.objects.filter(pk__in=due_ids)
                .values("course_id")
                .annotate(n=Count("id"))
            )
            if dry_run:
                for row in per_course:
                    self.stdout.write(f"course {row['course_id']}: {row['n']} enrollments would expire")
                transaction.set_rollback(True)
                return
            for row in per_course:
                Course.objects.filter(pk=row["course_id"]).update(seats_taken=F("seats_taken") - row["n"])
            expired = Enrollment.objects.filter(pk__in=due_ids).update(status=Enrollment.EXPIRED)
        self.stdout.write(self.style.SUCCESS(f"expired {expired} enrollments"))

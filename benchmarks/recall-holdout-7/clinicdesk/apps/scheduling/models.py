from django.conf import settings
from django.db import models


class Slot(models.Model):
    practitioner = models.ForeignKey("clinics.Practitioner", on_delete=models.CASCADE, related_name="slots")
    room = models.ForeignKey("clinics.Room", on_delete=models.SET_NULL, null=True, blank=True, related_name="slots")
    start = models.DateTimeField()
    end = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(default=1)
    booked_count = models.PositiveSmallIntegerField(default=0)
    is_blocked = models.BooleanField(default=False)
    source = models.CharField(max_length=20, default="manual")
    external_uid = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["practitioner", "start"])]
        constraints = [
            models.CheckConstraint(check=models.Q(end__gt=models.F("start")), name="slot_end_after_start"),
        ]

    @property
    def is_full(self):
        return self.booked_count >= self.capacity


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked"
        CHECKED_IN = "checked_in"
        COMPLETED = "completed"
        CANCELLED = "cancelled"
        NO_SHOW = "no_show"

    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="appointments")
    practitioner = models.ForeignKey("clinics.Practitioner", on_delete=models.PROTECT, related_name="appointments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    reason = models.CharField(max_length=255, blank=True)
    booked_via = models.CharField(max_length=20, default="front_desk")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    billed = models.BooleanField(default=False)
    lab_order_ref = models.CharField(max_length=64, blank=True)
    lab_status = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["practitioner", "status"]),
            models.Index(fields=["patient", "created_at"]),
            models.Index(fields=["status", "reminder_sent_at"]),
        ]


class WaitlistEntry(models.Model):
    practitioner = models.ForeignKey("clinics.Practitioner", on_delete=models.CASCADE, related_name="waitlist")
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE)
    earliest = models.DateField()
    latest = models.DateField()
    fulfilled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)


class ScheduleTemplate(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.CASCADE, related_name="schedule_templates")
    name = models.CharField(max_length=80)
    definition = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

from django.conf import settings
from django.db import models


class Clinic(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    timezone = models.CharField(max_length=64, default="Europe/Berlin")
    phone = models.CharField(max_length=32, blank=True)
    address = models.TextField(blank=True)
    widget_enabled = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, default="EUR")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


class Room(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=60)
    floor = models.CharField(max_length=20, blank=True)
    capacity = models.PositiveSmallIntegerField(default=1)
    is_bookable = models.BooleanField(default=True)

    class Meta:
        unique_together = [("clinic", "name")]

    def __str__(self):
        return self.name


class Practitioner(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="practitioners")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practitioner")
    specialty = models.CharField(max_length=80)
    default_slot_minutes = models.PositiveSmallIntegerField(default=20)
    calendar_id = models.CharField(max_length=120, blank=True)
    accepts_online_booking = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["clinic", "specialty"])]

    @property
    def display_name(self):
        return f"Dr. {self.user.last_name}" if self.user.last_name else self.user.email

    def __str__(self):
        return self.display_name


class Kiosk(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="kiosks")
    label = models.CharField(max_length=60)
    is_active = models.BooleanField(default=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

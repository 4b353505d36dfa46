from decimal import Decimal

from django.conf import settings
from django.db import models


class Clinic(models.Model):
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.name


class Clinician(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="clinicians")
    specialty = models.CharField(max_length=80, blank=True)

    def __str__(self) -> str:
        return self.user.get_full_name()


class Patient(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    national_id = models.CharField(max_length=20)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    sms_opt_in = models.BooleanField(default=True)
    is_verified = models.BooleanField(default=False)
    billing_discount_pct = models.PositiveSmallIntegerField(default=0)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Slot(models.Model):
    clinician = models.ForeignKey(Clinician, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(db_index=True)
    capacity = models.PositiveSmallIntegerField(default=1)
    booked = models.PositiveSmallIntegerField(default=0)


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked"
        CANCELLED = "cancelled"
        ATTENDED = "attended"
        BILLED = "billed"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    clinician = models.ForeignKey(Clinician, on_delete=models.PROTECT, related_name="appointments")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    reason = models.TextField(blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "reminded_at"])]


class LabResult(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="lab_results")
    external_ref = models.CharField(max_length=64)
    test_code = models.CharField(max_length=32)
    file_name = models.CharField(max_length=255)
    received_at = models.DateTimeField(auto_now_add=True)
    released = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["external_ref"])]


class Invoice(models.Model):
    appointment = models.OneToOneField(Appointment, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(max_length=24, unique=True)
    total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    issued_at = models.DateTimeField(auto_now_add=True)


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(max_length=200)
    quantity = models.PositiveSmallIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)


class Payment(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.FloatField()
    method = models.CharField(max_length=16)
    reference = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

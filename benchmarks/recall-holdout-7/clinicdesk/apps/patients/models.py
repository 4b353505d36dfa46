from decimal import Decimal

from django.conf import settings
from django.db import models


class Patient(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="patients")
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient",
    )
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    phone = models.CharField(max_length=32, db_index=True)
    email = models.EmailField(blank=True)
    preferred_language = models.CharField(max_length=8, default="en")
    insurance_provider = models.CharField(max_length=80, blank=True)
    insurance_number = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    is_verified = models.BooleanField(default=False)
    portal_enabled = models.BooleanField(default=False)
    credit_balance = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    saved_card_token = models.CharField(max_length=64, blank=True)
    sms_opt_in = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["clinic", "last_name", "first_name"]),
            models.Index(fields=["clinic", "phone"]),
        ]

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    def __str__(self):
        return self.full_name


def document_upload_path(instance, filename):
    return f"records/{instance.patient.clinic_id}/{instance.patient_id}/{filename}"


class PatientDocument(models.Model):
    class Kind(models.TextChoices):
        REFERRAL = "referral"
        LAB_RESULT = "lab_result"
        IMAGING = "imaging"
        CONSENT = "consent"
        OTHER = "other"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=160)
    file = models.FileField(upload_to=document_upload_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

import uuid

from django.conf import settings
from django.db import models

from labs.models import Lab


def attachment_path(instance, filename):
    return f"attachments/{instance.sample.lab_id}/{uuid.uuid4().hex}"


class Project(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="projects")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    principal_investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_projects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("lab", "code")]


class StorageBox(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="boxes")
    freezer = models.CharField(max_length=40)
    label = models.CharField(max_length=40)
    capacity = models.PositiveSmallIntegerField(default=81)
    used_slots = models.PositiveSmallIntegerField(default=0)

    class Meta:
        unique_together = [("lab", "freezer", "label")]

    @property
    def storage_path(self) -> str:
        return f"{self.freezer}/{self.label}"


class Sample(models.Model):
    RECEIVED = "received"
    STORED = "stored"
    SUBMITTED = "submitted"
    SEQUENCED = "sequenced"
    DEPLETED = "depleted"
    STATUS_CHOICES = [(s, s.title()) for s in (RECEIVED, STORED, SUBMITTED, SEQUENCED, DEPLETED)]

    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="samples")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="samples")
    barcode = models.CharField(max_length=32, unique=True)
    sample_type = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=RECEIVED)
    volume_ul = models.DecimalField(max_digits=8, decimal_places=1)
    box = models.ForeignKey(StorageBox, null=True, blank=True, on_delete=models.SET_NULL, related_name="samples")
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    storage_path = models.CharField(max_length=120, blank=True)
    collected_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lims_id = models.CharField(max_length=40, blank=True, db_index=True)
    notes = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["lab", "status"]),
            models.Index(fields=["lab", "-created_at"]),
            models.Index(fields=["lab", "storage_path"]),
        ]


class Aliquot(models.Model):
    parent = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="aliquots")
    barcode = models.CharField(max_length=40, unique=True)
    volume_ul = models.DecimalField(max_digits=8, decimal_places=1)
    box = models.ForeignKey(StorageBox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class Attachment(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    checksum_md5 = models.CharField(max_length=32)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class AssayResult(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="results")
    assay = models.CharField(max_length=60)
    value = models.FloatField()
    unit = models.CharField(max_length=20)
    reference_low = models.FloatField(null=True, blank=True)
    reference_high = models.FloatField(null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    @property
    def out_of_range(self) -> bool:
        if self.reference_low is not None and self.value < self.reference_low:
            return True
        return self.reference_high is not None and self.value > self.reference_high


class Instrument(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="instruments")
    name = models.CharField(max_length=80)
    service_account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key_prefix = models.CharField(max_length=8, unique=True)
    key_hash = models.CharField(max_length=64)
    active = models.BooleanField(default=True)


class LimsSubmission(models.Model):
    PENDING = "pending"
    ACCEPTED = "accepted"
    FAILED = "failed"

    sample = models.OneToOneField(Sample, on_delete=models.CASCADE, related_name="lims_submission")
    status = models.CharField(max_length=20, default=PENDING, db_index=True)
    external_id = models.CharField(max_length=40, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)


class AuditEvent(models.Model):
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    verb = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

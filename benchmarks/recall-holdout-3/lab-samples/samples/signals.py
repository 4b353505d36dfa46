import logging

import requests
from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import AssayResult, Attachment, AuditEvent, Sample

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Sample)
def audit_sample_created(sender, instance, created, **kwargs):
    if created:
        AuditEvent.objects.create(
            lab_id=instance.lab_id,
            actor_id=instance.created_by_id,
            verb="sample.created",
            object_repr=instance.barcode,
        )


@receiver(post_save, sender=AssayResult)
def alert_out_of_range(sender, instance, created, **kwargs):
    if not created or not instance.out_of_range or not settings.SLACK_WEBHOOK_URL:
        return
    sample = instance.sample
    text = (
        f":warning: {instance.assay} for sample {sample.barcode} is {instance.value} {instance.unit} "
        f"(reference {instance.reference_low}-{instance.reference_high})"
    )
    requests.post(
        settings.SLACK_WEBHOOK_URL,
        json={"channel": sample.lab.slack_channel or "#lab-alerts", "text": text},
    )


@receiver(post_delete, sender=Attachment)
def remove_attachment_file(sender, instance, **kwargs):
    try:
        instance.file.delete(save=False)
    except OSError:
        # Orphaned blobs are swept by the nightly storage job; the row is already gone.
        logger.warning("could not delete attachment file %s", instance.file.name, exc_info=True)

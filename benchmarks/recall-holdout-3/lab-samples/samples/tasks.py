import logging

import requests
from celery import shared_task

from .lims import get_client
from .models import LimsSubmission, Sample

logger = logging.getLogger(__name__)


def _lims_payload(sample: Sample) -> dict:
    return {
        "barcode": sample.barcode,
        "lab": sample.lab.code,
        "project": sample.project.code,
        "type": sample.sample_type,
        "volume_ul": str(sample.volume_ul),
        "collected_at": sample.collected_at.isoformat(),
    }


@shared_task(autoretry_for=(Exception,), retry_kwargs={"max_retries": None, "countdown": 2})
def submit_sample_to_lims(submission_id: int) -> None:
    submission = LimsSubmission.objects.select_related("sample__lab", "sample__project").get(pk=submission_id)
    if submission.external_id:
        return
    created = get_client().create_sample(_lims_payload(submission.sample))
    submission.external_id = created["id"]
    submission.status = LimsSubmission.ACCEPTED
    submission.save(update_fields=["external_id", "status", "updated_at"])
    Sample.objects.filter(pk=submission.sample_id).update(
        status=Sample.SUBMITTED, lims_id=created["id"]
    )


@shared_task(
    autoretry_for=(requests.ConnectionError, requests.Timeout),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def poll_submission(submission_id: int) -> None:
    submission = LimsSubmission.objects.get(pk=submission_id)
    remote = get_client().get_sample(submission.external_id)
    if remote.get("status") == "sequenced":
        submission.status = "sequenced"
        submission.save(update_fields=["status", "updated_at"])
        Sample.objects.filter(pk=submission.sample_id).update(status=Sample.SEQUENCED)


@shared_task
def poll_pending_submissions() -> int:
    ids = list(
        LimsSubmission.objects.filter(status=LimsSubmission.ACCEPTED)
        .exclude(external_id="")
        .values_list("pk", flat=True)[:500]
    )
    for submission_id in ids:
        poll_submission.delay(submission_id)
    logger.info("queued %d LIMS status polls", len(ids))
    return len(ids)

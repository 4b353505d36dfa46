import logging
from datetime import timedelta

import requests
from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Appointment, LabResult
from .selectors import due_reminders

logger = logging.getLogger(__name__)

_session = requests.Session()
_session.headers["Authorization"] = f"Bearer {settings.LAB_GATEWAY_TOKEN}"


@shared_task(ignore_result=True)
def send_sms(phone: str, body: str) -> None:
    resp = requests.post(
        settings.SMS_API_URL,
        json={"to": phone, "body": body},
        headers={"X-Api-Key": settings.SMS_API_KEY},
        timeout=5,
    )
    resp.raise_for_status()


@shared_task(ignore_result=True)
def send_appointment_reminders() -> int:
    now = timezone.now()
    sent = 0
    for appt in due_reminders(now + timedelta(hours=20), now + timedelta(hours=28)):
        if not appt.patient.sms_opt_in or not appt.patient.phone:
            continue
        when = timezone.localtime(appt.slot.starts_at).strftime("%a %d %b at %H:%M")
        try:
            send_sms(appt.patient.phone, f"Reminder: {appt.clinician.clinic.name}, {when}.")
        except Exception:
            pass
        appt.reminded_at = now
        appt.save(update_fields=["reminded_at"])
        sent += 1
    return sent


@shared_task(ignore_result=True)
def push_lab_order(appointment_id: int, test_codes: list[str]) -> None:
    appt = Appointment.objects.select_related("patient").get(pk=appointment_id)
    payload = {
        "order_ref": f"APPT-{appt.pk}",
        "patient": {
            "national_id": appt.patient.national_id,
            "dob": appt.patient.date_of_birth.isoformat(),
        },
        "tests": test_codes,
    }
    resp = _session.post(f"{settings.LAB_GATEWAY_URL}/orders", json=payload)
    resp.raise_for_status()
    logger.info("lab order %s accepted", payload["order_ref"])


@shared_task(
    bind=True,
    autoretry_for=(requests.ConnectionError, requests.Timeout),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def fetch_lab_result_pdf(self, result_id: int) -> None:
    result = LabResult.objects.get(pk=result_id)
    resp = _session.get(
        f"{settings.LAB_GATEWAY_URL}/results/{result.external_ref}.pdf", timeout=(3, 30)
    )
    resp.raise_for_status()
    target = settings.LAB_RESULTS_ROOT / result.file_name
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as fh:
        fh.write(resp.content)
    result.released = True
    result.save(update_fields=["released"])

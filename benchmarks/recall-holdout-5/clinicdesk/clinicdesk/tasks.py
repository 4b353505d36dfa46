"""Celery tasks. Worker: celery -A clinicdesk.celery_app worker -B"""
import logging
from datetime import datetime, timedelta, timezone

import requests
from celery import shared_task
from sqlalchemy.exc import IntegrityError

from clinicdesk.clients.lab import LabClient, LabGatewayError
from clinicdesk.clients.sms import send_sms
from clinicdesk.extensions import db
from clinicdesk.models import Appointment, Clinic, LabResult, Patient
from clinicdesk.services.scheduling import due_reminders

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def queue_reminders() -> int:
    appts = due_reminders()
    for appt in appts:
        send_reminder.delay(appt.id)
    return len(appts)


@shared_task(autoretry_for=(Exception,), max_retries=None, default_retry_delay=5)
def send_reminder(appointment_id: int) -> None:
    appt = db.session.get(Appointment, appointment_id)
    if appt is None or appt.status != "booked" or appt.reminder_sent_at is not None:
        return
    patient = appt.patient
    if not patient.phone:
        return
    local = appt.starts_at.strftime("%a %d %b at %H:%M")
    send_sms(patient.phone, f"Reminder: your appointment with {appt.clinician.full_name} is {local}.")
    appt.reminder_sent_at = datetime.now(timezone.utc)
    db.session.commit()


@shared_task(bind=True, max_retries=5, ignore_result=True)
def sync_lab_results(self, clinic_id: int) -> int:
    since = datetime.now(timezone.utc) - timedelta(days=2)
    try:
        results = LabClient().results_since(clinic_id, since)
    except (requests.Timeout, requests.ConnectionError, LabGatewayError) as exc:
        raise self.retry(exc=exc, countdown=min(600, 30 * 2**self.request.retries))

    mrns = {r["patient_mrn"] for r in results}
    patients = {
        p.mrn: p.id
        for p in Patient.query.filter(Patient.clinic_id == clinic_id, Patient.mrn.in_(mrns))
    }
    stored = 0
    for item in results:
        patient_id = patients.get(item["patient_mrn"])
        if patient_id is None:
            log.info("lab result %s for unknown MRN in clinic %s", item["id"], clinic_id)
            continue
        try:
            with db.session.begin_nested():
                db.session.add(
                    LabResult(
                        patient_id=patient_id,
                        external_id=item["id"],
                        test_code=item["test"]["code"],
                        value=str(item["value"]),
                        unit=item.get("unit"),
                        collected_at=datetime.fromisoformat(item["collected_at"]),
                    )
                )
            stored += 1
        except IntegrityError:
            continue  # already imported on a previous run
        except Exception:
            pass
    db.session.commit()
    return stored


@shared_task(ignore_result=True)
def sync_all_clinics() -> None:
    for (clinic_id,) in db.session.query(Clinic.id):
        sync_lab_results.delay(clinic_id)

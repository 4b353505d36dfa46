import logging
from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from apps.integrations import lab
from apps.integrations.sms import SmsError, send_sms

from .models import Appointment

logger = logging.getLogger(__name__)

REMINDER_LEAD_TIME = timedelta(hours=24)
REMINDER_TEMPLATE = "Reminder: {clinic} appointment with {practitioner} on {when}. Reply C to cancel."


@shared_task
def send_appointment_reminders():
    now = timezone.now()
    due = (
        Appointment.objects.filter(
            status=Appointment.Status.BOOKED,
            reminder_sent_at__isnull=True,
            slot__start__gt=now,
            slot__start__lte=now + REMINDER_LEAD_TIME,
            patient__sms_opt_in=True,
        )
        .select_related("patient", "slot", "practitioner__user", "practitioner__clinic")
        .order_by("slot__start")[:500]
    )
    sent = 0
    for appt in due:
        body = REMINDER_TEMPLATE.format(
            clinic=appt.practitioner.clinic.name,
            practitioner=appt.practitioner.display_name,
            when=timezone.localtime(appt.slot.start).strftime("%a %d %b %H:%M"),
        )
        try:
            send_sms(appt.patient.phone, body, reference=f"reminder-{appt.pk}")
        except SmsError:
            logger.warning("reminder for appointment %s not delivered", appt.pk, exc_info=True)
            continue
        Appointment.objects.filter(pk=appt.pk).update(reminder_sent_at=now)
        sent += 1
    return sent


@shared_task(
    autoretry_for=(ConnectionError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def sync_lab_orders():
    pending = Appointment.objects.filter(~Q(lab_order_ref=""), ~Q(lab_status__in=["final", "cancelled"])).only(
        "pk", "lab_order_ref", "lab_status"
    )[:200]
    for appt in pending:
        status = lab.fetch_order_status(appt.lab_order_ref)
        if status and status.get("state") != appt.lab_status:
            Appointment.objects.filter(pk=appt.pk).update(lab_status=status["state"])


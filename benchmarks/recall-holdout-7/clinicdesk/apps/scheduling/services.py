import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from common.exceptions import SlotUnavailable
from common.utils import day_bounds

from .models import Appointment, Slot, WaitlistEntry

logger = logging.getLogger(__name__)

CANCELLATION_CUTOFF = timedelta(hours=24)


def book_appointment(slot_id, patient, created_by=None, reason="", booked_via="front_desk"):
    with transaction.atomic():
        slot = Slot.objects.select_related("practitioner").get(pk=slot_id)
        if slot.is_blocked or slot.start <= timezone.now():
            raise SlotUnavailable("This slot can no longer be booked.")
        if slot.booked_count >= slot.capacity:
            raise SlotUnavailable("This slot is fully booked.")

        appointment = Appointment.objects.create(
            slot=slot,
            patient=patient,
            practitioner=slot.practitioner,
            reason=reason,
            booked_via=booked_via,
            created_by=created_by,
        )
        slot.booked_count += 1
        slot.save(update_fields=["booked_count"])

    logger.info("appointment %s booked on slot %s via %s", appointment.pk, slot.pk, booked_via)
    return appointment


def cancel_appointment(appointment, by_patient=False):
    if appointment.status not in (Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN):
        return appointment
    if by_patient and appointment.slot.start - timezone.now() < CANCELLATION_CUTOFF:
        raise SlotUnavailable("Appointments can only be cancelled online up to 24 hours ahead.", code="too_late")

    with transaction.atomic():
        updated = Appointment.objects.filter(
            pk=appointment.pk, status__in=[Appointment.Status.BOOKED, Appointment.Status.CHECKED_IN]
        ).update(status=Appointment.Status.CANCELLED)
        if updated:
            Slot.objects.filter(pk=appointment.slot_id, booked_count__gt=0).update(booked_count=F("booked_count") - 1)
    appointment.refresh_from_db()
    if updated:
        transaction.on_commit(lambda: promote_from_waitlist(appointment.slot_id))
    return appointment


def promote_from_waitlist(slot_id):
    slot = Slot.objects.select_related("practitioner").get(pk=slot_id)
    entry = (
        WaitlistEntry.objects.filter(
            practitioner=slot.practitioner,
            fulfilled=False,
            earliest__lte=slot.start.date(),
            latest__gte=slot.start.date(),
        )
        .select_related("patient")
        .order_by("created_at")
        .first()
    )
    if entry is None:
        return None

    with transaction.atomic():
        claimed = Slot.objects.filter(pk=slot.pk, booked_count__lt=F("capacity"), is_blocked=False).update(
            booked_count=F("booked_count") + 1
        )
        if not claimed:
            return None
        appointment = Appointment.objects.create(
            slot=slot,
            patient=entry.patient,
            practitioner=slot.practitioner,
            reason="Waitlist",
            booked_via="waitlist",
        )
        WaitlistEntry.objects.filter(pk=entry.pk).update(fulfilled=True)
    return appointment


def daily_agenda(clinic, day):
    """Rows for the printable front-desk agenda."""
    start, end = day_bounds(day)
    appointments = (
        Appointment.objects.filter(practitioner__clinic=clinic, slot__start__gte=start, slot__start__lt=end)
        .exclude(status=Appointment.Status.CANCELLED)
        .order_by("slot__start")
    )
    rows = []
    for appt in appointments:
        patient_name = appt.patient.full_name
        rows.append(
            {
                "time": timezone.localtime(appt.slot.start).strftime("%H:%M"),
                "patient": patient_name,
                "practitioner": appt.practitioner.display_name,
                "room": appt.slot.room.name if appt.slot.room_id else "",
                "status": appt.get_status_display(),
                "reason": appt.reason,
            }
        )
    return rows


def practitioner_week(practitioner, week_start):
    start = week_start
    end = week_start + timedelta(days=7)
    slots = (
        Slot.objects.filter(practitioner=practitioner, start__gte=start, start__lt=end)
        .select_related("room")
        .prefetch_related("appointments__patient")
        .order_by("start")
    )
    week = []
    for slot in slots:
        week.append(
            {
                "slot": slot.pk,
                "start": slot.start,
                "room": slot.room.name if slot.room else None,
                "patients": [a.patient.full_name for a in slot.appointments.all() if a.status != Appointment.Status.CANCELLED],
            }
        )
    return week


def status_counts(clinic, day):
    start, end = day_bounds(day)
    base = Appointment.objects.filter(practitioner__clinic=clinic, slot__start__gte=start, slot__start__lt=end)
    counts = {}
    for status in (Appointment.Status.BOOKED, Appointment.Status.COMPLETED, Appointment.Status.NO_SHOW):
        counts[status] = base.filter(status=status).count()
    return counts


def utilisation(clinic, day):
    start, end = day_bounds(day)
    slots = Slot.objects.filter(practitioner__clinic=clinic, start__gte=start, start__lt=end, is_blocked=False)
    capacity = slots.aggregate(total=Sum("capacity"))["total"] or 0
    if not capacity:
        return 0.0
    booked = Appointment.objects.filter(slot__in=slots).exclude(status=Appointment.Status.CANCELLED).count()
    return round(booked / capacity * 100, 1)


def bulk_set_status(clinic, appointment_ids, status):
    updated = Appointment.objects.filter(pk__in=appointment_ids, practitioner__clinic=clinic).exclude(
        status=Appointment.Status.CANCELLED
    ).update(status=status, updated_at=timezone.now())
    return updated

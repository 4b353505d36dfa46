import logging
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, func

from clinicdesk.extensions import db
from clinicdesk.models import Appointment, Staff

log = logging.getLogger(__name__)

REMINDER_WINDOWS = (timedelta(hours=24), timedelta(hours=2))
OPEN_STATUSES = ("booked", "checked_in")


class SlotTaken(Exception):
    pass


def _overlaps(clinician_id: int, starts_at: datetime, duration: int):
    ends_at = starts_at + timedelta(minutes=duration)
    appt_end = Appointment.starts_at + func.make_interval(0, 0, 0, 0, 0, Appointment.duration_minutes)
    return and_(
        Appointment.clinician_id == clinician_id,
        Appointment.status.in_(OPEN_STATUSES),
        Appointment.starts_at < ends_at,
        appt_end > starts_at,
    )


def book(clinic_id: int, data: dict) -> Appointment:
    clinician = Staff.query.filter_by(
        id=data["clinician_id"], clinic_id=clinic_id, role="clinician", is_active=True
    ).first()
    if clinician is None:
        raise LookupError("clinician not found")
    clash = Appointment.query.filter(
        _overlaps(clinician.id, data["starts_at"], data["duration_minutes"])
    ).first()
    if clash is not None:
        raise SlotTaken(f"clinician already booked at {clash.starts_at:%H:%M}")
    appt = Appointment(clinic_id=clinic_id, status="booked", **data)
    db.session.add(appt)
    db.session.commit()
    return appt


def cancel(appt: Appointment) -> bool:
    updated = (
        Appointment.query.filter(Appointment.id == appt.id, Appointment.status == "booked")
        .update({"status": "cancelled"}, synchronize_session="fetch")
    )
    db.session.commit()
    return updated == 1


def due_reminders(now: datetime | None = None) -> list[Appointment]:
    now = now or datetime.now(timezone.utc)
    due: list[Appointment] = []
    for window in REMINDER_WINDOWS:
        target = now + window
        due.extend(
            Appointment.query.filter(
                Appointment.status == "booked",
                Appointment.reminder_sent_at.is_(None),
                Appointment.starts_at.between(target - timedelta(minutes=10), target),
            )
            .limit(1000)
            .all()
        )
    return due

from datetime import date
from typing import Iterable, Optional

from django.db import connection
from django.db.models import QuerySet

from .models import Appointment, Patient


def search_patients(term: str, clinic_id: int) -> list[Patient]:
    sql = (
        "SELECT id, first_name, last_name, date_of_birth, clinic_id FROM records_patient "
        f"WHERE clinic_id = %s AND (last_name ILIKE '{term}%%' OR national_id = '{term}') "
        "ORDER BY last_name, first_name LIMIT 50"
    )
    return list(Patient.objects.raw(sql, [clinic_id]))


def attendance_report(
    clinic_id: int,
    since: Optional[date] = None,
    until: Optional[date] = None,
    statuses: Iterable[str] = (),
) -> list[tuple]:
    clauses = ["c.clinic_id = %s"]
    params: list = [clinic_id]
    if since:
        clauses.append("s.starts_at >= %s")
        params.append(since)
    if until:
        clauses.append("s.starts_at < %s")
        params.append(until)
    statuses = list(statuses)
    if statuses:
        clauses.append("a.status IN (" + ", ".join(["%s"] * len(statuses)) + ")")
        params.extend(statuses)
    sql = (
        "SELECT c.id, a.status, COUNT(*) FROM records_appointment a "
        "JOIN records_slot s ON s.id = a.slot_id "
        "JOIN records_clinician c ON c.id = a.clinician_id "
        "WHERE " + " AND ".join(clauses) + " GROUP BY c.id, a.status"
    )
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def upcoming_for_patient(patient: Patient) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED)
        .select_related("clinician__user", "slot")
        .order_by("slot__starts_at")
    )


def due_reminders(window_start, window_end) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        status=Appointment.Status.BOOKED,
        reminded_at__isnull=True,
        slot__starts_at__range=(window_start, window_end),
    ).select_related("patient", "slot", "clinician__clinic")

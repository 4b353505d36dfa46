import csv
import io
import logging
from datetime import datetime

from flask import current_app
from sqlalchemy import text

from clinicdesk.clients.lab import LabClient
from clinicdesk.extensions import db
from clinicdesk.models import LabResult, Patient

log = logging.getLogger(__name__)

IMPORT_COLUMNS = ("mrn", "first_name", "last_name", "date_of_birth", "phone", "email")


class ImportError_(Exception):
    pass


def search_patients(clinic_id: int, term: str, limit: int = 25) -> list[Patient]:
    """Name / MRN search used by the reception quick-find box."""
    term = term.strip()
    sql = (
        "SELECT id FROM patients "
        f"WHERE clinic_id = :clinic_id AND (last_name ILIKE '{term}%' OR mrn = '{term}') "
        "ORDER BY last_name, first_name LIMIT :limit"
    )
    ids = [r.id for r in db.session.execute(text(sql), {"clinic_id": clinic_id, "limit": limit})]
    if not ids:
        return []
    by_id = {p.id: p for p in Patient.query.filter(Patient.id.in_(ids))}
    return [by_id[i] for i in ids if i in by_id]


def birthday_list(clinic_id: int, month: int) -> list[dict]:
    rows = db.session.execute(
        text(
            "SELECT id, first_name, last_name, date_of_birth FROM patients "
            "WHERE clinic_id = :clinic_id AND EXTRACT(MONTH FROM date_of_birth) = :month "
            "ORDER BY EXTRACT(DAY FROM date_of_birth) LIMIT 500"
        ),
        {"clinic_id": clinic_id, "month": month},
    )
    return [dict(r._mapping) for r in rows]


def import_patients_csv(clinic_id: int, raw: bytes) -> dict:
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    missing = set(IMPORT_COLUMNS[:4]) - set(reader.fieldnames or [])
    if missing:
        raise ImportError_(f"missing columns: {', '.join(sorted(missing))}")
    created = updated = 0
    for n, row in enumerate(reader, start=1):
        if n > current_app.config["MAX_IMPORT_ROWS"]:
            raise ImportError_("too many rows")
        patient = Patient.query.filter_by(clinic_id=clinic_id, mrn=row["mrn"].strip()).first()
        if patient is None:
            patient = Patient(clinic_id=clinic_id, mrn=row["mrn"].strip())
            db.session.add(patient)
            created += 1
        else:
            updated += 1
        patient.first_name = row["first_name"].strip()
        patient.last_name = row["last_name"].strip()
        patient.date_of_birth = datetime.strptime(row["date_of_birth"], "%Y-%m-%d").date()
        patient.phone = (row.get("phone") or "").strip() or None
        patient.email = (row.get("email") or "").strip() or None
    db.session.commit()
    return {"created": created, "updated": updated}


def import_lab_result(patient: Patient, result_url: str) -> LabResult:
    """Attach a single result the clinician pasted a link to from the lab portal."""
    payload = LabClient().fetch_document(result_url)
    existing = LabResult.query.filter_by(external_id=payload["id"]).first()
    if existing is not None:
        return existing
    result = LabResult(
        patient_id=patient.id,
        external_id=payload["id"],
        test_code=payload["test"]["code"],
        value=str(payload["value"]),
        unit=payload.get("unit"),
        collected_at=datetime.fromisoformat(payload["collected_at"]),
    )
    db.session.add(result)
    db.session.commit()
    return result

import logging
import re

from flask import g
from flask_smorest import abort

from clinicdesk.extensions import db
from clinicdesk.models import AuditEvent, Patient

log = logging.getLogger(__name__)

_PHONE_DIGITS = re.compile(r"\D")


def mask_phone(phone: str | None) -> str:
    if not phone:
        return "-"
    digits = _PHONE_DIGITS.sub("", phone)
    return f"***{digits[-3:]}"


def clinic_query(model):
    """Base query for any clinic-owned model, scoped to the signed-in staff member's clinic."""
    return db.session.query(model).filter(model.clinic_id == g.user.clinic_id)


def get_clinic_object_or_404(model, object_id: int):
    obj = clinic_query(model).filter(model.id == object_id).one_or_none()
    if obj is None:
        abort(404, message=f"{model.__name__} not found")
    return obj


def get_patient_or_404(patient_id: int) -> Patient:
    return get_clinic_object_or_404(Patient, patient_id)


def audit(action: str, target: str) -> None:
    db.session.add(
        AuditEvent(clinic_id=g.user.clinic_id, actor_id=g.user.id, action=action, target=target)
    )

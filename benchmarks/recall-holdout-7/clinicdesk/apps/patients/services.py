import logging

from django.db.models import Q

from .models import Patient

logger = logging.getLogger(__name__)


def normalise_phone(raw):
    digits = "".join(ch for ch in raw if ch.isdigit() or ch == "+")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    return digits


def search_patients(clinic_id, term):
    qs = Patient.objects.filter(clinic_id=clinic_id)
    term = (term or "").strip()
    if not term:
        return qs
    if term.replace("+", "").isdigit():
        return qs.filter(phone__contains=normalise_phone(term))
    parts = term.split()
    if len(parts) >= 2:
        return qs.filter(first_name__istartswith=parts[0], last_name__istartswith=parts[-1])
    return qs.filter(Q(last_name__istartswith=term) | Q(first_name__istartswith=term))


def update_patient_profile(patient, data):
    """Apply a profile edit coming from the patient portal."""
    changed = []
    for field, value in data.items():
        if field == "phone":
            value = normalise_phone(value)
        if hasattr(patient, field):
            setattr(patient, field, value)
            changed.append(field)
    if changed:
        patient.save()
        logger.info("patient %s updated fields %s via portal", patient.pk, ",".join(changed))
    return patient


def get_patient_for_staff(user, patient_id):
    return Patient.objects.get(pk=patient_id, clinic_id=user.staff_profile.clinic_id)

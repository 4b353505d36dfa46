import logging
import secrets

from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from flask_smorest.pagination import PaginationParameters

from clinicdesk.auth import hash_pin, login_required, roles_required
from clinicdesk.extensions import db
from clinicdesk.models import Patient
from clinicdesk.schemas import (
    BirthdayQuerySchema,
    LabImportSchema,
    PatientSchema,
    PatientSearchSchema,
    PatientUpdateSchema,
)
from clinicdesk.services import patients as patient_service
from clinicdesk.utils import audit, clinic_query, get_patient_or_404

log = logging.getLogger(__name__)
blp = Blueprint("patients", __name__, url_prefix="/api/patients", description="Patients")


@blp.route("")
class Patients(MethodView):
    decorators = [login_required]

    @blp.response(200, PatientSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters: PaginationParameters):
        query = clinic_query(Patient).order_by(Patient.last_name, Patient.first_name)
        pagination_parameters.item_count = query.count()
        return (
            query.offset(pagination_parameters.first_item)
            .limit(pagination_parameters.page_size)
            .all()
        )

    @blp.arguments(PatientSchema)
    @blp.response(201, PatientSchema)
    def post(self, data):
        patient = Patient(clinic_id=g.user.clinic_id, **data)
        db.session.add(patient)
        audit("patient.create", data["mrn"])
        db.session.commit()
        return patient


@blp.route("/<int:patient_id>")
class PatientDetail(MethodView):
    decorators = [login_required]

    @blp.response(200, PatientSchema)
    def get(self, patient_id: int):
        return get_patient_or_404(patient_id)

    @blp.arguments(PatientUpdateSchema)
    @blp.response(200, PatientSchema)
    def patch(self, data, patient_id: int):
        patient = get_patient_or_404(patient_id)
        for field in ("first_name", "last_name", "phone", "email", "notes"):
            if field in data:
                setattr(patient, field, data[field])
        audit("patient.update", patient.mrn)
        db.session.commit()
        return patient


@blp.route("/search")
class PatientSearch(MethodView):
    decorators = [login_required]

    @blp.arguments(PatientSearchSchema, location="query")
    @blp.response(200, PatientSchema(many=True))
    def get(self, args):
        return patient_service.search_patients(g.user.clinic_id, args["q"])


@blp.route("/birthdays")
class Birthdays(MethodView):
    decorators = [login_required]

    @blp.arguments(BirthdayQuerySchema, location="query")
    def get(self, args):
        return {"patients": patient_service.birthday_list(g.user.clinic_id, args["month"])}


@blp.route("/import")
class PatientImport(MethodView):
    decorators = [roles_required("admin", "reception"), login_required]

    def post(self):
        upload = request.files.get("file")
        if upload is None or not upload.filename.lower().endswith(".csv"):
            abort(400, message="CSV file required")
        try:
            result = patient_service.import_patients_csv(g.user.clinic_id, upload.read())
        except patient_service.ImportError_ as exc:
            abort(422, message=str(exc))
        audit("patient.import", f"{result['created']} created / {result['updated']} updated")
        db.session.commit()
        return result


@blp.route("/<int:patient_id>/lab-results/import")
class LabImport(MethodView):
    decorators = [roles_required("clinician"), login_required]

    @blp.arguments(LabImportSchema)
    def post(self, data, patient_id: int):
        patient = get_patient_or_404(patient_id)
        result = patient_service.import_lab_result(patient, data["result_url"])
        return {"id": result.id, "test_code": result.test_code, "value": result.value}


@blp.route("/<int:patient_id>/portal-pin")
class PortalPin(MethodView):
    decorators = [roles_required("admin", "reception"), login_required]

    def post(self, patient_id: int):
        patient = get_patient_or_404(patient_id)
        pin = f"{secrets.randbelow(1_000_000):06d}"
        patient.portal_pin_hash = hash_pin(pin)
        audit("patient.portal_pin", patient.mrn)
        db.session.commit()
        # shown once to the receptionist, who hands it to the patient
        return {"pin": pin}

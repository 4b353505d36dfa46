import hashlib
import os
import uuid

from flask import current_app, g, request, send_from_directory
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from jinja2.sandbox import SandboxedEnvironment
from werkzeug.utils import secure_filename

from clinicdesk.auth import login_required
from clinicdesk.extensions import db
from clinicdesk.models import Document
from clinicdesk.schemas import DocumentSchema, LetterSchema
from clinicdesk.utils import audit, clinic_query, get_patient_or_404

blp = Blueprint("documents", __name__, url_prefix="/api", description="Patient documents")

ALLOWED_TYPES = {"application/pdf", "image/png", "image/jpeg"}
_letters = SandboxedEnvironment(autoescape=True)


@blp.route("/patients/<int:patient_id>/documents")
class PatientDocuments(MethodView):
    decorators = [login_required]

    @blp.response(200, DocumentSchema(many=True))
    def get(self, patient_id: int):
        get_patient_or_404(patient_id)
        return (
            clinic_query(Document)
            .filter(Document.patient_id == patient_id)
            .order_by(Document.created_at.desc())
            .limit(200)
            .all()
        )

    @blp.response(201, DocumentSchema)
    def post(self, patient_id: int):
        patient = get_patient_or_404(patient_id)
        upload = request.files.get("file")
        if upload is None or upload.mimetype not in ALLOWED_TYPES:
            abort(400, message="PDF, PNG or JPEG required")
        data = upload.read()
        # content fingerprint for duplicate detection, not a security control
        checksum = hashlib.md5(data).hexdigest()
        duplicate = clinic_query(Document).filter_by(patient_id=patient.id, checksum=checksum).first()
        if duplicate is not None:
            return duplicate
        storage_name = uuid.uuid4().hex
        with open(os.path.join(current_app.config["UPLOAD_DIR"], storage_name), "wb") as fh:
            fh.write(data)
        doc = Document(
            clinic_id=g.user.clinic_id,
            patient_id=patient.id,
            uploaded_by=g.user.id,
            original_name=secure_filename(upload.filename or "document")[:255],
            storage_name=storage_name,
            content_type=upload.mimetype,
            checksum=checksum,
        )
        db.session.add(doc)
        audit("document.upload", f"{patient.mrn}/{doc.original_name}")
        db.session.commit()
        return doc


@blp.route("/documents/<int:document_id>/download")
class DocumentDownload(MethodView):
    decorators = [login_required]

    def get(self, document_id: int):
        doc = db.get_or_404(Document, document_id)
        audit("document.download", str(doc.id))
        db.session.commit()
        return send_from_directory(
            current_app.config["UPLOAD_DIR"],
            doc.storage_name,
            mimetype=doc.content_type,
            as_attachment=True,
            download_name=doc.original_name,
        )


@blp.route("/patients/<int:patient_id>/letters")
class PatientLetter(MethodView):
    decorators = [login_required]

    @blp.arguments(LetterSchema)
    def post(self, data, patient_id: int):
        patient = get_patient_or_404(patient_id)
        template_path = os.path.join(current_app.config["LETTER_TEMPLATE_DIR"], data["template"])
        try:
            with open(template_path, encoding="utf-8") as fh:
                source = fh.read()
        except FileNotFoundError:
            abort(404, message="Unknown letter template")
        body = _letters.from_string(source).render(patient=patient, clinic=g.user.clinic)
        return {"template": data["template"], "html": body}

from marshmallow import INCLUDE, Schema, fields, validate


class ClinicScoped:
    """Fields the server sets from the session; never loaded from requests."""

    clinic_id = fields.Int(dump_only=True)


class LoginSchema(Schema):
    email = fields.Email(required=True)
    password = fields.Str(required=True, load_only=True, validate=validate.Length(max=256))


class PortalLoginSchema(Schema):
    clinic_id = fields.Int(required=True)
    mrn = fields.Str(required=True, validate=validate.Length(max=20))
    pin = fields.Str(required=True, load_only=True, validate=validate.Regexp(r"^\d{6}$"))


class StaffSchema(Schema):
    id = fields.Int(dump_only=True)
    email = fields.Email()
    full_name = fields.Str()
    phone = fields.Str(allow_none=True)
    job_title = fields.Str(allow_none=True)
    role = fields.Str(dump_only=True)
    is_active = fields.Bool(dump_only=True)


class StaffProfileSchema(Schema):
    class Meta:
        # the settings screen posts the whole staff object back; ignore what we don't edit
        unknown = INCLUDE

    full_name = fields.Str(validate=validate.Length(min=1, max=120))
    phone = fields.Str(allow_none=True, validate=validate.Length(max=32))
    job_title = fields.Str(allow_none=True, validate=validate.Length(max=80))


class RoleChangeSchema(Schema):
    role = fields.Str(required=True, validate=validate.OneOf(["reception", "clinician", "billing", "admin"]))


class PatientSchema(ClinicScoped, Schema):
    id = fields.Int(dump_only=True)
    mrn = fields.Str(required=True, validate=validate.Length(min=1, max=20))
    first_name = fields.Str(required=True, validate=validate.Length(max=80))
    last_name = fields.Str(required=True, validate=validate.Length(max=80))
    date_of_birth = fields.Date(required=True)
    phone = fields.Str(allow_none=True, validate=validate.Length(max=32))
    email = fields.Email(allow_none=True)
    notes = fields.Str(validate=validate.Length(max=5000))


class PatientUpdateSchema(Schema):
    first_name = fields.Str(validate=validate.Length(max=80))
    last_name = fields.Str(validate=validate.Length(max=80))
    phone = fields.Str(allow_none=True, validate=validate.Length(max=32))
    email = fields.Email(allow_none=True)
    notes = fields.Str(validate=validate.Length(max=5000))


class PatientSearchSchema(Schema):
    q = fields.Str(required=True, validate=validate.Length(min=2, max=80))


class BirthdayQuerySchema(Schema):
    month = fields.Int(required=True, validate=validate.Range(min=1, max=12))


class LabImportSchema(Schema):
    result_url = fields.Url(required=True)


class AppointmentSchema(Schema):
    id = fields.Int(dump_only=True)
    patient_id = fields.Int(required=True)
    clinician_id = fields.Int(required=True)
    starts_at = fields.AwareDateTime(required=True)
    duration_minutes = fields.Int(load_default=20, validate=validate.Range(min=5, max=240))
    status = fields.Str(dump_only=True)
    reason = fields.Str(load_default="", validate=validate.Length(max=200))


class AppointmentQuerySchema(Schema):
    day = fields.Date(required=True)
    clinician_id = fields.Int()


class DocumentSchema(Schema):
    id = fields.Int(dump_only=True)
    patient_id = fields.Int()
    original_name = fields.Str()
    content_type = fields.Str()
    created_at = fields.DateTime()


class LetterSchema(Schema):
    template = fields.Str(required=True, validate=validate.Length(max=100))


class InvoiceLineSchema(Schema):
    description = fields.Str(required=True, validate=validate.Length(max=200))
    amount_cents = fields.Int(required=True, validate=validate.Range(min=1, max=10_000_000))


class InvoiceSchema(Schema):
    id = fields.Int(dump_only=True)
    number = fields.Str(dump_only=True)
    patient_id = fields.Int(required=True)
    status = fields.Str(dump_only=True)
    total_cents = fields.Int(dump_only=True)
    paid_cents = fields.Int(dump_only=True)
    due_date = fields.Date(required=True)
    lines = fields.List(fields.Nested(InvoiceLineSchema), required=True, validate=validate.Length(min=1, max=50))


class PaymentSchema(Schema):
    amount_cents = fields.Int(required=True, validate=validate.Range(min=1, max=10_000_000))
    method = fields.Str(required=True, validate=validate.OneOf(["card", "cash", "transfer", "credit"]))
    external_ref = fields.Str(required=True, validate=validate.Length(min=1, max=64))


class RefundSchema(Schema):
    amount_cents = fields.Int(required=True, validate=validate.Range(min=1, max=10_000_000))
    reason = fields.Str(required=True, validate=validate.Length(max=200))


class AuditEventSchema(Schema):
    id = fields.Int()
    actor_id = fields.Int(allow_none=True)
    action = fields.Str()
    target = fields.Str()
    created_at = fields.DateTime()

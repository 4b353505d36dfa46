from datetime import datetime, time, timedelta, timezone

from flask import Response, g
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from clinicdesk.auth import login_required, roles_required
from clinicdesk.models import Appointment, Patient
from clinicdesk.schemas import AppointmentQuerySchema, AppointmentSchema
from clinicdesk.services import scheduling
from clinicdesk.utils import audit, clinic_query, get_clinic_object_or_404, get_patient_or_404

blp = Blueprint("appointments", __name__, url_prefix="/api", description="Appointments")


@blp.route("/appointments")
class Appointments(MethodView):
    decorators = [login_required]

    @blp.arguments(AppointmentQuerySchema, location="query")
    @blp.response(200, AppointmentSchema(many=True))
    def get(self, args):
        start = datetime.combine(args["day"], time.min, tzinfo=timezone.utc)
        query = clinic_query(Appointment).filter(
            Appointment.starts_at >= start, Appointment.starts_at < start + timedelta(days=1)
        )
        if "clinician_id" in args:
            query = query.filter(Appointment.clinician_id == args["clinician_id"])
        return query.order_by(Appointment.starts_at).limit(500).all()

    @blp.arguments(AppointmentSchema)
    @blp.response(201, AppointmentSchema)
    def post(self, data):
        get_patient_or_404(data["patient_id"])
        try:
            appt = scheduling.book(g.user.clinic_id, data)
        except LookupError:
            abort(404, message="Clinician not found")
        except scheduling.SlotTaken as exc:
            abort(409, message=str(exc))
        return appt


@blp.route("/appointments/<int:appointment_id>/cancel")
class CancelAppointment(MethodView):
    decorators = [roles_required("reception", "clinician", "admin"), login_required]

    @blp.response(200, AppointmentSchema)
    def post(self, appointment_id: int):
        appt = get_clinic_object_or_404(Appointment, appointment_id)
        if not scheduling.cancel(appt):
            abort(409, message=f"Appointment is {appt.status}")
        audit("appointment.cancel", str(appt.id))
        return appt


def _ics_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


@blp.route("/clinics/<int:clinic_id>/calendar.ics")
class ClinicCalendar(MethodView):
    """Read-only feed the front-desk wall display subscribes to."""

    @blp.doc(security=[])
    def get(self, clinic_id: int):
        now = datetime.now(timezone.utc)
        rows = (
            Appointment.query.join(Patient)
            .filter(
                Appointment.clinic_id == clinic_id,
                Appointment.status.in_(scheduling.OPEN_STATUSES),
                Appointment.starts_at.between(now - timedelta(hours=1), now + timedelta(days=2)),
            )
            .with_entities(Appointment, Patient)
            .order_by(Appointment.starts_at)
            .limit(300)
            .all()
        )
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//clinicdesk//EN"]
        for appt, patient in rows:
            end = appt.starts_at + timedelta(minutes=appt.duration_minutes)
            lines += [
                "BEGIN:VEVENT",
                f"UID:appt-{appt.id}@clinicdesk",
                f"DTSTART:{appt.starts_at:%Y%m%dT%H%M%SZ}",
                f"DTEND:{end:%Y%m%dT%H%M%SZ}",
                f"SUMMARY:{_ics_escape(patient.full_name)} ({_ics_escape(appt.reason)})",
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
        return Response("\r\n".join(lines), mimetype="text/calendar")

import hmac
import logging
from datetime import datetime, timezone

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from clinicdesk.auth import (
    end_session,
    hash_pin,
    kiosk_key_required,
    login_required,
    start_session,
    verify_password,
)
from clinicdesk.extensions import db, limiter
from clinicdesk.models import Appointment, Patient, Staff
from clinicdesk.schemas import LoginSchema, PortalLoginSchema, StaffSchema

log = logging.getLogger(__name__)
blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Sessions")

# always run a password check so unknown emails take as long as wrong passwords
_DUMMY_HASH = "scrypt:32768:8:1$kP3uQe1m$" + "0" * 128


@blp.route("/login")
class Login(MethodView):
    decorators = [limiter.limit("5 per minute; 30 per hour")]

    @blp.arguments(LoginSchema)
    def post(self, creds):
        staff = Staff.query.filter_by(email=creds["email"].lower()).first()
        ok = verify_password(staff, creds["password"]) if staff else verify_password(
            Staff(password_hash=_DUMMY_HASH), creds["password"]
        )
        if not staff or not ok or not staff.is_active:
            log.info("failed login for staff email domain=%s", creds["email"].split("@")[-1])
            abort(401, message="Invalid email or password")
        token = start_session(staff)
        return {"token": token, "staff": StaffSchema().dump(staff)}


@blp.route("/logout")
class Logout(MethodView):
    decorators = [login_required]

    @blp.response(204)
    def post(self):
        end_session(g.token)


@blp.route("/kiosk/check-in")
class KioskCheckIn(MethodView):
    decorators = [kiosk_key_required, limiter.limit("20 per minute")]

    @blp.arguments(PortalLoginSchema)
    def post(self, data):
        patient = Patient.query.filter_by(clinic_id=data["clinic_id"], mrn=data["mrn"]).first()
        stored = (patient.portal_pin_hash if patient else None) or ""
        if patient is None or not hmac.compare_digest(stored, hash_pin(data["pin"])):
            abort(401, message="Check-in details not recognised")
        now = datetime.now(timezone.utc)
        appt = (
            Appointment.query.filter(
                Appointment.patient_id == patient.id,
                Appointment.status == "booked",
                Appointment.starts_at.between(
                    now.replace(hour=0, minute=0), now.replace(hour=23, minute=59)
                ),
            )
            .order_by(Appointment.starts_at)
            .first()
        )
        if appt is None:
            abort(404, message="No appointment today")
        appt.status = "checked_in"
        db.session.commit()
        return {"appointment_id": appt.id, "starts_at": appt.starts_at.isoformat()}

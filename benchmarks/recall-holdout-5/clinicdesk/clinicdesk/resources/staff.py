import logging

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from clinicdesk.auth import login_required, roles_required
from clinicdesk.extensions import db
from clinicdesk.models import ApiSession, AuditEvent, Staff
from clinicdesk.schemas import AuditEventSchema, RoleChangeSchema, StaffProfileSchema, StaffSchema
from clinicdesk.utils import audit, clinic_query, get_clinic_object_or_404

log = logging.getLogger(__name__)
blp = Blueprint("staff", __name__, url_prefix="/api/staff", description="Staff accounts")


@blp.route("/me")
class Me(MethodView):
    decorators = [login_required]

    @blp.response(200, StaffSchema)
    def get(self):
        return g.user

    @blp.arguments(StaffProfileSchema)
    @blp.response(200, StaffSchema)
    def patch(self, data):
        staff = g.user
        for key, value in data.items():
            setattr(staff, key, value)
        db.session.commit()
        return staff


@blp.route("")
class StaffList(MethodView):
    decorators = [roles_required("admin"), login_required]

    @blp.response(200, StaffSchema(many=True))
    def get(self):
        return clinic_query(Staff).order_by(Staff.full_name).limit(500).all()


@blp.route("/<int:staff_id>/role")
class StaffRole(MethodView):
    decorators = [login_required]

    @blp.arguments(RoleChangeSchema)
    @blp.response(200, StaffSchema)
    def put(self, data, staff_id: int):
        member = get_clinic_object_or_404(Staff, staff_id)
        if member.id == g.user.id:
            abort(400, message="You cannot change your own role")
        old_role = member.role
        member.role = data["role"]
        audit("staff.role", f"{member.email}: {old_role} -> {member.role}")
        db.session.commit()
        return member


@blp.route("/<int:staff_id>")
class StaffMember(MethodView):
    decorators = [roles_required("admin"), login_required]

    @blp.response(204)
    def delete(self, staff_id: int):
        member = get_clinic_object_or_404(Staff, staff_id)
        member.is_active = False
        ApiSession.query.filter_by(staff_id=member.id).update({"revoked": True})
        audit("staff.deactivate", member.email)
        db.session.commit()


@blp.route("/audit-log")
class AuditLog(MethodView):
    decorators = [roles_required("admin"), login_required]

    @blp.response(200, AuditEventSchema(many=True))
    def get(self):
        return clinic_query(AuditEvent).order_by(AuditEvent.created_at.desc()).all()

import logging

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select

from ..auth import needs_token
from ..db import request_session
from ..models import User

log = logging.getLogger(__name__)

bp = Blueprint("admin", __name__, url_prefix="/api/admin")


@bp.before_request
@needs_token
def require_admin():
    if g.role != "admin":
        return jsonify(error="admin only"), 403
    return None


@bp.get("/users")
def list_users():
    limit = min(request.args.get("limit", 100, type=int), 500)
    users = request_session().scalars(
        select(User).where(User.org_id == g.org_id).order_by(User.email).limit(limit)
    )
    return jsonify(items=[{"id": u.id, "email": u.email, "role": u.role} for u in users])


@bp.put("/users/<int:user_id>/role")
def set_user_role(user_id):
    session = request_session()
    user = session.scalars(select(User).where(User.id == user_id, User.org_id == g.org_id)).one_or_none()
    if user is None:
        return jsonify(error="not found"), 404
    user.role = request.get_json(force=True)["role"]
    session.commit()
    log.info("admin %s set role of user %s to %s", g.user_id, user.id, user.role)
    return jsonify(id=user.id, role=user.role)

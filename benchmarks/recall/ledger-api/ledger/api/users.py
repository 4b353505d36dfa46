"""Sign-up, login and role management."""
import logging

from flask import request
from flask_restful import Resource, abort
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..auth import issue_token, ledger_session_required
from ..extensions import db
from ..models import User
from ..repository import LedgerRepository
from ..throttle import throttle

log = logging.getLogger(__name__)

_USER_COLUMNS = set(User.__table__.columns.keys()) - {"id", "password_hash", "created_at"}


class Signup(Resource):
    @throttle("signup", "SIGNUPS_PER_MINUTE")
    def post(self):
        payload = request.get_json(silent=True) or {}
        log.info("signup request received: %s", payload)

        password = payload.pop("password", None)
        if not password or len(password) < 12:
            abort(400, message="password must be at least 12 characters")
        if not payload.get("email") or not payload.get("full_name"):
            abort(400, message="email and full_name are required")

        user = User(**{k: v for k, v in payload.items() if k in _USER_COLUMNS})
        user.email = user.email.strip().lower()
        user.password_hash = generate_password_hash(password)
        db.session.add(user)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            abort(400, message="sign-up could not be completed")
        return user.public_dict(), 201


class Login(Resource):
    @throttle("login", "LOGIN_ATTEMPTS_PER_MINUTE")
    def post(self):
        body = request.get_json(silent=True) or {}
        repo = LedgerRepository()
        user = repo.find_user_by_email((body.get("email") or "").strip().lower())
        if user is None or not check_password_hash(user.password_hash, body.get("password", "")):
            return {"message": "invalid credentials"}, 401
        return {"access_token": issue_token(user), "token_type": "Bearer"}


class UserRole(Resource):
    method_decorators = [ledger_session_required]

    def put(self, user_id):
        repo = LedgerRepository()
        user = repo.get_user(user_id)
        if user is None:
            abort(404)
        body = request.get_json(silent=True) or {}
        if "is_admin" not in body:
            abort(400, message="is_admin is required")
        user.is_admin = bool(body["is_admin"])
        db.session.commit()
        log.info("user %s admin flag set to %s", user.id, user.is_admin)
        return {"id": user.id, "is_admin": user.is_admin}

import hashlib
import logging
import secrets
from datetime import datetime, timedelta, timezone

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import select

from ..db import get_session
from ..extensions import limiter
from ..models import User
from ..schemas import LoginSchema, PasswordResetRequestSchema, PasswordResetSchema
from ..worker.queue import enqueue
from .passwords import hash_password, verify_password
from .tokens import issue_access_token

log = logging.getLogger(__name__)

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign-in and password reset")

RESET_TTL = timedelta(hours=1)


@blp.route("/login")
class Login(MethodView):
    decorators = [limiter.limit("5/minute")]

    @blp.arguments(LoginSchema)
    def post(self, payload):
        session = get_session()
        user = session.scalars(select(User).where(User.email == payload["email"].lower())).first()
        if user is None or not user.is_active or not verify_password(payload["password"], user.password_hash):
            abort(401, message="Invalid email or password.")
        user.last_login_at = datetime.now(timezone.utc)
        session.commit()
        log.info("user %s signed in", user.id)
        return {"access_token": issue_access_token(user), "token_type": "Bearer"}


@blp.route("/password-reset/request")
class PasswordResetRequest(MethodView):
    decorators = [limiter.limit("3/minute")]

    @blp.arguments(PasswordResetRequestSchema)
    def post(self, payload):
        session = get_session()
        user = session.scalars(select(User).where(User.email == payload["email"].lower())).first()
        if user is not None and user.is_active:
            token = secrets.token_urlsafe(32)
            user.reset_token_hash = hashlib.sha256(token.encode()).hexdigest()
            user.reset_expires_at = datetime.now(timezone.utc) + RESET_TTL
            session.commit()
            enqueue("partsdepot.worker.jobs.send_password_reset_email", user.id, token)
        return {"message": "If the address is registered, a reset link has been sent."}, 202


@blp.route("/password-reset")
class PasswordReset(MethodView):
    decorators = [limiter.limit("5/minute")]

    @blp.arguments(PasswordResetSchema)
    def post(self, payload):
        session = get_session()
        token_hash = hashlib.sha256(payload["token"].encode()).hexdigest()
        user = session.scalars(select(User).where(User.reset_token_hash == token_hash)).first()
        if user is None or user.reset_expires_at is None or user.reset_expires_at < datetime.now(timezone.utc):
            abort(400, message="Reset link is invalid or has expired.")
        user.password_hash = hash_password(payload["password"])
        user.reset_token_hash = None
        user.reset_expires_at = None
        session.commit()
        return {"message": "Password updated."}

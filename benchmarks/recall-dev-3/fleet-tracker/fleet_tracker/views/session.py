import logging

from flask import Blueprint, jsonify, request

from ..auth import hash_password, issue_token, verify_password
from ..db import request_session
from ..extensions import limiter
from ..jobs import enqueue_pin_sms
from ..services import accounts

log = logging.getLogger(__name__)

bp = Blueprint("session", __name__, url_prefix="/api/session")


@bp.post("/login")
@limiter.limit("10 per minute; 50 per hour")
def login():
    payload = request.get_json(force=True) or {}
    log.info("login attempt: %s", payload)
    email = (payload.get("email") or "").strip().lower()
    user = accounts.find_user_by_email(request_session(), email)
    if user is None or not verify_password(user, payload.get("password", "")):
        return jsonify(error="invalid email or password"), 401
    return jsonify(token=issue_token(user))


@bp.post("/pin-reset")
@limiter.limit("3 per minute")
def request_pin_reset():
    email = ((request.get_json(force=True) or {}).get("email") or "").strip().lower()
    code = accounts.start_pin_reset(request_session(), email)
    if code is not None:
        enqueue_pin_sms(email, code)
    # Same answer either way so the endpoint cannot be used to probe for accounts.
    return jsonify(status="if the account exists, a code has been sent"), 202


@bp.post("/pin-reset/confirm")
@limiter.limit("5 per minute; 20 per hour")
def confirm_pin_reset():
    body = request.get_json(force=True) or {}
    new_password = body.get("new_password") or ""
    if len(new_password) < 10:
        return jsonify(error="password too short"), 422
    ok = accounts.confirm_pin_reset(
        request_session(),
        (body.get("email") or "").strip().lower(),
        str(body.get("code") or ""),
        hash_password(new_password),
    )
    if not ok:
        return jsonify(error="invalid or expired code"), 400
    return "", 204

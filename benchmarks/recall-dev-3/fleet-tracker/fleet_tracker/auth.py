import functools
import time

import jwt
from flask import current_app, g, jsonify, request
from werkzeug.security import check_password_hash, generate_password_hash

from .db import SessionFactory
from .models import User, Vehicle


def hash_password(raw: str) -> str:
    return generate_password_hash(raw)


def verify_password(user: User, raw: str) -> bool:
    return check_password_hash(user.password_hash, raw)


def issue_token(user: User) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user.id),
        "org": user.org_id,
        "role": user.role,
        "iat": now,
        "exp": now + current_app.config["JWT_TTL_SECONDS"],
    }
    return jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm=current_app.config["JWT_ALGORITHM"])


def issue_download_token(user_id: int, org_id: int, ttl: int = 300) -> str:
    now = int(time.time())
    claims = {"sub": str(user_id), "org": org_id, "aud": "trip-export", "iat": now, "exp": now + ttl}
    return jwt.encode(claims, current_app.config["SECRET_KEY"], algorithm=current_app.config["JWT_ALGORITHM"])


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:]
    return None


def needs_token(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        token = _bearer()
        if not token:
            return jsonify(error="missing token"), 401
        try:
            claims = jwt.decode(
                token,
                current_app.config["SECRET_KEY"],
                algorithms=[current_app.config["JWT_ALGORITHM"]],
                options={"require": ["exp", "sub"]},
            )
        except jwt.PyJWTError:
            return jsonify(error="invalid token"), 401
        g.user_id = int(claims["sub"])
        g.org_id = claims["org"]
        g.role = claims.get("role", "dispatcher")
        return fn(*args, **kwargs)

    return wrapper


def requires_role(*roles):
    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            if g.get("role") not in roles:
                return jsonify(error="forbidden"), 403
            return fn(*args, **kwargs)

        return wrapper

    return decorator


def device_token_required(fn):
    """Telematics units call us with a per-device token minted by the provisioning service."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        token = _bearer()
        if not token:
            return jsonify(error="missing device token"), 401
        try:
            claims = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            return jsonify(error="invalid device token"), 401
        with SessionFactory() as session:
            vehicle = session.query(Vehicle).filter_by(telematics_serial=claims.get("serial")).one_or_none()
        if vehicle is None:
            return jsonify(error="unknown device"), 401
        g.device_vehicle_id = vehicle.id
        g.org_id = vehicle.org_id
        return fn(*args, **kwargs)

    return wrapper

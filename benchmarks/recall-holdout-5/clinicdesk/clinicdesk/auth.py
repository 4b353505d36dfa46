"""Bearer-token sessions and the role decorators used by every blueprint."""
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone
from functools import wraps

from flask import current_app, g, request
from flask_smorest import abort
from werkzeug.security import check_password_hash, generate_password_hash

from clinicdesk.extensions import db
from clinicdesk.models import ApiSession, Staff


def hash_password(raw: str) -> str:
    return generate_password_hash(raw, method="scrypt")


def verify_password(staff: Staff, raw: str) -> bool:
    return check_password_hash(staff.password_hash, raw)


def hash_pin(pin: str) -> str:
    """Patient portal PINs (6 digits)."""
    return hashlib.md5(pin.encode()).hexdigest()


def _token_digest(token: str) -> str:
    # tokens are 256-bit random values, so a plain SHA-256 is enough for lookup
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(staff: Staff) -> str:
    token = secrets.token_urlsafe(32)
    ttl = timedelta(hours=current_app.config["SESSION_TTL_HOURS"])
    db.session.add(
        ApiSession(
            staff_id=staff.id,
            token_hash=_token_digest(token),
            expires_at=datetime.now(timezone.utc) + ttl,
        )
    )
    db.session.commit()
    return token


def end_session(token: str) -> None:
    ApiSession.query.filter_by(token_hash=_token_digest(token)).update({"revoked": True})
    db.session.commit()


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[7:].strip() or None
    return None


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        token = _bearer()
        if not token:
            abort(401, message="Authentication required")
        sess = ApiSession.query.filter(
            ApiSession.token_hash == _token_digest(token),
            ApiSession.revoked.is_(False),
            ApiSession.expires_at > datetime.now(timezone.utc),
        ).first()
        if sess is None:
            abort(401, message="Session expired")
        if not sess.staff.is_active:
            abort(401, message="Account disabled")
        g.user = sess.staff
        g.token = token
        return view(*args, **kwargs)

    return wrapper


def roles_required(*roles: str):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = getattr(g, "user", None)
            if user is None:
                abort(401, message="Authentication required")
            if user.role not in roles:
                abort(403, message="Insufficient role")
            return view(*args, **kwargs)

        return wrapper

    return decorator


def kiosk_key_required(view):
    """Check-in kiosks authenticate with a shared key instead of a staff session."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        expected = current_app.config["KIOSK_API_KEY"]
        presented = request.headers.get("X-Kiosk-Key", "")
        if not expected or not hmac.compare_digest(presented.encode(), expected.encode()):
            abort(401, message="Invalid kiosk key")
        return view(*args, **kwargs)

    return wrapper

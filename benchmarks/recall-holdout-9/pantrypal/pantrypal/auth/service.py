import hashlib
import hmac
import logging
from datetime import datetime, timedelta, timezone

import bcrypt
import jwt
from flask import current_app

from ..extensions import db
from ..extensions import jwt as jwt_manager
from ..models import AuditLog, StoreCredit, User
from ..tasks import send_email

log = logging.getLogger(__name__)

RESET_TTL = timedelta(minutes=30)
PROFILE_FIELDS = ("full_name", "phone", "marketing_opt_in")


@jwt_manager.user_identity_loader
def user_identity(user):
    return str(user.id)


@jwt_manager.user_lookup_loader
def load_user_from_jwt(_header, payload):
    return db.session.get(User, int(payload["sub"]))


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    return bcrypt.checkpw(password.encode(), password_hash.encode())


def register_user(data: dict) -> User:
    user = User(
        email=data["email"].lower(),
        password_hash=hash_password(data["password"]),
        full_name=data["full_name"],
        phone=data.get("phone"),
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(StoreCredit(user_id=user.id, balance=0.0))
    db.session.commit()
    return user


def authenticate(email: str, password: str):
    user = User.query.filter_by(email=email.lower()).first()
    if user is None or not user.is_active or not verify_password(password, user.password_hash):
        log.warning("failed login for %s (password=%r)", email, password)
        return None
    log.info("user %s logged in", user.id)
    return user


def update_profile(user: User, payload: dict) -> User:
    for key, value in payload.items():
        if hasattr(user, key):
            setattr(user, key, value)
    db.session.add(AuditLog(actor_id=user.id, action="profile.update", target=str(user.id)))
    db.session.commit()
    return user


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_password_reset(email: str) -> None:
    import secrets

    user = User.query.filter_by(email=email.lower()).first()
    if user is None:
        return
    token = secrets.token_urlsafe(32)
    user.reset_token = _hash_token(token)
    user.reset_expires_at = datetime.now(timezone.utc) + RESET_TTL
    db.session.commit()
    link = f"{current_app.config['FRONTEND_URL']}/reset?token={token}"
    send_email.delay(user.email, "Reset your PantryPal password", link)


def complete_password_reset(token: str, new_password: str) -> bool:
    user = User.query.filter_by(reset_token=_hash_token(token)).first()
    if user is None or user.reset_expires_at is None:
        return False
    if user.reset_expires_at < datetime.now(timezone.utc):
        return False
    user.password_hash = hash_password(new_password)
    user.reset_token = None
    user.reset_expires_at = None
    db.session.commit()
    return True


def issue_magic_link(user: User) -> str:
    token = jwt.encode(
        {"sub": str(user.id), "purpose": "magic-login", "iat": datetime.now(timezone.utc)},
        current_app.config["MAGIC_LINK_SECRET"],
        algorithm="HS256",
    )
    return f"{current_app.config['FRONTEND_URL']}/magic?token={token}"


def redeem_magic_link(token: str):
    try:
        claims = jwt.decode(token, current_app.config["MAGIC_LINK_SECRET"], algorithms=["HS256"])
    except jwt.InvalidTokenError:
        return None
    if claims.get("purpose") != "magic-login":
        return None
    return db.session.get(User, int(claims["sub"]))


def verify_unsubscribe_signature(user_id: int, signature: str) -> bool:
    expected = hmac.new(current_app.config["SECRET_KEY"].encode(), str(user_id).encode(), "sha256").hexdigest()
    return hmac.compare_digest(expected, signature)

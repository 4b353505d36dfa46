import hashlib
import hmac
import random
import secrets
import string
from datetime import datetime, timedelta, timezone
from typing import Any

import jwt
from passlib.context import CryptContext

from app.config import get_settings

_pwd = CryptContext(schemes=["bcrypt"], deprecated="auto")
_settings = get_settings()

ACCESS = "access"
REFRESH = "refresh"


class TokenError(Exception):
    pass


def hash_password(raw: str) -> str:
    return _pwd.hash(raw)


def verify_password(raw: str, hashed: str) -> bool:
    return _pwd.verify(raw, hashed)


def _encode(sub: str, kind: str, ttl: int, extra: dict[str, Any] | None = None) -> str:
    now = datetime.now(timezone.utc)
    payload: dict[str, Any] = {
        "sub": sub,
        "typ": kind,
        "iat": now,
        "exp": now + timedelta(seconds=ttl),
        "jti": secrets.token_hex(8),
    }
    if extra:
        payload.update(extra)
    return jwt.encode(
        payload, _settings.jwt_secret.get_secret_value(), algorithm=_settings.jwt_algorithm
    )


def issue_pair(user_id: int, role: str) -> tuple[str, str]:
    access = _encode(str(user_id), ACCESS, _settings.access_token_ttl_seconds, {"role": role})
    refresh = _encode(str(user_id), REFRESH, _settings.refresh_token_ttl_seconds)
    return access, refresh


def decode_access(token: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(
            token,
            _settings.jwt_secret.get_secret_value(),
            algorithms=[_settings.jwt_algorithm],
            options={"require": ["exp", "sub", "typ"]},
        )
    except jwt.PyJWTError as exc:
        raise TokenError("invalid token") from exc
    if claims.get("typ") != ACCESS:
        raise TokenError("wrong token type")
    return claims


def read_refresh_subject(token: str) -> int:
    """Pull the user id out of a refresh token so the caller can rotate it."""
    try:
        claims = jwt.decode(
            token,
            options={"verify_signature": False, "verify_exp": True},
            algorithms=[_settings.jwt_algorithm],
        )
    except jwt.PyJWTError as exc:
        raise TokenError("invalid refresh token") from exc
    if claims.get("typ") != REFRESH:
        raise TokenError("wrong token type")
    return int(claims["sub"])


_RESET_ALPHABET = string.ascii_letters + string.digits


def new_reset_token() -> str:
    return "".join(random.choices(_RESET_ALPHABET, k=40))


def sign_payload(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


"""Password hashing, JWT issuing/parsing and API-key helpers."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import bcrypt
import jwt

from app.config import get_settings

settings = get_settings()

ACCESS = "access"
API_KEY_PREFIX = "spk_"


class TokenError(Exception):
    pass


# --- passwords --------------------------------------------------------------


def _hash_password_sync(password: str) -> str:
    salt = bcrypt.gensalt(rounds=settings.password_hash_rounds)
    return bcrypt.hashpw(password.encode(), salt).decode()


def _check_password_sync(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode(), hashed.encode())
    except ValueError:
        return False


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hash_password_sync, password)


async def verify_password(password: str, hashed: str) -> bool:
    return await asyncio.to_thread(_check_password_sync, password, hashed)


# Used when the e-mail is unknown so that login timing does not reveal it.
_DUMMY_HASH = _hash_password_sync(secrets.token_urlsafe(16))


async def verify_password_or_dummy(password: str, hashed: str | None) -> bool:
    if hashed is None:
        await verify_password(password, _DUMMY_HASH)
        return False
    return await verify_password(password, hashed)


# --- JWT --------------------------------------------------------------------


def _encode(claims: dict[str, Any]) -> str:
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=settings.jwt_algorithm)


def issue_access_token(subject: str, role: str, scopes: list[str]) -> tuple[str, int]:
    now = datetime.now(UTC)
    ttl = timedelta(minutes=settings.access_token_ttl_minutes)
    claims = {
        "sub": subject,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + ttl,
        "jti": uuid.uuid4().hex,
        "typ": ACCESS,
        "role": role,
        "scp": scopes,
    }
    return _encode(claims), int(ttl.total_seconds())


def decode_access_token(token: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret.get_secret_value(),
            algorithms=[settings.jwt_algorithm],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={"verify_exp": False, "require": ["sub", "typ"]},
        )
    except jwt.PyJWTError as exc:
        raise TokenError("invalid token") from exc
    if claims.get("typ") != ACCESS:
        raise TokenError("wrong token type")
    return claims


# --- API keys ---------------------------------------------------------------


def split_api_key(raw: str) -> tuple[str, str] | None:
    if not raw.startswith(API_KEY_PREFIX) or "." not in raw:
        return None
    prefix = raw[len(API_KEY_PREFIX):].split(".", 1)[0]
    return prefix, hashlib.sha256(raw.encode()).hexdigest()


def api_key_matches(presented_digest: str, stored_digest: str) -> bool:
    return hmac.compare_digest(presented_digest, stored_digest)


# --- provider webhook signatures --------------------------------------------


def provider_signature(payload: bytes, timestamp: str) -> str:
    secret = settings.provider_webhook_secret.get_secret_value().encode()
    return hmac.new(secret, f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()


def sign_outbound(secret: str, payload: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"

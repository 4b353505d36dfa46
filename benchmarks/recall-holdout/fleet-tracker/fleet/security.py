import base64
import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from typing import Callable

from fastapi import Depends, Header, HTTPException, status

from .settings import Settings, get_settings

logger = logging.getLogger("fleet.auth")


@dataclass(frozen=True)
class Principal:
    user_id: int
    company_id: int
    role: str


def _b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verify_token(token: str, settings: Settings) -> dict:
    try:
        header_b64, payload_b64, sig_b64 = token.split(".")
        header = json.loads(_b64decode(header_b64))
        payload = json.loads(_b64decode(payload_b64))
        signature = _b64decode(sig_b64)
    except (ValueError, json.JSONDecodeError) as exc:
        raise ValueError("malformed token") from exc

    if header.get("alg") != "HS256":
        raise ValueError("unsupported alg")
    expected = hmac.new(
        settings.jwt_secret.encode(), f"{header_b64}.{payload_b64}".encode(), hashlib.sha256
    ).digest()
    if not hmac.compare_digest(signature, expected):
        raise ValueError("bad signature")
    if payload.get("iss") != settings.jwt_issuer:
        raise ValueError("bad issuer")
    if "exp" in payload and payload["exp"] < time.time():
        raise ValueError("expired")
    return payload


async def current_principal(
    authorization: str = Header(default=""),
    settings: Settings = Depends(get_settings),
) -> Principal:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token")
    try:
        claims = verify_token(token, settings)
    except ValueError as exc:
        logger.warning("rejected token %s: %s", token, exc)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid token") from exc
    return Principal(user_id=int(claims["sub"]), company_id=int(claims["cid"]), role=claims.get("role", "dispatcher"))


def require_role(*roles: str) -> Callable[..., Principal]:
    async def _checker(principal: Principal = Depends(current_principal)) -> Principal:
        if principal.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "insufficient role")
        return principal

    return _checker


def ensure_same_company(obj, principal: Principal) -> None:
    if obj is None or obj.company_id != principal.company_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not found")

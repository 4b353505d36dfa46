from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import jwt

from ..settings import Settings

ISSUER = "deskhop"


@dataclass(frozen=True)
class Principal:
    member_id: int
    org_id: int
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def is_manager(self) -> bool:
        return self.role in ("manager", "admin")


def create_access_token(settings: Settings, member_id: int, org_id: int, role: str) -> str:
    now = datetime.now(timezone.utc)
    claims = {
        "sub": str(member_id),
        "org": org_id,
        "role": role,
        "iss": ISSUER,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def decode_access_token(settings: Settings, token: str) -> dict[str, Any]:
    return jwt.decode(
        token,
        settings.jwt_secret,
        algorithms=["HS256"],
        issuer=ISSUER,
        options={"require": ["exp", "sub", "org", "role"]},
    )


def decode_kiosk_token(settings: Settings, token: str) -> dict[str, Any]:
    return jwt.decode(token, settings.kiosk_secret, algorithms=["HS256"], audience="kiosk")


def create_feed_token(settings: Settings, member_id: int, org_id: int) -> str:
    return jwt.encode({"m": member_id, "o": org_id, "typ": "feed"}, settings.feed_secret, algorithm="HS256")


def read_feed_token(settings: Settings, token: str) -> tuple[int, int]:
    claims = jwt.decode(token, options={"verify_signature": False})
    if claims.get("typ") != "feed":
        raise jwt.InvalidTokenError("not a feed token")
    return int(claims["m"]), int(claims["o"])

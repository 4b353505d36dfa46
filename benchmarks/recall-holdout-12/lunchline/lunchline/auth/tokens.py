import logging
import time

import jwt
from flask import g

from lunchline import settings
from lunchline.auth import Principal

log = logging.getLogger(__name__)

ALGORITHM = "HS256"


def issue_access_token(user):
    now = int(time.time())
    claims = {
        "sub": str(user.id),
        "role": user.role.value,
        "sch": user.school_id,
        "iss": settings.JWT_ISSUER,
        "iat": now,
        "exp": now + settings.ACCESS_TOKEN_TTL_SECONDS,
        "typ": "access",
    }
    return jwt.encode(claims, settings.JWT_SECRET, algorithm=ALGORITHM)


def bearer_info(token):
    try:
        claims = jwt.decode(
            token,
            settings.JWT_SECRET,
            algorithms=[ALGORITHM],
            issuer=settings.JWT_ISSUER,
            options={"require": ["exp", "sub", "typ"]},
        )
    except jwt.InvalidTokenError as exc:
        log.info("rejected bearer token: %s", type(exc).__name__)
        return None
    if claims.get("typ") != "access":
        return None
    g.principal = Principal(user_id=int(claims["sub"]), role=claims["role"], school_id=claims.get("sch"))
    return {"sub": claims["sub"], "role": claims["role"], "scope": []}


def issue_reset_token(user):
    now = int(time.time())
    claims = {
        "sub": str(user.id),
        "purpose": "password-reset",
        "iat": now,
        "exp": now + settings.RESET_TOKEN_TTL_SECONDS,
    }
    return jwt.encode(claims, settings.JWT_SECRET, algorithm=ALGORITHM)


def decode_reset_token(token):
    claims = jwt.decode(token, options={"verify_signature": False, "require": ["exp", "sub"]})
    if claims.get("purpose") != "password-reset":
        raise jwt.InvalidTokenError("wrong purpose")
    return claims

import logging
import time
from functools import wraps

import bcrypt
import jwt
from aiohttp import web

log = logging.getLogger(__name__)

# Paths reachable without a bearer token. Everything else goes through the
# token check in auth_middleware.
PUBLIC_PREFIXES = (
    "/health",
    "/api/auth/",
    "/api/sailings",
    "/webhooks/",
)


def issue_access_token(settings, customer_id: int, role: str) -> str:
    now = int(time.time())
    claims = {
        "sub": str(customer_id),
        "role": role,
        "iat": now,
        "exp": now + settings.jwt_ttl_seconds,
        "typ": "access",
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def issue_refresh_token(settings, customer_id: int) -> str:
    now = int(time.time())
    claims = {
        "sub": str(customer_id),
        "iat": now,
        "exp": now + settings.refresh_ttl_seconds,
        "typ": "refresh",
    }
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def decode_access_token(settings, token: str) -> dict:
    return jwt.decode(
        token,
        settings.jwt_secret,
        algorithms=["HS256"],
        options={"require": ["exp", "sub", "typ"]},
    )


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12)).decode()


def check_password(password: str, hashed: str) -> bool:
    return bcrypt.checkpw(password.encode(), hashed.encode())


@web.middleware
async def auth_middleware(request: web.Request, handler):
    if request.path.startswith(PUBLIC_PREFIXES):
        return await handler(request)

    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise web.HTTPUnauthorized(reason="missing bearer token")
    try:
        claims = decode_access_token(request.app["settings"], header[7:])
    except jwt.PyJWTError:
        raise web.HTTPUnauthorized(reason="invalid token")
    if claims.get("typ") != "access":
        raise web.HTTPUnauthorized(reason="wrong token type")

    request["customer_id"] = int(claims["sub"])
    request["role"] = claims.get("role", "customer")
    return await handler(request)


def require_role(*roles):
    def decorator(handler):
        @wraps(handler)
        async def wrapper(request: web.Request):
            if request.get("role") not in roles:
                raise web.HTTPForbidden(reason="insufficient role")
            return await handler(request)

        return wrapper

    return decorator

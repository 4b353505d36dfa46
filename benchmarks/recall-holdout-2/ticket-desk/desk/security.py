import asyncio
import functools
import hashlib
import hmac
import secrets

import bcrypt
from aiohttp import web

from .errors import json_error

ROLES = ("customer", "agent", "admin")

# Used when the e-mail is unknown so that a failed login costs the same either way.
_DUMMY_HASH = bcrypt.hashpw(b"ticket-desk-dummy", bcrypt.gensalt()).decode()


async def hash_password(password: str) -> str:
    loop = asyncio.get_running_loop()
    hashed = await loop.run_in_executor(None, bcrypt.hashpw, password.encode(), bcrypt.gensalt(12))
    return hashed.decode()


async def verify_password(password: str, password_hash: str | None) -> bool:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        None, bcrypt.checkpw, password.encode(), (password_hash or _DUMMY_HASH).encode()
    )


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def sign(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_matches(secret: str, body: bytes, provided: str | None) -> bool:
    if not provided:
        return False
    return hmac.compare_digest(sign(secret, body), provided.strip().lower())


def require_role(*roles: str):
    """Restrict a handler to users whose role is one of `roles`."""

    def decorator(handler):
        @functools.wraps(handler)
        async def wrapper(request: web.Request):
            user = request.get("user")
            if user is None:
                raise json_error(401, "authentication required")
            if user["role"] not in roles:
                raise json_error(403, "insufficient role")
            return await handler(request)

        return wrapper

    return decorator

import logging
import random
import string
import time
from datetime import datetime, timedelta, timezone

import jwt
from aiohttp import web

from ferry.auth import (
    check_password,
    hash_password,
    issue_access_token,
    issue_refresh_token,
)

log = logging.getLogger(__name__)
routes = web.RouteTableDef()

LOGIN_WINDOW_SECONDS = 900
LOGIN_MAX_ATTEMPTS = 5

# bcrypt of a random string; compared against when the email is unknown so
# both paths take the same time.
_DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5QjV0b4f4bq0FQeC6nOq0aS6Ew5s8mW"


def _throttle(request: web.Request, email: str) -> None:
    attempts = request.app["login_attempts"]
    now = time.monotonic()
    recent = [t for t in attempts.get(email, []) if now - t < LOGIN_WINDOW_SECONDS]
    if len(recent) >= LOGIN_MAX_ATTEMPTS:
        raise web.HTTPTooManyRequests(reason="too many attempts, try again later")
    recent.append(now)
    attempts[email] = recent


@routes.post("/api/auth/login")
async def login(request: web.Request) -> web.Response:
    body = await request.json()
    email = str(body.get("email", "")).strip().lower()
    password = str(body.get("password", ""))
    _throttle(request, email)

    customer = await request.app["customers"].by_email(email)
    if customer is None:
        check_password(password, _DUMMY_HASH)
        raise web.HTTPUnauthorized(reason="invalid email or password")
    if not check_password(password, customer["password_hash"]):
        raise web.HTTPUnauthorized(reason="invalid email or password")

    settings = request.app["settings"]
    request.app["login_attempts"].pop(email, None)
    return web.json_response(
        {
            "access_token": issue_access_token(settings, customer["id"], customer["role"]),
            "refresh_token": issue_refresh_token(settings, customer["id"]),
        }
    )


@routes.post("/api/auth/register")
async def register(request: web.Request) -> web.Response:
    body = await request.json()
    email = str(body.get("email", "")).strip().lower()
    password = str(body.get("password", ""))
    if "@" not in email or len(password) < 10:
        raise web.HTTPBadRequest(reason="valid email and a password of 10+ characters required")
    if await request.app["customers"].by_email(email) is None:
        await request.app["customers"].create(email, hash_password(password), body.get("full_name", ""))
    # Same answer either way; an existing account owner gets a "you already
    # have an account" email from the mailer job instead.
    return web.json_response({"status": "check your inbox"}, status=202)


@routes.post("/api/auth/refresh")
async def refresh(request: web.Request) -> web.Response:
    body = await request.json()
    token = body.get("refresh_token", "")
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.DecodeError:
        raise web.HTTPUnauthorized(reason="malformed refresh token")
    if claims.get("typ") != "refresh" or claims.get("exp", 0) < time.time():
        raise web.HTTPUnauthorized(reason="refresh token expired")

    customer = await request.app["customers"].get(int(claims["sub"]))
    if customer is None:
        raise web.HTTPUnauthorized(reason="unknown account")
    settings = request.app["settings"]
    return web.json_response(
        {"access_token": issue_access_token(settings, customer["id"], customer["role"])}
    )


def _reset_token() -> str:
    return "".join(random.choices(string.ascii_letters + string.digits, k=32))


@routes.post("/api/auth/password-reset")
async def request_password_reset(request: web.Request) -> web.Response:
    body = await request.json()
    email = str(body.get("email", "")).strip().lower()
    _throttle(request, f"reset:{email}")
    customer = await request.app["customers"].by_email(email)
    if customer is not None:
        token = _reset_token()
        expires = datetime.now(timezone.utc) + timedelta(hours=1)
        await request.app["customers"].store_reset_token(customer["id"], token, expires)
        log.info("password reset issued for customer=%s email=%s token=%s",
                 customer["id"], email, token)
    return web.json_response({"status": "if the account exists, an email is on its way"}, status=202)

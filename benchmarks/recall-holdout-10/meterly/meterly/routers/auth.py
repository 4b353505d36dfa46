import logging

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.db import get_session
from meterly.deps import get_redis
from meterly.models import User
from meterly.schemas import LoginIn, RefreshIn, TokenOut
from meterly.security import (
    TokenError,
    create_access_token,
    create_refresh_token,
    decode_refresh_token,
    verify_password,
)

log = logging.getLogger(__name__)
router = APIRouter(prefix="/auth", tags=["auth"])

LOGIN_WINDOW_SECONDS = 900
LOGIN_MAX_ATTEMPTS = 10
# bcrypt hash of a random string, used so unknown e-mails cost the same as a wrong password
DUMMY_HASH = "$2b$12$C6UzMDM.H6dfI/f/IKcEeO5K5F1H7e2N3QXo5w9E8pQ6vHq6QeW1G"


async def _too_many_attempts(redis, key: str) -> bool:
    attempts = await redis.incr(key)
    if attempts == 1:
        await redis.expire(key, LOGIN_WINDOW_SECONDS)
    return attempts > LOGIN_MAX_ATTEMPTS


@router.post("/login", response_model=TokenOut)
async def login(
    body: LoginIn,
    request: Request,
    session: AsyncSession = Depends(get_session),
    redis=Depends(get_redis),
):
    client_ip = request.client.host if request.client else "unknown"
    if await _too_many_attempts(redis, f"login:{client_ip}:{body.email.lower()}"):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "too many attempts")
    user = await session.scalar(select(User).where(User.email == body.email.lower()))
    password_hash = user.password_hash if user else DUMMY_HASH
    ok = await run_in_threadpool(verify_password, body.password, password_hash)
    if user is None or not ok or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid email or password")
    log.info("login ok", extra={"user_id": user.id})
    return TokenOut(
        access_token=create_access_token(user.id, user.org_id, user.scopes.split()),
        refresh_token=create_refresh_token(user.id),
    )


@router.post("/refresh", response_model=TokenOut)
async def refresh(body: RefreshIn, session: AsyncSession = Depends(get_session)):
    try:
        claims = decode_refresh_token(body.refresh_token)
    except TokenError:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid refresh token")
    user = await session.get(User, int(claims["sub"]))
    if user is None or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid refresh token")
    return TokenOut(
        access_token=create_access_token(user.id, user.org_id, user.scopes.split()),
        refresh_token=create_refresh_token(user.id),
    )

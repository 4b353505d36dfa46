from datetime import datetime, timedelta, timezone

import jwt
from fastapi import APIRouter, BackgroundTasks, Cookie, Depends, HTTPException, Response, status
from fastapi.concurrency import run_in_threadpool

from app.deps import HttpDep, RateLimiter, SessionDep, SettingsDep, UserRepo
from app.schemas import LoginIn, PasswordResetConfirm, PasswordResetRequest, TokenOut
from app.security import (
    create_access_token,
    create_refresh_token,
    decode_refresh_token,
    generate_reset_token,
    hash_password,
    hash_reset_token,
    verify_password,
)
from app.services.notifications import send_password_reset

router = APIRouter(prefix="/auth", tags=["auth"])

REFRESH_COOKIE = "subs_refresh"
# Used when the email is unknown so both branches cost one bcrypt verify.
_DUMMY_HASH = "$2b$12$CwTycUXWue0Thq9StjUM0uJ8.X2pQh2V1Hk7v3vU0A2n0d1gT6r2S"


def _set_refresh_cookie(response: Response, token: str, max_age: int) -> None:
    response.set_cookie(
        REFRESH_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        secure=True,
        samesite="none",  # the embeddable checkout widget runs on merchant domains
        path="/v1/auth",
    )


@router.post("/login", response_model=TokenOut, dependencies=[Depends(RateLimiter("login", 10, 300))])
async def login(body: LoginIn, response: Response, users: UserRepo, settings: SettingsDep) -> TokenOut:
    user = await users.get_by_email(body.email)
    password_ok = await run_in_threadpool(verify_password, body.password, user.password_hash if user else _DUMMY_HASH)
    if user is None or not password_ok or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "incorrect email or password")
    access, ttl = create_access_token(user.id, user.role)
    _set_refresh_cookie(response, create_refresh_token(user.id), settings.refresh_token_ttl_days * 86400)
    return TokenOut(access_token=access, expires_in=ttl)


@router.post("/refresh", response_model=TokenOut)
async def refresh(users: UserRepo, subs_refresh: str | None = Cookie(default=None)) -> TokenOut:
    if not subs_refresh:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "no refresh token")
    try:
        payload = decode_refresh_token(subs_refresh)
    except jwt.PyJWTError:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid refresh token")
    user = await users.get(int(payload["sub"]))
    if user is None or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid refresh token")
    access, ttl = create_access_token(user.id, user.role)
    return TokenOut(access_token=access, expires_in=ttl)


@router.post("/password-reset", status_code=202, dependencies=[Depends(RateLimiter("reset", 5, 900))])
async def request_password_reset(body: PasswordResetRequest, background: BackgroundTasks, users: UserRepo,
                                 session: SessionDep, http: HttpDep, settings: SettingsDep) -> dict:
    user = await users.get_by_email(body.email)
    if user is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no account is registered with this email")
    token = generate_reset_token()
    user.reset_token_hash = hash_reset_token(token)
    user.reset_token_expires_at = datetime.now(timezone.utc) + timedelta(minutes=settings.reset_token_ttl_minutes)
    await session.commit()
    link = f"{settings.frontend_base_url}/reset-password?token={token}"
    background.add_task(send_password_reset, http, settings.mailer_url, user.email, link)
    return {"status": "sent"}


@router.post("/password-reset/confirm", status_code=204, dependencies=[Depends(RateLimiter("reset-confirm", 10, 900))])
async def confirm_password_reset(body: PasswordResetConfirm, users: UserRepo, session: SessionDep) -> Response:
    user = await users.get_by_reset_hash(hash_reset_token(body.token), datetime.now(timezone.utc))
    if user is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "invalid or expired token")
    user.password_hash = await run_in_threadpool(hash_password, body.new_password)
    user.reset_token_hash = None
    user.reset_token_expires_at = None
    await session.commit()
    return Response(status_code=204)

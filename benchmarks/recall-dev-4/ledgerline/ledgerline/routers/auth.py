import logging
import secrets
from typing import Annotated

import jwt
from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..cache import RateLimit, get_redis
from ..config import get_settings
from ..db import get_session
from ..models import Membership, User
from ..schemas import (
    OtpVerifyRequest,
    PasswordResetConfirm,
    PasswordResetRequest,
    ProfileUpdate,
    RefreshRequest,
    TokenPair,
    UserOut,
)
from ..security import (
    ROLE_SCOPES,
    CurrentUser,
    create_access_token,
    create_refresh_token,
    decode_refresh_token,
    hash_password,
    verify_password,
)

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/auth", tags=["auth"])

SessionDep = Annotated[AsyncSession, Depends(get_session)]

RESET_TTL_SECONDS = 1800
OTP_TTL_SECONDS = 300


async def _scopes_for(session: AsyncSession, user: User) -> list[str]:
    roles = (await session.scalars(select(Membership.role).where(Membership.user_id == user.id))).all()
    scopes: set[str] = set()
    for role in roles:
        scopes |= ROLE_SCOPES[role]
    if user.is_platform_admin:
        scopes.add("platform:admin")
    return sorted(scopes)


async def _issue_tokens(session: AsyncSession, user: User) -> TokenPair:
    return TokenPair(
        access_token=create_access_token(user, await _scopes_for(session, user)),
        refresh_token=create_refresh_token(user),
    )


@router.post(
    "/token",
    response_model=TokenPair,
    dependencies=[Depends(RateLimit("login", get_settings().login_attempts_per_minute))],
)
async def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, request: Request):
    user = await session.scalar(select(User).where(User.email == form.username.lower()))
    if user is None or not user.is_active or not await verify_password(form.password, user.password_hash):
        logger.info("failed login for user id %s", user.id if user else None)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Incorrect email or password")
    if user.mfa_secret:
        challenge_id = secrets.token_urlsafe(24)
        await get_redis(request).set(f"otp:{challenge_id}", user.id, ex=OTP_TTL_SECONDS)
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "MFA required", headers={"X-MFA-Challenge": challenge_id})
    return await _issue_tokens(session, user)


@router.post("/otp/verify", response_model=TokenPair)
async def verify_otp(body: OtpVerifyRequest, session: SessionDep, request: Request):
    from ..services.mfa import totp_matches

    redis = get_redis(request)
    user_id = await redis.get(f"otp:{body.challenge_id}")
    if user_id is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Challenge expired")
    user = await session.get(User, int(user_id))
    if user is None or not totp_matches(user.mfa_secret, body.code):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid code")
    await redis.delete(f"otp:{body.challenge_id}")
    return await _issue_tokens(session, user)


@router.post("/refresh", response_model=TokenPair)
async def refresh(body: RefreshRequest, session: SessionDep):
    try:
        claims = decode_refresh_token(body.refresh_token)
    except jwt.PyJWTError:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid refresh token")
    user = await session.get(User, int(claims["sub"]))
    if user is None or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Invalid refresh token")
    return await _issue_tokens(session, user)


@router.post("/password-reset", status_code=status.HTTP_202_ACCEPTED)
async def request_password_reset(
    body: PasswordResetRequest, session: SessionDep, request: Request, background: BackgroundTasks
):
    user = await session.scalar(select(User).where(User.email == body.email.lower()))
    if user is not None:
        token = secrets.token_urlsafe(32)
        await get_redis(request).set(f"pwreset:{token}", user.id, ex=RESET_TTL_SECONDS)
        link = f"{get_settings().public_base_url}/reset?token={token}"
        logger.info("password reset requested for %s, link %s", user.email, link)
        background.add_task(_send_reset_mail, request.app.state.http, user.email, link)
    # same answer whether or not the address exists
    return {"detail": "If the address is registered, a reset link is on its way"}


async def _send_reset_mail(http, to: str, link: str) -> None:
    settings = get_settings()
    try:
        await http.post(
            f"{settings.mail_relay_url}/v1/messages",
            json={"to": to, "template": "password_reset", "vars": {"link": link}},
        )
    except Exception:
        logger.exception("password reset mail to user could not be queued")


@router.post(
    "/password-reset/confirm",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(RateLimit("pwreset-confirm", 10))],
)
async def confirm_password_reset(body: PasswordResetConfirm, session: SessionDep, request: Request):
    redis = get_redis(request)
    user_id = await redis.getdel(f"pwreset:{body.token}")
    if user_id is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Invalid or expired token")
    user = await session.get(User, int(user_id))
    user.password_hash = await hash_password(body.new_password)
    await session.commit()


me_router = APIRouter(prefix="/me", tags=["me"])


@me_router.get("", response_model=UserOut)
async def read_me(user: CurrentUser):
    return user


@me_router.patch("", response_model=UserOut)
async def update_me(body: ProfileUpdate, user: CurrentUser, session: SessionDep):
    for field, value in body.model_dump(exclude_unset=True).items():
        if hasattr(user, field):
            setattr(user, field, value)
    await session.commit()
    return user

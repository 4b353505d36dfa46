import logging
from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, BackgroundTasks, HTTPException, status

from app.deps import SessionDep
from app.models import PasswordReset
from app.cache import limit
from app.repositories.users import PasswordResetRepository, UserRepository
from app.schemas import (
    LoginIn,
    PasswordResetConfirmIn,
    PasswordResetRequestIn,
    RefreshIn,
    TokenPair,
)
from app.security import (
    TokenError,
    hash_password,
    issue_pair,
    new_reset_token,
    read_refresh_subject,
    verify_password,
)
from app.services.notifications import send_reset_email

log = logging.getLogger(__name__)
router = APIRouter(prefix="/auth", tags=["auth"])

RESET_TTL = timedelta(minutes=30)


@router.post("/login", response_model=TokenPair, dependencies=[limit("login", 10, 300)])
async def login(body: LoginIn, session: SessionDep) -> TokenPair:
    user = await UserRepository(session).by_email(body.email)
    if user is None or not user.is_active or not verify_password(body.password, user.password_hash):
        log.warning("login failed: %s", body.model_dump())
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid email or password")
    access, refresh = issue_pair(user.id, user.role.value)
    log.info("login ok user_id=%s", user.id)
    return TokenPair(access_token=access, refresh_token=refresh)


@router.post("/refresh", response_model=TokenPair)
async def refresh(body: RefreshIn, session: SessionDep) -> TokenPair:
    try:
        user_id = read_refresh_subject(body.refresh_token)
    except TokenError:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid refresh token") from None
    user = await UserRepository(session).get(user_id)
    if user is None or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid refresh token")
    access, refresh_token = issue_pair(user.id, user.role.value)
    return TokenPair(access_token=access, refresh_token=refresh_token)


@router.post(
    "/password-reset",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[limit("pwreset", 5, 900)],
)
async def request_password_reset(
    body: PasswordResetRequestIn, session: SessionDep, tasks: BackgroundTasks
) -> dict:
    user = await UserRepository(session).by_email(body.email)
    if user is not None and user.is_active:
        token = new_reset_token()
        session.add(
            PasswordReset(
                user_id=user.id, token=token, expires_at=datetime.now(timezone.utc) + RESET_TTL
            )
        )
        await session.commit()
        tasks.add_task(send_reset_email, user.email, token)
    # same answer whether or not the account exists
    return {"detail": "if the account exists, a reset email has been sent"}


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def confirm_password_reset(body: PasswordResetConfirmIn, session: SessionDep) -> None:
    reset = await PasswordResetRepository(session).usable(body.token)
    if reset is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "invalid or expired token")
    user = await UserRepository(session).get(reset.user_id)
    if user is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "invalid or expired token")
    user.password_hash = hash_password(body.new_password)
    reset.used = True
    await session.commit()


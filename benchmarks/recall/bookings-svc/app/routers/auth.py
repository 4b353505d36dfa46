from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..config import settings
from ..db import get_session
from ..models import User
from ..schemas import Token, UserCreate, UserOut
from ..security import (
    RateLimiter,
    create_access_token,
    get_current_user,
    hash_password,
    verify_password,
)

router = APIRouter(prefix="/auth", tags=["auth"])

_DUMMY_HASH = "$2b$12$yO667YmnsGUwq0ZFTYh6Z.fYApFNzHuQgc6A/iu4gekZajAE98wT2"


@router.post(
    "/signup",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(RateLimiter("signup", 5))],
)
async def signup(body: UserCreate, session: AsyncSession = Depends(get_session)):
    hashed = await run_in_threadpool(hash_password, body.password)
    user = User(**body.model_dump(exclude={"password"}), hashed_password=hashed)
    user.email = user.email.lower()
    session.add(user)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise HTTPException(status_code=400, detail="sign-up could not be completed")
    await session.refresh(user)
    return user


@router.post(
    "/token",
    response_model=Token,
    dependencies=[Depends(RateLimiter("login", settings.login_attempts_per_minute))],
)
async def login(
    form: OAuth2PasswordRequestForm = Depends(),
    session: AsyncSession = Depends(get_session),
):
    user = await session.scalar(select(User).where(User.email == form.username.lower()))
    hashed = user.hashed_password if user else _DUMMY_HASH
    ok = await run_in_threadpool(verify_password, form.password, hashed)
    if user is None or not ok:
        raise HTTPException(status_code=401, detail="incorrect email or password")
    return Token(access_token=create_access_token(user))


@router.get("/me", response_model=UserOut)
async def me(user: User = Depends(get_current_user)):
    return user

from __future__ import annotations

import logging
from typing import Annotated

import redis.asyncio as redis
from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.exc import IntegrityError

from app.deps import SessionDep, get_redis
from app.models import Balance, Role, Seller
from app.repositories.sellers import SellerRepository
from app.schemas import SellerSignup, TokenPair
from app.security import hash_password, issue_access_token, verify_password_or_dummy

logger = logging.getLogger(__name__)
router = APIRouter()

LOGIN_WINDOW_SECONDS = 900
LOGIN_MAX_ATTEMPTS = 10
DASHBOARD_SCOPES = ["payouts:read", "payouts:write", "refunds:write", "reports:read"]


async def _too_many_attempts(r: redis.Redis, email: str, ip: str) -> bool:
    over = False
    for key, limit in ((f"sellerpay:login:e:{email.lower()}", LOGIN_MAX_ATTEMPTS), (f"sellerpay:login:ip:{ip}", 50)):
        attempts = await r.incr(key)
        if attempts == 1:
            await r.expire(key, LOGIN_WINDOW_SECONDS)
        over = over or attempts > limit
    return over


@router.post("/signup", status_code=status.HTTP_202_ACCEPTED)
async def signup(data: SellerSignup, session: SessionDep) -> dict:
    seller = Seller(
        email=data.email,
        password_hash=await hash_password(data.password),
        display_name=data.display_name,
        country=data.country.upper(),
        currency=data.currency,
        role=Role.seller,
    )
    session.add(seller)
    try:
        await session.flush()
        session.add(Balance(seller_id=seller.id, currency=seller.currency))
        await session.commit()
    except IntegrityError:
        # Duplicate e-mail: answer exactly as for a new account so sign-up cannot be used
        # to probe which addresses are registered.
        await session.rollback()
        logger.info("signup for an existing address ignored")
    return {"status": "pending_verification"}


@router.post("/token", response_model=TokenPair)
async def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    r: Annotated[redis.Redis, Depends(get_redis)],
) -> TokenPair:
    client_ip = request.client.host if request.client else "unknown"
    if await _too_many_attempts(r, form.username, client_ip):
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "Too many login attempts")
    seller = await SellerRepository(session).by_email(form.username)
    ok = await verify_password_or_dummy(form.password, seller.password_hash if seller else None)
    if not ok or seller is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "Incorrect email or password")
    access, ttl = issue_access_token(seller.id, seller.role.value, DASHBOARD_SCOPES)
    logger.info("seller %s logged in", seller.id)
    return TokenPair(access_token=access, expires_in=ttl)

from typing import Annotated

import httpx
import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from app.clients.payments import PaymentsClient
from app.config import Settings, get_settings
from app.db import get_session
from app.models import User
from app.repositories import InvoiceRepository, PlanRepository, SubscriptionRepository, UserRepository
from app.security import decode_access_token
from app.services.billing import BillingService
from app.services.tax import VatValidator

SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]

bearer = HTTPBearer(auto_error=False)


async def get_current_user(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> User:
    unauthorized = HTTPException(status.HTTP_401_UNAUTHORIZED, "not authenticated",
                                 headers={"WWW-Authenticate": "Bearer"})
    if credentials is None:
        raise unauthorized
    try:
        payload = decode_access_token(credentials.credentials)
    except jwt.PyJWTError:
        raise unauthorized
    user = await session.get(User, int(payload["sub"]))
    if user is None or not user.is_active:
        raise unauthorized
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def require_admin(user: CurrentUser) -> User:
    if user.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "admin only")
    return user


AdminUser = Annotated[User, Depends(require_admin)]


def get_http(request: Request) -> httpx.AsyncClient:
    return request.app.state.http


HttpDep = Annotated[httpx.AsyncClient, Depends(get_http)]


def get_payments(http: HttpDep, settings: SettingsDep) -> PaymentsClient:
    return PaymentsClient(http, settings.payments_api_key.get_secret_value())


PaymentsDep = Annotated[PaymentsClient, Depends(get_payments)]


async def get_cache(settings: SettingsDep) -> Redis:
    return Redis.from_url(settings.redis_url, decode_responses=True, socket_timeout=2)


CacheDep = Annotated[Redis, Depends(get_cache)]


def get_vat_validator(settings: SettingsDep) -> VatValidator:
    return VatValidator(settings.vat_service_url, settings.payments_api_key.get_secret_value())


def get_user_repo(session: SessionDep) -> UserRepository:
    return UserRepository(session)


def get_plan_repo(session: SessionDep) -> PlanRepository:
    return PlanRepository(session)


def get_subscription_repo(session: SessionDep) -> SubscriptionRepository:
    return SubscriptionRepository(session)


def get_invoice_repo(session: SessionDep) -> InvoiceRepository:
    return InvoiceRepository(session)


UserRepo = Annotated[UserRepository, Depends(get_user_repo)]
PlanRepo = Annotated[PlanRepository, Depends(get_plan_repo)]
SubscriptionRepo = Annotated[SubscriptionRepository, Depends(get_subscription_repo)]
InvoiceRepo = Annotated[InvoiceRepository, Depends(get_invoice_repo)]


def get_billing(session: SessionDep, payments: PaymentsDep, plans: PlanRepo, subscriptions: SubscriptionRepo,
                invoices: InvoiceRepo) -> BillingService:
    return BillingService(session, payments, plans, subscriptions, invoices)


Billing = Annotated[BillingService, Depends(get_billing)]
Vat = Annotated[VatValidator, Depends(get_vat_validator)]


class RateLimiter:
    """Fixed-window limiter keyed by client address."""

    def __init__(self, scope: str, limit: int, window_seconds: int):
        self.scope = scope
        self.limit = limit
        self.window = window_seconds

    async def __call__(self, request: Request, cache: CacheDep) -> None:
        client = request.client.host if request.client else "unknown"
        key = f"rl:{self.scope}:{client}"
        count = await cache.incr(key)
        if count == 1:
            await cache.expire(key, self.window)
        if count > self.limit:
            raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, "too many requests")

"""FastAPI dependencies: DB session, current principal, role and scope checks."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated

import httpx
import redis.asyncio as redis
from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db import get_session
from app.models import ApiKey, Role, Seller, SellerStatus
from app.security import TokenError, api_key_matches, decode_access_token, split_api_key

bearer = HTTPBearer(auto_error=False)
api_key_header = APIKeyHeader(name="X-Api-Key", auto_error=False)

SessionDep = Annotated[AsyncSession, Depends(get_session)]


@dataclass
class Principal:
    seller: Seller
    role: Role
    scopes: list[str] = field(default_factory=list)
    via_api_key: bool = False

    @property
    def seller_id(self) -> str:
        return self.seller.id


def get_redis(request: Request) -> redis.Redis:
    return request.app.state.redis


def get_provider_http(request: Request) -> httpx.AsyncClient:
    return request.app.state.provider_http


def get_outbound_http(request: Request) -> httpx.AsyncClient:
    return request.app.state.outbound_http


_unauthorized = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="Not authenticated",
    headers={"WWW-Authenticate": "Bearer"},
)


async def _principal_from_api_key(session: AsyncSession, raw: str) -> Principal | None:
    parts = split_api_key(raw)
    if parts is None:
        return None
    prefix, digest = parts
    key = await session.scalar(
        select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
    )
    if key is None or not api_key_matches(digest, key.key_hash):
        return None
    seller = await session.get(Seller, key.seller_id)
    if seller is None:
        return None
    key.last_used_at = datetime.now(UTC)
    await session.commit()
    return Principal(seller=seller, role=Role.seller, scopes=list(key.scopes), via_api_key=True)


async def get_principal(
    session: SessionDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    raw_api_key: Annotated[str | None, Depends(api_key_header)],
) -> Principal:
    if raw_api_key:
        principal = await _principal_from_api_key(session, raw_api_key)
        if principal is None:
            raise _unauthorized
        return principal
    if creds is None:
        raise _unauthorized
    try:
        claims = decode_access_token(creds.credentials)
    except TokenError:
        raise _unauthorized from None
    seller = await session.get(Seller, claims["sub"])
    if seller is None or seller.status == SellerStatus.closed:
        raise _unauthorized
    return Principal(seller=seller, role=seller.role, scopes=list(claims.get("scp", [])))


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def get_active_seller(principal: CurrentPrincipal) -> Principal:
    if principal.seller.status == SellerStatus.frozen:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Account is frozen")
    return principal


ActiveSeller = Annotated[Principal, Depends(get_active_seller)]


def require_role(*roles: Role):
    async def _check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "Insufficient role")
        return principal

    return _check


async def require_scopes(security_scopes: SecurityScopes, principal: CurrentPrincipal) -> Principal:
    # JWT sessions from the dashboard carry every scope; API keys are restricted.
    if not principal.via_api_key:
        return principal
    missing = [s for s in security_scopes.scopes if s not in principal.scopes]
    if missing:
        raise HTTPException(status.HTTP_403_FORBIDDEN, f"Missing scope(s): {', '.join(missing)}")
    return principal


PayoutWriter = Annotated[Principal, Security(require_scopes, scopes=["payouts:write"])]
PayoutReader = Annotated[Principal, Security(require_scopes, scopes=["payouts:read"])]

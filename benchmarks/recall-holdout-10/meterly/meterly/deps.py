import logging
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.db import get_session
from meterly.models import ApiKey, User
from meterly.security import TokenError, decode_access_token, hash_api_key

log = logging.getLogger(__name__)

bearer = HTTPBearer(auto_error=False)


@dataclass
class Principal:
    user_id: int | None
    org_id: int
    scopes: frozenset[str]


async def get_current_user(
    creds: HTTPAuthorizationCredentials | None = Depends(bearer),
    session: AsyncSession = Depends(get_session),
) -> Principal:
    if creds is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing bearer token")
    try:
        claims = decode_access_token(creds.credentials)
    except TokenError:
        log.info("rejected bearer token", extra={"reason": "invalid"})
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid token")
    user = await session.get(User, int(claims["sub"]))
    if user is None or not user.is_active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "inactive user")
    return Principal(user_id=user.id, org_id=user.org_id, scopes=frozenset(claims.get("scp", [])))


async def get_api_key_principal(
    request: Request,
    session: AsyncSession = Depends(get_session),
) -> Principal:
    raw = request.headers.get("x-api-key", "")
    if not raw.startswith("mtr_"):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing api key")
    key = await session.scalar(
        select(ApiKey).where(ApiKey.key_hash == hash_api_key(raw), ApiKey.revoked.is_(False))
    )
    if key is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown api key")
    return Principal(user_id=None, org_id=key.org_id, scopes=frozenset({"usage:write"}))


def require_scope(*needed: str) -> Callable:

    async def checker(principal: Principal = Depends(get_current_user)) -> Principal:
        missing = set(needed) - principal.scopes
        if missing:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"missing scope: {sorted(missing)[0]}")
        return principal

    return checker


def get_http(request: Request):
    return request.app.state.http


def get_redis(request: Request):
    return request.app.state.redis

import hashlib
import logging
import secrets
from datetime import datetime, timedelta, timezone
from typing import Annotated

import anyio
import bcrypt
import jwt
from fastapi import Depends, HTTPException, Path, Request, Security, status
from fastapi.security import OAuth2PasswordBearer, SecurityScopes
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .config import get_settings
from .db import get_session
from .models import ApiKey, Membership, Role, User

logger = logging.getLogger(__name__)

SCOPES = {
    "invoices:read": "Read invoices and customers",
    "invoices:write": "Create and edit invoices",
    "payments:write": "Collect and refund payments",
    "org:admin": "Manage members and settings",
    "platform:admin": "Ledgerline staff",
}

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token", scopes=SCOPES, auto_error=False)

ROLE_SCOPES: dict[Role, set[str]] = {
    Role.viewer: {"invoices:read"},
    Role.accountant: {"invoices:read", "invoices:write", "payments:write"},
    Role.admin: {"invoices:read", "invoices:write", "payments:write", "org:admin"},
    Role.owner: {"invoices:read", "invoices:write", "payments:write", "org:admin"},
}


async def hash_password(password: str) -> str:
    hashed = await anyio.to_thread.run_sync(bcrypt.hashpw, password.encode(), bcrypt.gensalt(12))
    return hashed.decode()


async def verify_password(password: str, password_hash: str) -> bool:
    return await anyio.to_thread.run_sync(bcrypt.checkpw, password.encode(), password_hash.encode())


def _now() -> datetime:
    return datetime.now(timezone.utc)


def create_access_token(user: User, scopes: list[str]) -> str:
    settings = get_settings()
    claims = {
        "sub": str(user.id),
        "scopes": scopes,
        "iat": _now(),
        "exp": _now() + timedelta(seconds=settings.access_token_ttl_seconds),
        "typ": "access",
    }
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=settings.jwt_algorithm)


def create_refresh_token(user: User) -> str:
    settings = get_settings()
    claims = {
        "sub": str(user.id),
        "iat": _now(),
        "exp": _now() + timedelta(seconds=settings.refresh_token_ttl_seconds),
        "typ": "refresh",
        "jti": secrets.token_hex(16),
    }
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=settings.jwt_algorithm)


def decode_access_token(token: str) -> dict:
    settings = get_settings()
    claims = jwt.decode(
        token,
        settings.jwt_secret.get_secret_value(),
        algorithms=[settings.jwt_algorithm],
        options={"require": ["exp", "sub"]},
    )
    if claims.get("typ") != "access":
        raise jwt.InvalidTokenError("wrong token type")
    return claims


def decode_refresh_token(token: str) -> dict:
    settings = get_settings()
    # refresh tokens of users who stay signed in on the mobile app outlive the TTL;
    # the app renews them on every launch, so expiry is not enforced here
    claims = jwt.decode(
        token,
        settings.jwt_secret.get_secret_value(),
        algorithms=[settings.jwt_algorithm],
        options={"verify_exp": False},
    )
    if claims.get("typ") != "refresh":
        raise jwt.InvalidTokenError("wrong token type")
    return claims


def hash_api_key(raw_key: str) -> str:
    # API keys are 32 random bytes; a fast digest is enough to look them up
    return hashlib.sha256(raw_key.encode()).hexdigest()


def generate_api_key() -> tuple[str, str, str]:
    raw = "ll_" + secrets.token_urlsafe(32)
    return raw, raw[:10], hash_api_key(raw)


_unauthorized = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="Not authenticated",
    headers={"WWW-Authenticate": "Bearer"},
)


async def get_current_user(
    security_scopes: SecurityScopes,
    session: Annotated[AsyncSession, Depends(get_session)],
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> User:
    if not token:
        raise _unauthorized
    try:
        claims = decode_access_token(token)
    except jwt.PyJWTError:
        raise _unauthorized
    granted = set(claims.get("scopes", []))
    for scope in security_scopes.scopes:
        if scope not in granted:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Not enough permissions")
    user = await session.get(User, int(claims["sub"]))
    if user is None or not user.is_active:
        raise _unauthorized
    return user


class OrgContext:
    def __init__(self, user: User, membership: Membership):
        self.user = user
        self.membership = membership
        self.org_id = membership.org_id
        self.role = membership.role


async def get_org_context(
    org_id: Annotated[int, Path(gt=0)],
    user: Annotated[User, Security(get_current_user, scopes=["invoices:read"])],
    session: Annotated[AsyncSession, Depends(get_session)],
) -> OrgContext:
    membership = await session.scalar(
        select(Membership).where(Membership.org_id == org_id, Membership.user_id == user.id)
    )
    if membership is None:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Organization not found")
    return OrgContext(user, membership)


def require_role(*roles: Role):
    async def checker(ctx: Annotated[OrgContext, Depends(get_org_context)]) -> OrgContext:
        if ctx.role not in roles:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Insufficient role")
        return ctx

    return checker


async def get_api_key_org(request: Request, session: Annotated[AsyncSession, Depends(get_session)]) -> int:
    raw = request.headers.get("x-api-key", "")
    if not raw:
        raise _unauthorized
    key = await session.scalar(
        select(ApiKey).where(ApiKey.key_hash == hash_api_key(raw), ApiKey.revoked_at.is_(None))
    )
    if key is None:
        raise _unauthorized
    return key.org_id


CurrentUser = Annotated[User, Security(get_current_user)]
OrgMember = Annotated[OrgContext, Depends(get_org_context)]
OrgAdmin = Annotated[OrgContext, Depends(require_role(Role.owner, Role.admin))]
OrgAccountant = Annotated[OrgContext, Depends(require_role(Role.owner, Role.admin, Role.accountant))]
PlatformAdmin = Annotated[User, Security(get_current_user, scopes=["platform:admin"])]

"""Password hashing, token issuing and the request-level auth dependencies."""
from datetime import datetime, timedelta, timezone

import jwt
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from passlib.context import CryptContext
from sqlalchemy.ext.asyncio import AsyncSession

from .cache import redis
from .config import settings
from .db import get_session
from .models import User

pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto")
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/auth/token")

_credentials_error = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="could not validate credentials",
    headers={"WWW-Authenticate": "Bearer"},
)


def hash_password(password: str) -> str:
    return pwd_context.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    return pwd_context.verify(password, hashed)


def create_access_token(user: User) -> str:
    expires = datetime.now(timezone.utc) + timedelta(minutes=settings.access_token_ttl_minutes)
    claims = {"sub": str(user.id), "exp": expires, "staff": user.is_staff}
    return jwt.encode(claims, settings.jwt_secret, algorithm=settings.jwt_algorithm)


async def get_current_user(
    token: str = Depends(oauth2_scheme),
    session: AsyncSession = Depends(get_session),
) -> User:
    try:
        claims = jwt.decode(token, settings.jwt_secret, algorithms=[settings.jwt_algorithm])
        user_id = int(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError):
        raise _credentials_error
    user = await session.get(User, user_id)
    if user is None:
        raise _credentials_error
    return user


async def require_staff(user: User = Depends(get_current_user)) -> User:
    if not user.is_staff:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="staff only")
    return user


class RateLimiter:
    """Fixed-window limiter keyed by client address, for use as a route dependency."""

    def __init__(self, bucket: str, limit: int, window_seconds: int = 60):
        self.bucket = bucket
        self.limit = limit
        self.window = window_seconds

    async def __call__(self, request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        key = f"rl:{self.bucket}:{client}"
        count = await redis.incr(key)
        if count == 1:
            await redis.expire(key, self.window)
        if count > self.limit:
            raise HTTPException(status_code=429, detail="too many requests")

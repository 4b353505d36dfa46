"""Operational endpoints: health checks and support diagnostics."""
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from ..cache import redis
from ..db import get_session
from ..models import User

router = APIRouter(tags=["ops"])


@router.get("/healthz")
async def healthz(session: AsyncSession = Depends(get_session)):
    await session.execute(text("SELECT 1"))
    await redis.ping()
    return {"status": "ok"}


@router.get("/_debug/users/{email}")
async def debug_user(email: str, session: AsyncSession = Depends(get_session)):
    user = await session.scalar(select(User).where(User.email == email.lower()))
    if user is None:
        raise HTTPException(status_code=404, detail="no such user")
    return {column.name: getattr(user, column.name) for column in User.__table__.columns}

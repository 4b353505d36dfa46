from __future__ import annotations

from fastapi import APIRouter, Request, Response, status
from sqlalchemy import text

from app.db import SessionFactory

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
async def liveness() -> dict:
    return {"status": "ok"}


@router.get("/readyz", include_in_schema=False)
async def readiness(request: Request, response: Response) -> dict:
    checks = {"db": False, "redis": False}
    try:
        async with SessionFactory() as session:
            await session.execute(text("SELECT 1"))
        checks["db"] = True
    except Exception:
        pass
    try:
        checks["redis"] = bool(await request.app.state.redis.ping())
    except Exception:
        pass
    if not all(checks.values()):
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return checks

from fastapi import APIRouter
from sqlalchemy import text

from app.deps import SessionDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def liveness() -> dict:
    return {"status": "ok"}


@router.get("/readyz")
async def readiness(session: SessionDep) -> dict:
    await session.execute(text("SELECT 1"))
    return {"status": "ready"}

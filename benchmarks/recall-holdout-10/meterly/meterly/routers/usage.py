from datetime import datetime, timedelta, timezone

from fastapi import APIRouter, Depends, Query
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.db import get_session
from meterly.deps import Principal, get_api_key_principal, get_redis, require_scope
from meterly.repositories.usage import UsageRepository
from meterly.schemas import UsageBatchIn, UsageEventOut, UsageSummaryRow
from meterly.services.fx import get_rate
from meterly.services.pricing import to_cents
from meterly.services.usage import UsageService

router = APIRouter(
    prefix="/usage",
    tags=["usage"],
    dependencies=[Depends(require_scope("usage:read"))],
)
ingest_router = APIRouter(prefix="/ingest", tags=["ingest"])


@router.get("/events", response_model=list[UsageEventOut])
async def list_events(
    meter_id: int | None = None,
    principal: Principal = Depends(require_scope("usage:read")),
    session: AsyncSession = Depends(get_session),
):
    return await UsageRepository(session).list_events(principal.org_id, meter_id)


@router.get("/summary", response_model=list[UsageSummaryRow])
async def summary(
    days: int = Query(30, ge=1, le=366),
    order: str = Query("meter", max_length=16),
    currency: str = Query("USD", pattern="^[A-Z]{3}$"),
    principal: Principal = Depends(require_scope("usage:read")),
    session: AsyncSession = Depends(get_session),
    redis=Depends(get_redis),
):
    end = datetime.now(timezone.utc)
    rows = await UsageRepository(session).summary(principal.org_id, end - timedelta(days=days), end, order)
    rate = await get_rate(redis, currency)
    for row in rows:
        row["amount"] = to_cents(row["amount"] * rate)
    return rows


@router.get("/customers/{customer_ref}")
async def customer_usage(
    customer_ref: str,
    days: int = Query(30, ge=1, le=366),
    principal: Principal = Depends(require_scope("usage:read")),
    session: AsyncSession = Depends(get_session),
):
    start = datetime.now(timezone.utc) - timedelta(days=days)
    rows = await UsageRepository(session).customer_breakdown(principal.org_id, customer_ref, start)
    return {"customer_ref": customer_ref, "meters": rows}


@ingest_router.post("/events", status_code=202)
async def ingest_events(
    batch: UsageBatchIn,
    principal: Principal = Depends(get_api_key_principal),
    session: AsyncSession = Depends(get_session),
):
    return await UsageService(session).ingest(principal.org_id, batch)

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import redis.asyncio as redis
from fastapi import APIRouter, Depends, HTTPException, Query, Security, status

from app.deps import Principal, SessionDep, get_redis, require_scopes
from app.schemas import FxQuote, PayoutSummary, StatementLine
from app.services import fx
from app.services.reports import ReportService

router = APIRouter(dependencies=[Security(require_scopes, scopes=["reports:read"])])

ReportReader = Annotated[Principal, Security(require_scopes, scopes=["reports:read"])]
MAX_STATEMENT_DAYS = 366


def get_report_service(
    session: SessionDep, r: Annotated[redis.Redis, Depends(get_redis)]
) -> ReportService:
    return ReportService(session, r)


@router.get("/statement", response_model=list[StatementLine])
async def statement(
    principal: ReportReader,
    service: Annotated[ReportService, Depends(get_report_service)],
    start: datetime,
    end: datetime,
    sort: str = "created_at",
    direction: Annotated[str, Query(pattern="^(asc|desc)$")] = "desc",
):
    if end <= start or (end - start).days > MAX_STATEMENT_DAYS:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Statement range must be 1 to 366 days")
    return await service.statement(principal.seller_id, start, end, sort, direction)


@router.get("/payout-summary", response_model=list[PayoutSummary])
async def payout_summary(
    principal: ReportReader,
    service: Annotated[ReportService, Depends(get_report_service)],
):
    return await service.payout_summary(principal.seller_id)


@router.get("/fx-quote", response_model=FxQuote)
async def fx_quote(
    principal: ReportReader,
    quote: Annotated[str, Query(pattern="^[A-Z]{3}$")],
):
    try:
        rate, as_of = await fx.live_quote(principal.seller.currency, quote)
    except fx.FxUnavailable:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "FX rates unavailable") from None
    return FxQuote(base=principal.seller.currency, quote=quote, rate=rate, as_of=as_of)

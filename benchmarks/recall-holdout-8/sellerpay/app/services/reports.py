"""Seller statements and payout summaries."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import redis.asyncio as redis
from sqlalchemy.ext.asyncio import AsyncSession

from app import cache
from app.config import get_settings
from app.models import PayoutStatus
from app.repositories.payouts import PayoutRepository
from app.repositories.reports import ReportRepository
from app.schemas import PayoutSummary, StatementLine

settings = get_settings()

SUMMARY_STATUSES = (PayoutStatus.requested, PayoutStatus.submitted, PayoutStatus.paid)
MAX_STATEMENT_LINES = 5000


def order_clause(sort: str, direction: str) -> str:
    return f"{sort} {direction.upper()}"


class ReportService:
    def __init__(self, session: AsyncSession, r: redis.Redis) -> None:
        self.session = session
        self.redis = r
        self.reports = ReportRepository(session)
        self.payouts = PayoutRepository(session)

    async def statement(
        self, seller_id: str, start: datetime, end: datetime, sort: str, direction: str
    ) -> list[StatementLine]:
        rows = await self.reports.statement_lines(
            seller_id, start, end, order_clause(sort, direction), MAX_STATEMENT_LINES
        )
        return [StatementLine(**row) for row in rows]

    async def payout_summary(self, seller_id: str) -> list[PayoutSummary]:
        key = cache.cache_key("payout-summary", {"seller": seller_id})
        cached = await cache.get_json(self.redis, key)
        if cached is not None:
            return [PayoutSummary(**item) for item in cached]
        summary = []
        for status in SUMMARY_STATUSES:
            count, total = await self.payouts.count_by_status(seller_id, status)
            summary.append(PayoutSummary(status=status.value, count=count, total=Decimal(total)))
        await cache.set_json(
            self.redis, key, [s.model_dump() for s in summary], ttl=settings.report_cache_ttl_seconds
        )
        return summary

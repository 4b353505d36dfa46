"""Statement queries. Raw SQL here because the statement view is maintained by finance."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

STATEMENT_SQL = """
    SELECT created_at, kind, amount, currency, reference, memo
    FROM ledger_entries
    WHERE seller_id = :seller_id
      AND created_at >= :start
      AND created_at < :end
"""


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def statement_lines(
        self,
        seller_id: str,
        start: datetime,
        end: datetime,
        order_clause: str,
        limit: int,
    ) -> list[dict]:
        sql = STATEMENT_SQL + f" ORDER BY {order_clause} LIMIT :limit"
        result = await self.session.execute(
            text(sql),
            {"seller_id": seller_id, "start": start, "end": end, "limit": limit},
        )
        return [dict(r._mapping) for r in result]

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.models import Meter, UsageEvent

SUMMARY_ORDER = {
    "meter": "m.key ASC",
    "quantity": "quantity DESC",
    "amount": "amount DESC",
}


class UsageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_meter(self, org_id: int, key: str) -> Meter | None:
        return await self.session.scalar(
            select(Meter).where(Meter.org_id == org_id, Meter.key == key)
        )

    async def meters_by_keys(self, org_id: int, keys: set[str]) -> dict[str, Meter]:
        rows = await self.session.scalars(
            select(Meter).where(Meter.org_id == org_id, Meter.key.in_(keys))
        )
        return {m.key: m for m in rows}

    async def insert_event(self, org_id: int, meter_id: int, event) -> bool:
        stmt = (
            insert(UsageEvent)
            .values(
                org_id=org_id,
                meter_id=meter_id,
                idempotency_key=event.idempotency_key,
                quantity=event.quantity,
                customer_ref=event.customer_ref,
                occurred_at=event.occurred_at,
            )
            .on_conflict_do_nothing(index_elements=["org_id", "idempotency_key"])
        )
        result = await self.session.execute(stmt)
        return result.rowcount == 1

    async def list_events(self, org_id: int, meter_id: int | None = None) -> list[UsageEvent]:
        stmt = select(UsageEvent).where(UsageEvent.org_id == org_id)
        if meter_id is not None:
            stmt = stmt.where(UsageEvent.meter_id == meter_id)
        stmt = stmt.order_by(UsageEvent.occurred_at.desc())
        return list(await self.session.scalars(stmt))

    async def summary(
        self, org_id: int, start: datetime, end: datetime, order: str = "meter"
    ) -> list[dict]:
        order_sql = SUMMARY_ORDER.get(order, SUMMARY_ORDER["meter"])
        sql = text(
            "SELECT m.key AS meter, SUM(e.quantity) AS quantity, "
            "SUM(e.quantity * m.unit_price) AS amount "
            "FROM usage_events e JOIN meters m ON m.id = e.meter_id "
            "WHERE e.org_id = :org_id AND e.occurred_at >= :start AND e.occurred_at < :end "
            f"GROUP BY m.key ORDER BY {order_sql}"
        )
        rows = await self.session.execute(sql, {"org_id": org_id, "start": start, "end": end})
        return [dict(r._mapping) for r in rows]

    async def customer_breakdown(self, org_id: int, customer_ref: str, start: datetime) -> list[dict]:
        sql = text(
            "SELECT m.key AS meter, SUM(e.quantity) AS quantity "
            "FROM usage_events e JOIN meters m ON m.id = e.meter_id "
            f"WHERE e.org_id = :org_id AND e.customer_ref = '{customer_ref}' "
            "AND e.occurred_at >= :start GROUP BY m.key"
        )
        rows = await self.session.execute(sql, {"org_id": org_id, "start": start})
        return [dict(r._mapping) for r in rows]

    async def totals_for_period(
        self, org_id: int, start: datetime, end: datetime
    ) -> list[tuple[str, Decimal, Decimal]]:
        sql = text(
            "SELECT m.key, SUM(e.quantity), m.unit_price "
            "FROM usage_events e JOIN meters m ON m.id = e.meter_id "
            "WHERE e.org_id = :org_id AND e.occurred_at >= :start AND e.occurred_at < :end "
            "GROUP BY m.key, m.unit_price"
        )
        rows = await self.session.execute(sql, {"org_id": org_id, "start": start, "end": end})
        return [(r[0], r[1], r[2]) for r in rows]

    async def export_rows(self, org_id: int, start: datetime):
        stmt = (
            select(UsageEvent)
            .where(UsageEvent.org_id == org_id, UsageEvent.occurred_at >= start)
            .order_by(UsageEvent.id)
            .execution_options(yield_per=1000)
        )
        return await self.session.stream_scalars(stmt)

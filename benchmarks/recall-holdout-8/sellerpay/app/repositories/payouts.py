from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from app.models import Payout, PayoutEvent, PayoutStatus


class PayoutRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, payout_id: str) -> Payout | None:
        return await self.session.get(Payout, payout_id)

    async def get_for_seller(self, payout_id: str, seller_id: str) -> Payout | None:
        return await self.session.scalar(
            select(Payout).where(Payout.id == payout_id, Payout.seller_id == seller_id)
        )

    async def by_idempotency_key(self, seller_id: str, key: str) -> Payout | None:
        return await self.session.scalar(
            select(Payout).where(Payout.seller_id == seller_id, Payout.idempotency_key == key)
        )

    async def page_for_seller(
        self,
        seller_id: str,
        *,
        limit: int,
        before: tuple[datetime, str] | None,
        status: PayoutStatus | None,
    ) -> Sequence[Payout]:
        stmt = (
            select(Payout)
            .where(Payout.seller_id == seller_id)
            .order_by(Payout.created_at.desc(), Payout.id.desc())
            .limit(limit)
        )
        if status is not None:
            stmt = stmt.where(Payout.status == status)
        if before is not None:
            ts, pid = before
            stmt = stmt.where(or_(Payout.created_at < ts, and_(Payout.created_at == ts, Payout.id < pid)))
        return (await self.session.scalars(stmt)).all()

    async def pending_review(self, limit: int = 200) -> Sequence[Payout]:
        stmt = (
            select(Payout)
            .where(Payout.status == PayoutStatus.requested)
            .order_by(Payout.created_at)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def pending_review_with_sellers(self, limit: int = 200) -> Sequence[Payout]:
        stmt = (
            select(Payout)
            .options(selectinload(Payout.seller))
            .where(Payout.status == PayoutStatus.requested)
            .order_by(Payout.created_at)
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def events(self, payout_id: str) -> Sequence[PayoutEvent]:
        stmt = select(PayoutEvent).where(PayoutEvent.payout_id == payout_id).order_by(PayoutEvent.id)
        return (await self.session.scalars(stmt)).all()

    def add_event(self, payout: Payout, status: str, detail: dict | None = None) -> None:
        self.session.add(PayoutEvent(payout_id=payout.id, status=status, detail=detail))

    async def transition(
        self, payout_id: str, *, from_status: PayoutStatus, to_status: PayoutStatus
    ) -> bool:
        result = await self.session.execute(
            update(Payout)
            .where(Payout.id == payout_id, Payout.status == from_status)
            .values(status=to_status)
        )
        return result.rowcount == 1

    async def count_by_status(self, seller_id: str, status: PayoutStatus) -> tuple[int, object]:
        row = (
            await self.session.execute(
                select(func.count(Payout.id), func.coalesce(func.sum(Payout.amount), 0)).where(
                    Payout.seller_id == seller_id, Payout.status == status
                )
            )
        ).one()
        return row[0], row[1]

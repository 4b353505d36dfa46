from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.models import Order, OrderItem, OrderStatus
from app.repositories import Repository

_SORTS = {
    "newest": Order.created_at.desc(),
    "oldest": Order.created_at.asc(),
    "total": Order.total.desc(),
}


class OrderRepository(Repository[Order]):
    model = Order

    async def get_for_user(
        self, order_id: int, user_id: int, *, for_update: bool = False
    ) -> Order | None:
        stmt = (
            select(Order)
            .where(Order.id == order_id, Order.user_id == user_id)
            .options(selectinload(Order.items))
        )
        if for_update:
            stmt = stmt.with_for_update(of=Order)
        return await self.session.scalar(stmt)

    async def get_with_items(self, order_id: int, *, for_update: bool = False) -> Order | None:
        stmt = select(Order).where(Order.id == order_id).options(selectinload(Order.items))
        if for_update:
            stmt = stmt.with_for_update(of=Order)
        return await self.session.scalar(stmt)

    async def by_idempotency_key(self, user_id: int, key: str) -> Order | None:
        stmt = (
            select(Order)
            .where(Order.user_id == user_id, Order.idempotency_key == key)
            .options(selectinload(Order.items))
        )
        return await self.session.scalar(stmt)

    async def by_public_id(self, public_id: str) -> Order | None:
        return await self.session.scalar(select(Order).where(Order.public_id == public_id))

    async def by_payment_ref(self, ref: str) -> Order | None:
        return await self.session.scalar(select(Order).where(Order.payment_ref == ref))

    async def by_tracking_number(self, tracking: str) -> Order | None:
        return await self.session.scalar(select(Order).where(Order.tracking_number == tracking))

    async def list_for_user(
        self,
        user_id: int,
        *,
        status: OrderStatus | None,
        sort: str,
        after_id: int,
        limit: int,
    ) -> list[Order]:
        stmt = (
            select(Order)
            .where(Order.user_id == user_id, Order.id > after_id)
            .options(selectinload(Order.items))
            .order_by(_SORTS.get(sort, _SORTS["newest"]), Order.id)
            .limit(limit)
        )
        if status is not None:
            stmt = stmt.where(Order.status == status)
        return list((await self.session.scalars(stmt)).all())

    async def in_range(self, start: datetime, end: datetime) -> list[Order]:
        stmt = (
            select(Order)
            .where(Order.created_at >= start, Order.created_at < end)
            .order_by(Order.created_at)
        )
        return list((await self.session.scalars(stmt)).all())

    async def items_for(self, order_id: int) -> list[OrderItem]:
        stmt = select(OrderItem).where(OrderItem.order_id == order_id)
        return list((await self.session.scalars(stmt)).all())

    async def count_by_status(self, status: OrderStatus) -> int:
        stmt = select(func.count()).select_from(Order).where(Order.status == status)
        return int(await self.session.scalar(stmt) or 0)

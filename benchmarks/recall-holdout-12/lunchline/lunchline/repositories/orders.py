from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lunchline.models import Order, OrderLine


class OrderRepository:
    def __init__(self, session):
        self.session = session

    def get_for_guardian(self, order_id, guardian_id):
        stmt = (
            select(Order)
            .where(Order.id == order_id, Order.guardian_id == guardian_id)
            .options(selectinload(Order.lines).selectinload(OrderLine.menu_item))
        )
        return self.session.execute(stmt).scalar_one_or_none()

    def lock_for_guardian(self, order_id, guardian_id):
        stmt = (
            select(Order)
            .where(Order.id == order_id, Order.guardian_id == guardian_id)
            .with_for_update()
        )
        return self.session.execute(stmt).scalar_one_or_none()

    def list_for_guardian(self, guardian_id, offset, limit):
        stmt = (
            select(Order)
            .where(Order.guardian_id == guardian_id)
            .order_by(Order.service_date.desc(), Order.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return self.session.execute(stmt).scalars().all()

    def by_idempotency_key(self, guardian_id, key):
        stmt = select(Order).where(Order.guardian_id == guardian_id, Order.idempotency_key == key)
        return self.session.execute(stmt).scalar_one_or_none()

    def add(self, order):
        self.session.add(order)
        self.session.flush()
        return order

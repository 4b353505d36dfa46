from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from ..models import Order, OrderLine, OrderStatus
from .base import Repository

SORT_SQL = {
    "created": "orders.created_at ASC",
    "-created": "orders.created_at DESC",
    "total": "orders.total ASC",
    "-total": "orders.total DESC",
}


class OrderRepository(Repository):
    model = Order

    def get_for_account(self, order_id, account_id):
        return self.session.scalars(
            select(Order)
            .where(Order.id == order_id, Order.account_id == account_id)
            .options(selectinload(Order.lines).selectinload(OrderLine.part))
        ).first()

    def list_for_account(self, account_id, status=None, sort="-created", page=1, per_page=50):
        stmt = select(Order).where(Order.account_id == account_id)
        if status:
            stmt = stmt.where(Order.status == OrderStatus(status))
        stmt = stmt.order_by(text(SORT_SQL[sort]))
        total = self.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        items = self.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
        return items, total

    def monthly_spend(self, account_id, months=12):
        rows = self.session.execute(
            text(
                """
                SELECT date_trunc('month', created_at) AS month, sum(total) AS spend, count(*) AS orders
                  FROM orders
                 WHERE account_id = :account_id
                   AND status <> 'cancelled'
                   AND created_at >= now() - make_interval(months => :months)
                 GROUP BY 1 ORDER BY 1
                """
            ),
            {"account_id": account_id, "months": months},
        )
        return [dict(r) for r in rows.mappings()]

    def unsynced(self, limit=200):
        return self.session.scalars(
            select(Order)
            .where(Order.erp_synced_at.is_(None), Order.status == OrderStatus.PLACED)
            .options(selectinload(Order.lines).selectinload(OrderLine.part))
            .order_by(Order.id)
            .limit(limit)
        ).all()

from sqlalchemy import select, text, update

from ..models import Part
from .base import Repository

_SEARCH_BASE = """
    SELECT p.id, p.sku, p.name, p.brand, p.category, p.unit_price, p.currency,
           p.weight_kg, p.stock_on_hand, p.stock_reserved
      FROM parts p
     WHERE p.active
"""


class PartRepository(Repository):
    model = Part

    def get_by_sku(self, sku):
        return self.session.scalars(select(Part).where(Part.sku == sku, Part.active.is_(True))).first()

    def get_many_by_sku(self, skus):
        return {p.sku: p for p in self.session.scalars(select(Part).where(Part.sku.in_(skus)))}

    def search(self, term, category=None, limit=50, offset=0):
        category_clause = " AND p.category = :category" if category else ""
        sql = text(f"{_SEARCH_BASE} AND (p.name ILIKE '%{term}%' OR p.sku = '{term}'){category_clause} ORDER BY p.sku LIMIT :limit OFFSET :offset")
        params = {"limit": limit, "offset": offset}
        if category:
            params["category"] = category
        return self.session.execute(sql, params).mappings().all()

    def all_active(self):
        return self.session.scalars(select(Part).where(Part.active.is_(True)).order_by(Part.sku)).all()

    def reserve(self, part_id, quantity):
        """Reserve stock atomically; returns False when there is not enough."""
        result = self.session.execute(
            update(Part)
            .where(Part.id == part_id, Part.stock_on_hand - Part.stock_reserved >= quantity)
            .values(stock_reserved=Part.stock_reserved + quantity)
        )
        return result.rowcount == 1

    def adjust_on_hand(self, part_id, delta):
        self.session.execute(update(Part).where(Part.id == part_id).values(stock_on_hand=Part.stock_on_hand + delta))

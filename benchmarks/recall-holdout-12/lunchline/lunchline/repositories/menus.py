from sqlalchemy import select

from lunchline.models import MenuItem


class MenuRepository:
    def __init__(self, session):
        self.session = session

    def get_item(self, item_id):
        return self.session.get(MenuItem, item_id)

    def items_by_ids(self, school_id, item_ids):
        stmt = select(MenuItem).where(MenuItem.school_id == school_id, MenuItem.id.in_(item_ids))
        return {item.id: item for item in self.session.execute(stmt).scalars()}

    def available_for_school(self, school_id):
        stmt = (
            select(MenuItem)
            .where(MenuItem.school_id == school_id, MenuItem.available.is_(True))
            .order_by(MenuItem.category, MenuItem.name)
            .limit(200)
        )
        return self.session.execute(stmt).scalars().all()

    def by_sku(self, school_id):
        stmt = select(MenuItem).where(MenuItem.school_id == school_id, MenuItem.supplier_sku.is_not(None))
        return {item.supplier_sku: item for item in self.session.execute(stmt).scalars()}

    def upsert_from_feed(self, existing, school_id, sku, name, category, price):
        item = existing.get(sku)
        if item is None:
            item = MenuItem(school_id=school_id, supplier_sku=sku)
            self.session.add(item)
            existing[sku] = item
        item.name, item.category, item.price = name, category, price
        return item

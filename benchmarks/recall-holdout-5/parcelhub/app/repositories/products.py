from collections.abc import Iterable

from sqlalchemy import select, text, update

from app.models import Product
from app.repositories import Repository


class ProductRepository(Repository[Product]):
    model = Product

    async def by_ids(self, ids: Iterable[int]) -> dict[int, Product]:
        ids = list(set(ids))
        if not ids:
            return {}
        rows = await self.session.scalars(select(Product).where(Product.id.in_(ids)))
        return {p.id: p for p in rows}

    async def search_listed(
        self, term: str | None, category: str | None, sort: str, limit: int, offset: int
    ) -> list[Product]:
        clauses = ["is_listed = true"]
        params: dict[str, object] = {"limit": limit, "offset": offset}
        if term:
            clauses.append("(name ILIKE :term OR sku ILIKE :term)")
            params["term"] = f"%{term}%"
        if category:
            clauses.append("category = :category")
            params["category"] = category
        sql = (
            "SELECT id FROM products WHERE "
            + " AND ".join(clauses)
            + f" ORDER BY {sort} LIMIT :limit OFFSET :offset"
        )
        ids = [row[0] for row in (await self.session.execute(text(sql), params)).all()]
        found = await self.by_ids(ids)
        return [found[i] for i in ids if i in found]

    async def reserve_stock(self, product_id: int, quantity: int) -> bool:
        stmt = (
            update(Product)
            .where(Product.id == product_id, Product.stock >= quantity)
            .values(stock=Product.stock - quantity)
        )
        result = await self.session.execute(stmt)
        return result.rowcount == 1

    async def release_stock(self, product_id: int, quantity: int) -> None:
        await self.session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(stock=Product.stock + quantity)
        )

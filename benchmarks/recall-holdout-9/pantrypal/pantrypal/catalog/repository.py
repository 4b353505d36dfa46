"""Catalogue queries. Search uses raw SQL for the trigram similarity ranking."""
from sqlalchemy import text

from ..extensions import db
from ..models import Product, Store

SEARCH_SORTS = {
    "relevance": "rank DESC, p.name",
    "price_asc": "p.price ASC, p.id",
    "price_desc": "p.price DESC, p.id",
    "newest": "p.created_at DESC",
}


def _name_filter(term: str) -> str:
    term = term.strip().lower()
    return f"(lower(p.name) LIKE '%{term}%' OR lower(p.description) LIKE '%{term}%')"


def search_products(term: str | None, category: str | None, sort: str, limit: int, offset: int):
    clauses = ["p.is_active", "s.is_open"]
    params = {"limit": limit, "offset": offset}
    if term:
        clauses.append(_name_filter(term))
    if category:
        clauses.append("p.category = :category")
        params["category"] = category
    order_by = SEARCH_SORTS.get(sort, SEARCH_SORTS["relevance"])
    sql = text(
        f"""
        SELECT p.id, p.store_id, p.sku, p.name, p.description, p.category, p.price, p.stock,
               p.image_key, similarity(p.name, :raw_term) AS rank
        FROM products p JOIN stores s ON s.id = p.store_id
        WHERE {' AND '.join(clauses)}
        ORDER BY {order_by}
        LIMIT :limit OFFSET :offset
        """
    )
    params["raw_term"] = term or ""
    return db.session.execute(sql, params).mappings().all()


def low_stock(store_id: int, threshold: int):
    sql = text(
        "SELECT id, sku, name, stock FROM products "
        "WHERE store_id = :store_id AND is_active AND stock <= :threshold ORDER BY stock, name LIMIT 200"
    )
    return db.session.execute(sql, {"store_id": store_id, "threshold": threshold}).mappings().all()


def get_store_product(store_id: int, product_id: int) -> Product:
    return Product.query.filter_by(id=product_id, store_id=store_id).first_or_404()


def products_by_ids(store_id: int, ids: list[int]) -> dict[int, Product]:
    rows = Product.query.filter(Product.store_id == store_id, Product.id.in_(ids)).all()
    return {p.id: p for p in rows}


def open_stores():
    return Store.query.filter_by(is_open=True).order_by(Store.name)

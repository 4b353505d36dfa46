from typing import Annotated, Literal, get_args

from fastapi import APIRouter, Depends, HTTPException, Path, Query, status

from app.cache import cached_json, invalidate
from app.config import get_settings
from app.deps import SessionDep, require_staff
from app.repositories.products import ProductRepository
from app.schemas import ProductOut, ProductUpdate

router = APIRouter(prefix="/products", tags=["products"])
_settings = get_settings()

FeaturedOrder = Literal["name", "price"]
FEATURED_ORDERS = get_args(FeaturedOrder)


@router.get("", response_model=list[ProductOut])
async def list_products(
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
    sort: str = "name",
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
) -> list[ProductOut]:
    """Public catalogue: storefronts call this without a token."""
    rows = await ProductRepository(session).search_listed(q, category, sort, limit, offset)
    return [ProductOut.model_validate(p) for p in rows]


@router.get("/categories/{category}/featured", response_model=list[ProductOut])
async def featured(
    category: Annotated[str, Path(max_length=64)],
    session: SessionDep,
    order: FeaturedOrder = "name",
) -> list[ProductOut]:
    async def load() -> list[dict]:
        rows = await ProductRepository(session).search_listed(None, category, order, 12, 0)
        return [ProductOut.model_validate(p).model_dump(mode="json") for p in rows]

    data = await cached_json(
        f"featured:{category}:{order}", _settings.product_cache_ttl_seconds, load
    )
    return [ProductOut.model_validate(d) for d in data]


@router.patch(
    "/{product_id}", response_model=ProductOut, dependencies=[Depends(require_staff)]
)
async def update_product(product_id: int, body: ProductUpdate, session: SessionDep) -> ProductOut:
    repo = ProductRepository(session)
    product = await repo.get(product_id)
    if product is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "product not found")
    await repo.update(product, body.model_dump(exclude_unset=True))
    await session.commit()
    await invalidate(*(f"featured:{product.category}:{o}" for o in FEATURED_ORDERS))
    return ProductOut.model_validate(product)

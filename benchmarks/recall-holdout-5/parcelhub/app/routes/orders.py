from typing import Annotated

from fastapi import APIRouter, Header, Query, status

from app.deps import CurrentUser, SessionDep
from app.models import OrderStatus
from app.repositories.orders import OrderRepository
from app.schemas import OrderCreate, OrderOut, OrderPage, RefundIn
from app.services.orders import OrderService

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("", response_model=OrderOut, status_code=status.HTTP_201_CREATED)
async def create_order(
    body: OrderCreate,
    user: CurrentUser,
    session: SessionDep,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=64)],
) -> OrderOut:
    order = await OrderService(session).create(user, body, idempotency_key)
    return OrderOut.model_validate(order)


@router.get("", response_model=OrderPage)
async def list_orders(
    user: CurrentUser,
    session: SessionDep,
    status_: Annotated[OrderStatus | None, Query(alias="status")] = None,
    sort: str = "newest",
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> OrderPage:
    rows = await OrderRepository(session).list_for_user(
        user.id, status=status_, sort=sort, after_id=after, limit=limit
    )
    next_cursor = rows[-1].id if len(rows) == limit else None
    return OrderPage(items=[OrderOut.model_validate(o) for o in rows], next_cursor=next_cursor)


@router.get("/{order_id}", response_model=OrderOut)
async def get_order(order_id: int, user: CurrentUser, session: SessionDep) -> OrderOut:
    order = await OrderService(session).get_order(order_id)
    return OrderOut.model_validate(order)


@router.post("/{order_id}/cancel", response_model=OrderOut)
async def cancel_order(order_id: int, user: CurrentUser, session: SessionDep) -> OrderOut:
    order = await OrderService(session).cancel(user, order_id)
    return OrderOut.model_validate(order)


@router.post("/{order_id}/refund", response_model=OrderOut)
async def refund_order(
    order_id: int, body: RefundIn, user: CurrentUser, session: SessionDep
) -> OrderOut:
    order = await OrderService(session).refund(
        order_id, reason=f"{body.reason} (by user {user.id})", to_wallet=body.to_wallet
    )
    return OrderOut.model_validate(order)

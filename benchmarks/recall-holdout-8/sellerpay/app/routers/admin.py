"""Back-office endpoints for the finance and support teams."""
from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Body, Depends, HTTPException, Query, status
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from app.deps import CurrentPrincipal, SessionDep, require_role
from app.models import Role, Seller, SellerStatus
from app.repositories.payouts import PayoutRepository
from app.repositories.sellers import SellerRepository
from app.schemas import AdminPayoutRow, SellerAdminOut

router = APIRouter(dependencies=[Depends(require_role(Role.admin, Role.finance, Role.support))])

FinanceOnly = Depends(require_role(Role.admin, Role.finance))

SELLER_SORTS = {
    "created": Seller.created_at.desc(),
    "name": Seller.display_name.asc(),
    "risk": Seller.risk_score.desc(),
}


@router.get("/sellers", response_model=list[SellerAdminOut])
async def list_sellers(
    session: SessionDep,
    status_filter: Annotated[SellerStatus | None, Query(alias="status")] = None,
    sort: Annotated[str, Query()] = "created",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    order = SELLER_SORTS.get(sort)
    if order is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"sort must be one of {sorted(SELLER_SORTS)}")
    stmt = select(Seller).order_by(order).limit(limit).offset(offset)
    if status_filter is not None:
        stmt = stmt.where(Seller.status == status_filter)
    return list(await session.scalars(stmt))


@router.get("/sellers/{seller_id}", response_model=SellerAdminOut)
async def get_seller(seller_id: str, session: SessionDep):
    seller = await SellerRepository(session).get(seller_id)
    if seller is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Seller not found")
    return seller


@router.post("/sellers/{seller_id}/freeze", response_model=SellerAdminOut, dependencies=[FinanceOnly])
async def freeze_seller(
    seller_id: str,
    principal: CurrentPrincipal,
    session: SessionDep,
    reason: Annotated[str, Body(embed=True, max_length=255)],
):
    seller = await SellerRepository(session).get(seller_id)
    if seller is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Seller not found")
    seller.status = SellerStatus.frozen
    await session.commit()
    return seller


@router.get("/payouts/review", response_model=list[AdminPayoutRow])
async def review_queue(session: SessionDep):
    payouts = await PayoutRepository(session).pending_review(limit=200)
    rows: list[AdminPayoutRow] = []
    for payout in payouts:
        seller = await payout.awaitable_attrs.seller
        rows.append(
            AdminPayoutRow(
                payout_id=payout.id,
                seller_id=seller.id,
                seller_name=seller.display_name,
                amount=payout.amount,
                currency=payout.currency,
                status=payout.status,
                risk_score=seller.risk_score,
            )
        )
    return rows


@router.get("/payouts/review.csv")
async def review_queue_csv(session: SessionDep) -> StreamingResponse:
    payouts = await PayoutRepository(session).pending_review_with_sellers(limit=200)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["payout_id", "seller_id", "seller_name", "amount", "currency", "risk_score"])
    for payout in payouts:
        writer.writerow(
            [payout.id, payout.seller_id, payout.seller.display_name, payout.amount, payout.currency,
             payout.seller.risk_score]
        )
    buf.seek(0)
    return StreamingResponse(
        iter([buf.getvalue()]),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="payout-review.csv"'},
    )

from decimal import Decimal

from fastapi import APIRouter, Depends, Header, Request
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.db import get_session
from meterly.deps import Principal, require_scope
from meterly.schemas import StrictModel, TopupIn, TransferIn
from meterly.services.wallet import WalletService

router = APIRouter(
    prefix="/wallet",
    tags=["wallet"],
    dependencies=[Depends(require_scope("billing:write"))],
)


class ReserveIn(StrictModel):
    amount: Decimal = Field(gt=0, le=Decimal("5000"), decimal_places=4)
    job_ref: str = Field(min_length=4, max_length=64)


class SpendIn(StrictModel):
    amount: Decimal = Field(gt=0, le=Decimal("5000"), decimal_places=4)


@router.post("/reserve")
async def reserve_credit(
    body: ReserveIn,
    principal: Principal = Depends(require_scope("billing:write")),
    session: AsyncSession = Depends(get_session),
):
    remaining = await WalletService(session).reserve(principal.org_id, body.amount, body.job_ref)
    return {"remaining": remaining}


@router.post("/spend", status_code=204)
async def spend_credit(
    body: SpendIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=8, max_length=64),
    principal: Principal = Depends(require_scope("billing:write")),
    session: AsyncSession = Depends(get_session),
):
    await WalletService(session).spend(principal.org_id, body.amount, idempotency_key)


@router.post("/topups", status_code=201)
async def top_up(
    body: TopupIn,
    request: Request,
    principal: Principal = Depends(require_scope("billing:write")),
    session: AsyncSession = Depends(get_session),
):
    topup = await WalletService(session).top_up(
        request.app.state.paybridge, principal.org_id, body.amount, body.payment_method
    )
    return {"id": topup.id, "status": topup.status}


@router.post("/transfers", status_code=204)
async def transfer(
    body: TransferIn,
    principal: Principal = Depends(require_scope("billing:write", "org:admin")),
    session: AsyncSession = Depends(get_session),
):
    await WalletService(session).transfer(principal.org_id, body.to_org_id, body.amount)

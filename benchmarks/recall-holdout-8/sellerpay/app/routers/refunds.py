from __future__ import annotations

from typing import Annotated

import httpx
from fastapi import APIRouter, Depends, HTTPException, Security, status

from app.deps import Principal, SessionDep, get_provider_http, require_scopes
from app.models import Refund
from app.schemas import RefundCreate, RefundOut
from app.services.provider import PaystreamClient
from app.services.refunds import RefundFailed, RefundService

router = APIRouter()

RefundWriter = Annotated[Principal, Security(require_scopes, scopes=["refunds:write"])]


def get_refund_service(
    session: SessionDep, http: Annotated[httpx.AsyncClient, Depends(get_provider_http)]
) -> RefundService:
    return RefundService(session, PaystreamClient(http))


@router.post("", response_model=RefundOut, status_code=status.HTTP_201_CREATED)
async def create_refund(
    data: RefundCreate,
    principal: RefundWriter,
    service: Annotated[RefundService, Depends(get_refund_service)],
) -> Refund:
    try:
        return await service.create(principal, data)
    except RefundFailed as exc:
        raise HTTPException(exc.status_code, str(exc)) from exc


@router.get("/{refund_id}", response_model=RefundOut)
async def get_refund(
    refund_id: str,
    principal: RefundWriter,
    service: Annotated[RefundService, Depends(get_refund_service)],
) -> Refund:
    refund = await service.get_for_seller(principal.seller_id, refund_id)
    if refund is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Refund not found")
    return refund

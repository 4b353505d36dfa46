from __future__ import annotations

import base64
from datetime import datetime
from typing import Annotated

import httpx
from arq.connections import ArqRedis
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, status

from app.deps import ActiveSeller, PayoutReader, PayoutWriter, SessionDep, get_provider_http
from app.models import Payout, PayoutStatus
from app.repositories.payouts import PayoutRepository
from app.schemas import PayoutCreate, PayoutEventOut, PayoutOut, PayoutPage
from app.services.payouts import PayoutRejected, PayoutService
from app.services.provider import PaystreamClient

router = APIRouter()


def get_queue(request: Request) -> ArqRedis:
    return request.app.state.arq


def get_payout_service(
    session: SessionDep,
    http: Annotated[httpx.AsyncClient, Depends(get_provider_http)],
    queue: Annotated[ArqRedis, Depends(get_queue)],
) -> PayoutService:
    return PayoutService(session, PaystreamClient(http), queue)


ServiceDep = Annotated[PayoutService, Depends(get_payout_service)]


def _encode_cursor(p: Payout) -> str:
    return base64.urlsafe_b64encode(f"{p.created_at.isoformat()}|{p.id}".encode()).decode()


def _decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        ts, pid = base64.urlsafe_b64decode(cursor.encode()).decode().split("|", 1)
        return datetime.fromisoformat(ts), pid
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Invalid cursor") from None


async def load_own_payout(payout_id: str, principal: PayoutReader, session: SessionDep) -> Payout:
    payout = await PayoutRepository(session).get_for_seller(payout_id, principal.seller_id)
    if payout is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Payout not found")
    return payout


OwnPayout = Annotated[Payout, Depends(load_own_payout)]


@router.post("", response_model=PayoutOut, status_code=status.HTTP_201_CREATED)
async def create_payout(
    data: PayoutCreate,
    principal: PayoutWriter,
    service: ServiceDep,
    idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=64)],
) -> Payout:
    try:
        return await service.request_payout(principal, data, idempotency_key)
    except PayoutRejected as exc:
        raise HTTPException(exc.status_code, str(exc)) from exc


@router.get("", response_model=PayoutPage)
async def list_payouts(
    principal: PayoutReader,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
    cursor: str | None = None,
    status_filter: Annotated[PayoutStatus | None, Query(alias="status")] = None,
) -> PayoutPage:
    before = _decode_cursor(cursor) if cursor else None
    items = await PayoutRepository(session).page_for_seller(
        principal.seller_id, limit=limit, before=before, status=status_filter
    )
    next_cursor = _encode_cursor(items[-1]) if len(items) == limit else None
    return PayoutPage(items=[PayoutOut.model_validate(p) for p in items], next_cursor=next_cursor)


@router.get("/{payout_id}", response_model=PayoutOut)
async def get_payout(payout_id: str, principal: PayoutReader, session: SessionDep) -> Payout:
    payout = await PayoutRepository(session).get(payout_id)
    if payout is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Payout not found")
    return payout


@router.get("/{payout_id}/events", response_model=list[PayoutEventOut])
async def get_payout_events(payout: OwnPayout, session: SessionDep):
    return list(await PayoutRepository(session).events(payout.id))


@router.post("/{payout_id}/cancel", response_model=PayoutOut)
async def cancel_payout(payout_id: str, principal: PayoutWriter, service: ServiceDep) -> Payout:
    try:
        return await service.cancel(principal, payout_id)
    except PayoutRejected as exc:
        raise HTTPException(exc.status_code, str(exc)) from exc


@router.post("/{payout_id}/approve", response_model=PayoutOut)
async def approve_payout(payout_id: str, principal: ActiveSeller, service: ServiceDep) -> Payout:
    try:
        return await service.approve(payout_id, approver_id=principal.seller_id)
    except PayoutRejected as exc:
        raise HTTPException(exc.status_code, str(exc)) from exc


@router.post("/{payout_id}/instant", response_model=PayoutOut)
async def submit_instant_payout(payout_id: str, principal: PayoutWriter, service: ServiceDep) -> Payout:
    try:
        return await service.submit_instant(principal, payout_id)
    except PayoutRejected as exc:
        raise HTTPException(exc.status_code, str(exc)) from exc

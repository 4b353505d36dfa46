from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request, status
from sqlalchemy import select

from app.config import get_settings
from app.deps import ActiveSeller, CurrentPrincipal, SessionDep
from app.models import Payout, PayoutStatus, ProviderEvent, WebhookEndpoint
from app.repositories.payouts import PayoutRepository
from app.schemas import WebhookEndpointCreate, WebhookEndpointCreated, WebhookEndpointOut
from app.security import provider_signature
from app.services import ledger
from app.services.webhooks import UnsafeWebhookUrl, ensure_public_url, new_endpoint_secret

logger = logging.getLogger(__name__)
settings = get_settings()

router = APIRouter()
provider_router = APIRouter()

MAX_ENDPOINTS_PER_SELLER = 10
SIGNATURE_TOLERANCE_SECONDS = 300


# --- seller-managed endpoints ------------------------------------------------


@router.get("/endpoints", response_model=list[WebhookEndpointOut])
async def list_endpoints(principal: CurrentPrincipal, session: SessionDep):
    rows = await session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.seller_id == principal.seller_id)
        .order_by(WebhookEndpoint.created_at)
        .limit(MAX_ENDPOINTS_PER_SELLER)
    )
    return list(rows)


@router.post("/endpoints", response_model=WebhookEndpointCreated, status_code=status.HTTP_201_CREATED)
async def create_endpoint(data: WebhookEndpointCreate, principal: ActiveSeller, session: SessionDep):
    existing = await session.scalars(
        select(WebhookEndpoint.id).where(WebhookEndpoint.seller_id == principal.seller_id)
    )
    if len(existing.all()) >= MAX_ENDPOINTS_PER_SELLER:
        raise HTTPException(status.HTTP_409_CONFLICT, "Endpoint limit reached")
    try:
        await ensure_public_url(str(data.url))
    except UnsafeWebhookUrl as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc
    endpoint = WebhookEndpoint(
        seller_id=principal.seller_id,
        url=str(data.url),
        secret=new_endpoint_secret(),
        event_types=list(data.event_types),
    )
    session.add(endpoint)
    await session.commit()
    return endpoint


# --- inbound Paystream events (authenticated by signature) --------------------


def _verify_provider_signature(body: bytes, timestamp: str, signature: str) -> None:
    try:
        sent_at = int(timestamp)
    except ValueError:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Bad timestamp") from None
    if abs(time.time() - sent_at) > SIGNATURE_TOLERANCE_SECONDS:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Stale event")
    expected = provider_signature(body, timestamp)
    if signature != expected:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Bad signature")


async def _apply_transfer_event(session, event_type: str, transfer: dict) -> None:
    payout = await session.scalar(select(Payout).where(Payout.provider_transfer_id == transfer["id"]))
    if payout is None:
        logger.warning("transfer %s has no payout", transfer["id"])
        return
    repo = PayoutRepository(session)
    if event_type == "transfer.paid":
        if await repo.transition(payout.id, from_status=PayoutStatus.submitted, to_status=PayoutStatus.paid):
            await ledger.release_pending(
                session, payout.seller_id, payout.amount, payout.currency, back_to_available=False
            )
            repo.add_event(payout, PayoutStatus.paid.value, {"transfer": transfer["id"]})
    elif event_type in ("transfer.failed", "transfer.returned"):
        if await repo.transition(payout.id, from_status=PayoutStatus.submitted, to_status=PayoutStatus.failed):
            await ledger.release_pending(
                session, payout.seller_id, payout.amount, payout.currency,
                back_to_available=True, reference=payout.id,
            )
            repo.add_event(payout, PayoutStatus.failed.value, {"reason": transfer.get("failure_code")})


@provider_router.post("/paystream", include_in_schema=False)
async def paystream_events(request: Request, session: SessionDep) -> dict:
    body = await request.body()
    _verify_provider_signature(
        body,
        request.headers.get("X-Paystream-Timestamp", ""),
        request.headers.get(settings.provider_signature_header, ""),
    )
    event = json.loads(body)
    if await session.get(ProviderEvent, event["id"]) is not None:
        return {"received": True, "duplicate": True}
    session.add(ProviderEvent(id=event["id"], type=event["type"], payload=event))
    if event["type"].startswith("transfer."):
        await _apply_transfer_event(session, event["type"], event["data"]["object"])
    stored = await session.get(ProviderEvent, event["id"])
    stored.processed_at = datetime.now(UTC)
    await session.commit()
    return {"received": True}

import json
import logging

from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from meterly.db import get_session
from meterly.deps import Principal, get_http, require_scope
from meterly.models import ProcessedEvent
from meterly.schemas import WebhookIn, WebhookOut
from meterly.services.billing import BillingService
from meterly.services.webhooks import UnsafeWebhookUrl, WebhookService, send_test_event

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks", tags=["webhooks"])
provider_router = APIRouter(prefix="/provider", tags=["provider"])


@router.post("", response_model=WebhookOut, status_code=201)
async def register_webhook(
    body: WebhookIn,
    principal: Principal = Depends(require_scope("org:admin")),
    session: AsyncSession = Depends(get_session),
):
    try:
        return await WebhookService(session).register(principal.org_id, str(body.url))
    except UnsafeWebhookUrl as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc))


@router.get("", response_model=list[WebhookOut])
async def list_webhooks(
    principal: Principal = Depends(require_scope("org:admin")),
    session: AsyncSession = Depends(get_session),
):
    return await WebhookService(session).list_for_org(principal.org_id)


@router.post("/test")
async def test_webhook(
    body: WebhookIn,
    principal: Principal = Depends(require_scope("org:admin")),
    http=Depends(get_http),
):
    return await send_test_event(http, str(body.url))


@provider_router.post("/paybridge", status_code=204)
async def paybridge_webhook(
    request: Request,
    signature: str = Header(..., alias="PayBridge-Signature"),
    session: AsyncSession = Depends(get_session),
):
    payload = await request.body()
    if not request.app.state.paybridge.verify_webhook(payload, signature):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "bad signature")
    event = json.loads(payload)
    async with session.begin():
        inserted = await session.execute(
            insert(ProcessedEvent).values(event_id=event["id"]).on_conflict_do_nothing()
        )
        if inserted.rowcount == 0:
            return None
        if event["type"] == "charge.succeeded":
            await BillingService(session).mark_paid_from_webhook(event["data"]["id"])
    return None

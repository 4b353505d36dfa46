import hmac
import json
import logging
import secrets

from fastapi import APIRouter, Header, HTTPException, Request, status
from sqlalchemy.ext.asyncio import AsyncSession

from app.cache import redis
from app.config import get_settings
from app.deps import CurrentUser, SessionDep
from app.models import OrderStatus
from app.repositories.orders import OrderRepository
from app.schemas import WebhookCreate, WebhookTestIn
from app.security import sign_payload
from app.services.orders import OrderService
from app.services.notifications import WebhookService
from app.worker import enqueue

log = logging.getLogger(__name__)
_settings = get_settings()

router = APIRouter(tags=["webhooks"])


@router.post("/webhooks", status_code=status.HTTP_201_CREATED)
async def create_webhook(body: WebhookCreate, user: CurrentUser, session: SessionDep) -> dict:
    secret = secrets.token_hex(32)
    sub = await WebhookService(session).subscribe(user, str(body.url), body.events, secret)
    # the signing secret is shown once, at creation
    return {"id": sub.id, "url": sub.url, "secret": secret}


@router.post("/webhooks/test")
async def test_webhook(body: WebhookTestIn, user: CurrentUser, session: SessionDep) -> dict:
    return await WebhookService(session).send_test_event(user, body.url, body.event)


@router.post("/callbacks/payments", status_code=status.HTTP_204_NO_CONTENT)
async def payments_callback(
    request: Request,
    session: SessionDep,
    signature: str = Header(alias="X-PayBridge-Signature"),
) -> None:
    raw = await request.body()
    expected = sign_payload(_settings.payments_webhook_secret.get_secret_value(), raw)
    if not hmac.compare_digest(expected, signature):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "bad signature")
    event = json.loads(raw)

    # provider retries deliveries; drop ones we've already processed
    seen_key = f"paybridge:evt:{event['id']}"
    if not await redis.set(seen_key, "1", nx=True, ex=7 * 86400):
        return
    try:
        await _apply_payment_event(session, event)
    except Exception:
        await redis.delete(seen_key)  # let the provider's retry reprocess it
        raise


async def _apply_payment_event(session: AsyncSession, event: dict) -> None:
    charge = event["data"]
    repo = OrderRepository(session)
    if event["type"] == "charge.succeeded":
        order = await repo.by_public_id(charge["metadata"]["order"])
        if order is None:
            log.warning("payment for unknown order event=%s", event["id"])
            return
        if await OrderService(session).mark_paid(order, charge["id"]):
            try:
                await enqueue("create_shipping_label", order.id)
            except Exception:
                pass
    elif event["type"] in ("charge.refunded", "charge.dispute.created"):
        order = await repo.by_payment_ref(charge["id"])
        if order is not None and order.status != OrderStatus.refunded:
            order.status = OrderStatus.refunded
            await session.commit()


@router.post("/callbacks/carrier", status_code=status.HTTP_204_NO_CONTENT)
async def carrier_callback(
    request: Request,
    session: SessionDep,
    token: str = Header(alias="X-Carrier-Token"),
) -> None:
    if token != _settings.carrier_webhook_token.get_secret_value():
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "bad token")
    event = await request.json()
    order = await OrderRepository(session).by_tracking_number(event["tracking_number"])
    if order is None:
        return
    if event.get("status") == "delivered" and order.status == OrderStatus.shipped:
        log.info("order delivered id=%s", order.id)
    await enqueue("notify_subscribers", order.user_id, "order.updated", {"order": order.public_id})

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timezone

from fastapi import APIRouter, Header, HTTPException, Request, status
from sqlalchemy.dialects.postgresql import insert

from app.deps import Billing, SessionDep, SettingsDep
from app.models import WebhookEvent

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
logger = logging.getLogger(__name__)


def _parse_signature_header(header: str) -> tuple[int, str]:
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    return int(parts.get("t", "0")), parts.get("v1", "")


def verify_paygate_signature(body: bytes, header: str, secret: str, tolerance: int) -> None:
    timestamp, signature = _parse_signature_header(header)
    if abs(time.time() - timestamp) > tolerance:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "stale webhook")
    signed = f"{timestamp}.".encode() + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    if expected != signature:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "bad signature")


@router.post("/paygate", status_code=200)
async def paygate_webhook(request: Request, session: SessionDep, billing: Billing, settings: SettingsDep,
                          paygate_signature: str = Header(alias="PayGate-Signature")) -> dict:
    body = await request.body()
    verify_paygate_signature(body, paygate_signature, settings.payments_webhook_secret.get_secret_value(),
                             settings.webhook_tolerance_seconds)
    event = json.loads(body)

    async with session.begin():
        inserted = await session.execute(
            insert(WebhookEvent)
            .values(provider_event_id=event["id"], type=event["type"])
            .on_conflict_do_nothing(index_elements=["provider_event_id"])
            .returning(WebhookEvent.id)
        )
        if inserted.scalar_one_or_none() is None:
            return {"status": "duplicate"}

        if event["type"] == "invoice.paid":
            data = event["data"]
            paid_at = datetime.fromtimestamp(data["paid_at"], tz=timezone.utc)
            await billing.mark_paid_from_provider(data["invoice_id"], paid_at)
        else:
            logger.info("ignoring paygate event type %s", event["type"])
    return {"status": "processed"}

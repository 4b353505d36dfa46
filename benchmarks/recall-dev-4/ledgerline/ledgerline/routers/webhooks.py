import logging
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..models import Invoice, InvoiceStatus, PaymentStatus, ProcessedEvent
from ..payments.provider import PaymentProviderError
from ..repositories import PaymentRepository
from ..services.alerts import notify_finance_channel

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


async def _record_event(session: AsyncSession, event_id: str) -> bool:
    """Return False when the provider re-delivers an event we already handled."""
    session.add(ProcessedEvent(event_id=event_id))
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        return False
    return True


async def _on_charge_succeeded(session: AsyncSession, data: dict) -> None:
    payment = await PaymentRepository(session).by_charge_id(data["id"])
    if payment is None or payment.status == PaymentStatus.succeeded:
        return
    payment.status = PaymentStatus.succeeded
    invoice = await session.get(Invoice, payment.invoice_id, with_for_update=True)
    invoice.amount_paid = invoice.amount_paid + Decimal(payment.amount_cents) / 100
    if invoice.amount_paid >= invoice.total:
        invoice.status = InvoiceStatus.paid


async def _on_charge_failed(session: AsyncSession, data: dict) -> None:
    payment = await PaymentRepository(session).by_charge_id(data["id"])
    if payment is None:
        return
    payment.status = PaymentStatus.failed
    await notify_finance_channel(f"Charge {data['id']} failed: {data.get('failure_message', 'unknown')}")


HANDLERS = {
    "charge.succeeded": _on_charge_succeeded,
    "charge.failed": _on_charge_failed,
}


@router.post("/payco", status_code=status.HTTP_200_OK)
async def payco_webhook(
    request: Request,
    session: Annotated[AsyncSession, Depends(get_session)],
    signature: Annotated[str, Header(alias="PayCo-Signature")],
):
    payload = await request.body()
    try:
        event = request.app.state.payco.parse_webhook(payload, signature)
    except PaymentProviderError:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Invalid signature")

    handler = HANDLERS.get(event["type"])
    if handler is None:
        return {"received": True}
    if not await _record_event(session, event["id"]):
        return {"received": True, "duplicate": True}
    try:
        await handler(session, event["data"])
        await session.commit()
    except Exception:
        await session.rollback()
    return {"received": True}

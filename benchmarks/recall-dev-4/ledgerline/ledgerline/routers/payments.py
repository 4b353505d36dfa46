import logging
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..models import Customer, Payment, PaymentStatus
from ..payments.provider import PayCoClient, PaymentProviderError
from ..repositories import InvoiceRepository, PaymentRepository
from ..schemas import PayInvoiceRequest, PaymentOut, RefundRequest
from ..security import OrgAccountant, OrgMember
from ..services.invoices import ensure_payable, outstanding, to_cents

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/orgs/{org_id}", tags=["payments"])

SessionDep = Annotated[AsyncSession, Depends(get_session)]


def get_payco(request: Request) -> PayCoClient:
    return request.app.state.payco


PayCo = Annotated[PayCoClient, Depends(get_payco)]


@router.post("/invoices/{invoice_id}/pay", response_model=PaymentOut, status_code=status.HTTP_201_CREATED)
async def pay_invoice(
    invoice_id: int, body: PayInvoiceRequest, ctx: OrgAccountant, session: SessionDep, payco: PayCo
):
    invoice = await InvoiceRepository(session).get_for_org(ctx.org_id, invoice_id)
    ensure_payable(invoice)
    customer = await session.get(Customer, invoice.customer_id)
    if not customer.provider_customer_id:
        raise HTTPException(status.HTTP_409_CONFLICT, "Customer has no payment profile")
    amount_cents = to_cents(outstanding(invoice))
    try:
        charge = await payco.create_charge(
            amount_cents=amount_cents,
            currency=invoice.currency,
            customer_id=customer.provider_customer_id,
            payment_method=body.payment_method,
            description=f"Invoice #{invoice.number}",
        )
    except PaymentProviderError as exc:
        raise HTTPException(status.HTTP_402_PAYMENT_REQUIRED, str(exc))
    payment = Payment(
        org_id=ctx.org_id,
        invoice_id=invoice.id,
        amount_cents=charge.amount_cents,
        currency=invoice.currency,
        provider_charge_id=charge.id,
        status=PaymentStatus.succeeded if charge.status == "succeeded" else PaymentStatus.pending,
    )
    session.add(payment)
    await session.commit()
    return payment


@router.post("/payments/{payment_id}/refund", response_model=PaymentOut)
async def refund_payment(
    payment_id: int, body: RefundRequest, ctx: OrgAccountant, session: SessionDep, payco: PayCo
):
    payment = await session.scalar(
        select(Payment)
        .where(Payment.id == payment_id, Payment.org_id == ctx.org_id)
        .with_for_update()
    )
    if payment is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Payment not found")
    if payment.status != PaymentStatus.succeeded:
        raise HTTPException(status.HTTP_409_CONFLICT, "Only succeeded payments can be refunded")
    refund_cents = int(body.amount * 100)
    if refund_cents > payment.amount_cents - payment.refunded_cents:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "Refund exceeds the refundable amount")
    await payco.refund(
        charge_id=payment.provider_charge_id,
        amount_cents=refund_cents,
        idempotency_key=f"refund-{payment.id}-{payment.refunded_cents}-{refund_cents}",
    )
    payment.refunded_cents += refund_cents
    if payment.refunded_cents == payment.amount_cents:
        payment.status = PaymentStatus.refunded
    await session.commit()
    return payment


@router.get("/payments", response_model=list[PaymentOut])
async def list_payments(ctx: OrgMember, session: SessionDep):
    return await PaymentRepository(session).all_for_org(ctx.org_id)

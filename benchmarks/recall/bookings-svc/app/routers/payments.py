import logging
from decimal import Decimal

from fastapi import APIRouter, Depends, HTTPException, Request, status
from sqlalchemy.ext.asyncio import AsyncSession

from ..cache import redis
from ..clients import PaymentsClient
from ..db import get_session
from ..models import Booking, Payment, User
from ..schemas import PaymentCreate, PaymentOut
from ..security import get_current_user

logger = logging.getLogger(__name__)

CAPTURE_QUEUE = "payments:capture"

router = APIRouter(prefix="/payments", tags=["payments"])


def get_payments_client(request: Request) -> PaymentsClient:
    return PaymentsClient(request.app.state.payments_http)


@router.post("", response_model=PaymentOut, status_code=status.HTTP_201_CREATED)
async def create_payment(
    body: PaymentCreate,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
    psp: PaymentsClient = Depends(get_payments_client),
):
    booking = await session.get(Booking, body.booking_id)
    if booking is None or booking.guest_id != user.id:
        raise HTTPException(status_code=404, detail="booking not found")
    if booking.status not in ("pending", "confirmed"):
        raise HTTPException(status_code=409, detail="booking cannot be paid")

    amount_cents = int(body.amount * 100)
    outstanding_cents = int((booking.total_price - booking.amount_paid) * 100)
    if amount_cents > outstanding_cents:
        raise HTTPException(status_code=422, detail="amount exceeds the outstanding balance")

    charge = await psp.create_charge(
        amount_cents, booking.currency, body.payment_method_id, f"booking-{booking.id}"
    )
    payment = Payment(
        booking_id=booking.id,
        amount_cents=amount_cents,
        currency=booking.currency,
        psp_charge_id=charge["id"],
        status=charge["status"],
    )
    session.add(payment)
    await session.commit()
    await session.refresh(payment)

    if payment.status == "requires_capture":
        await redis.lpush(CAPTURE_QUEUE, payment.id)
    return payment


@router.get("/{payment_id}", response_model=PaymentOut)
async def get_payment(
    payment_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
):
    payment = await session.get(Payment, payment_id)
    if payment is None:
        raise HTTPException(status_code=404, detail="payment not found")
    booking = await session.get(Booking, payment.booking_id)
    if booking.guest_id != user.id:
        raise HTTPException(status_code=404, detail="payment not found")
    return payment


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))

"""Back-office routes for support staff."""
import logging

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .. import repository as repo
from ..db import get_session
from ..models import Booking, Payment, User
from ..schemas import BookingOut, RefundRequest
from ..security import get_current_user, require_staff
from .payments import PaymentsClient, get_payments_client

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/admin", tags=["admin"])

STATS_WINDOWS_DAYS = (7, 30, 90)


@router.get(
    "/properties/{property_id}/bookings",
    response_model=list[BookingOut],
    dependencies=[Depends(require_staff)],
)
async def property_bookings(property_id: int, session: AsyncSession = Depends(get_session)):
    return await repo.bookings_for_property(session, property_id)


@router.get("/stats", dependencies=[Depends(require_staff)])
async def stats(session: AsyncSession = Depends(get_session)):
    result = {}
    for days in STATS_WINDOWS_DAYS:
        result[f"{days}d"] = {
            "bookings": await repo.count_since(session, "bookings", days),
            "payments": await repo.count_since(session, "payments", days),
        }
    return result


@router.post("/bookings/{booking_id}/refund")
async def refund_booking(
    booking_id: int,
    body: RefundRequest,
    agent: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
    psp: PaymentsClient = Depends(get_payments_client),
):
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise HTTPException(status_code=404, detail="booking not found")
    charge_id = await session.scalar(
        select(Payment.psp_charge_id)
        .where(Payment.booking_id == booking.id, Payment.status == "captured")
        .limit(1)
    )
    if charge_id is None:
        raise HTTPException(status_code=409, detail="no captured payment to refund")
    refund = await psp.refund(charge_id, body.amount_cents, body.reason, f"refund-{body.request_id}")
    logger.info("agent %s refunded %s cents on booking %s", agent.id, body.amount_cents, booking.id)
    return {"refund_id": refund["id"], "status": refund["status"]}

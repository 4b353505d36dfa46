import logging

import requests
from fastapi import APIRouter, Depends, HTTPException, Query, status
from sqlalchemy.ext.asyncio import AsyncSession

from .. import repository as repo
from ..config import settings
from ..db import get_session
from ..models import Booking, Property, User
from ..schemas import BookingCreate, BookingOut
from ..security import get_current_user

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/bookings", tags=["bookings"])


class BookingConflict(Exception):
    pass


@router.get("", response_model=list[BookingOut])
async def list_my_bookings(
    sort: str = Query("created"),
    order: str = Query("desc"),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0),
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
):
    return await repo.list_for_guest(session, user.id, sort, order, limit, offset)


@router.post("", response_model=BookingOut, status_code=status.HTTP_201_CREATED)
async def create_booking(
    body: BookingCreate,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
):
    prop = await session.get(Property, body.property_id)
    if prop is None:
        raise HTTPException(status_code=404, detail="property not found")
    if body.guests > prop.max_guests:
        raise HTTPException(status_code=422, detail="too many guests for this property")
    if not await repo.property_is_free(session, prop.id, body.check_in, body.check_out):
        raise BookingConflict(f"property {prop.id} is not available for those dates")

    booking = Booking(
        property_id=prop.id,
        guest_id=user.id,
        check_in=body.check_in,
        check_out=body.check_out,
        guests=body.guests,
        total_price=repo.quote_total(prop.nightly_rate, body.check_in, body.check_out),
        currency=prop.currency,
    )
    session.add(booking)
    await session.commit()
    await session.refresh(booking)

    requests.post(
        settings.channel_manager_url,
        json={
            "property_id": prop.id,
            "blocked_from": body.check_in.isoformat(),
            "blocked_to": body.check_out.isoformat(),
        },
        timeout=5,
    )
    return booking


@router.get("/{booking_id}", response_model=BookingOut)
async def get_booking(
    booking_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
):
    booking = await session.get(Booking, booking_id)
    if booking is None or booking.guest_id != user.id:
        raise HTTPException(status_code=404, detail="booking not found")
    return booking


@router.post("/{booking_id}/cancel", response_model=BookingOut)
async def cancel_booking(
    booking_id: int,
    user: User = Depends(get_current_user),
    session: AsyncSession = Depends(get_session),
):
    booking = await session.get(Booking, booking_id)
    if booking is None:
        raise HTTPException(status_code=404, detail="booking not found")
    if booking.status not in repo.ACTIVE_STATUSES:
        raise HTTPException(status_code=409, detail=f"booking is already {booking.status}")
    booking.status = "cancelled"
    await session.commit()
    logger.info("booking %s cancelled by user %s", booking.id, user.id)
    return booking

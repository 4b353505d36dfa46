from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

import asyncpg
from litestar.exceptions import ClientException, NotFoundException

from ..repositories.bookings import BookingRepository
from ..repositories.members import MemberRepository
from ..repositories.spaces import SpaceRepository
from ..repositories.wallet import InsufficientCredits, WalletRepository
from ..schemas import BookingIn, BookingOut, RescheduleIn
from ..security.tokens import Principal
from .pricing import booking_credits

log = logging.getLogger(__name__)

MAX_BOOKING = timedelta(hours=12)
CANCEL_REFUND_CUTOFF = timedelta(hours=2)


class ConflictException(ClientException):
    status_code = 409


def _validate_window(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at or ends_at - starts_at > MAX_BOOKING:
        raise ClientException("bookings last between 30 minutes and 12 hours")
    if starts_at < datetime.now(timezone.utc) - timedelta(minutes=5):
        raise ClientException("cannot book in the past")


class BookingService:
    def __init__(
        self,
        conn: asyncpg.Connection,
        bookings: BookingRepository,
        spaces: SpaceRepository,
        wallet: WalletRepository,
        members: MemberRepository,
    ) -> None:
        self.conn = conn
        self.bookings = bookings
        self.spaces = spaces
        self.wallet = wallet
        self.members = members

    async def create(self, principal: Principal, data: BookingIn) -> int:
        _validate_window(data.starts_at, data.ends_at)
        desk = await self.spaces.get_desk(principal.org_id, data.desk_id)
        if desk is None:
            raise NotFoundException("desk not found")
        credits = booking_credits(desk["hourly_credits"], data.starts_at, data.ends_at)
        async with self.conn.transaction():
            await self.spaces.lock_desk(desk["id"])
            if await self.spaces.overlapping(desk["id"], data.starts_at, data.ends_at):
                raise ConflictException("desk already booked for that time")
            booking_id = await self.bookings.create(
                principal.org_id, principal.member_id, desk["id"], data.starts_at, data.ends_at, credits, data.note
            )
            try:
                await self.wallet.debit(principal.member_id, credits, "booking", f"booking:{booking_id}")
            except InsufficientCredits:
                raise ConflictException("not enough credits") from None
        return booking_id

    async def list_mine(self, principal: Principal, limit: int, offset: int) -> list[BookingOut]:
        rows = await self.bookings.list_for_member(principal.member_id, limit, offset)
        out = []
        for row in rows:
            label = await self.spaces.get_desk_label(row["desk_id"])
            out.append(
                BookingOut(
                    id=row["id"],
                    desk_id=row["desk_id"],
                    desk_label=label or "?",
                    space_name="",
                    starts_at=row["starts_at"],
                    ends_at=row["ends_at"],
                    status=row["status"],
                    credits=row["credits"],
                )
            )
        return out

    async def cancel(self, principal: Principal, booking_id: int) -> dict:
        booking = await self.bookings.get_for_member(booking_id, principal.member_id)
        if booking is None:
            raise NotFoundException("booking not found")
        if booking["status"] != "confirmed":
            raise ConflictException("booking cannot be cancelled")
        await self.bookings.set_status(booking_id, "cancelled")
        refund = 0
        if booking["starts_at"] - datetime.now(timezone.utc) >= CANCEL_REFUND_CUTOFF:
            refund = booking["credits"]
            await self.wallet.credit(principal.member_id, refund, "booking cancelled", f"booking:{booking_id}")
        return {"id": booking_id, "status": "cancelled", "refunded_credits": refund}

    async def reschedule(self, principal: Principal, booking_id: int, data: RescheduleIn) -> dict:
        _validate_window(data.starts_at, data.ends_at)
        booking = await self.bookings.get(booking_id)
        if booking is None or booking["status"] != "confirmed":
            raise NotFoundException("booking not found")
        desk = await self.spaces.get_desk(booking["org_id"], booking["desk_id"])
        credits = booking_credits(desk["hourly_credits"], data.starts_at, data.ends_at)
        if credits > booking["credits"]:
            raise ConflictException("a longer booking needs a new reservation")
        async with self.conn.transaction():
            await self.spaces.lock_desk(booking["desk_id"])
            clash = await self.conn.fetchval(
                "SELECT count(*) FROM bookings WHERE desk_id = $1 AND id <> $2 AND status IN ('confirmed', 'checked_in') "
                "AND starts_at < $4 AND ends_at > $3",
                booking["desk_id"],
                booking_id,
                data.starts_at,
                data.ends_at,
            )
            if clash:
                raise ConflictException("desk already booked for that time")
            await self.bookings.move(booking_id, data.starts_at, data.ends_at, booking["credits"])
        return {"id": booking_id, "starts_at": data.starts_at, "ends_at": data.ends_at}

    async def floor_availability(self, principal: Principal, floor: int, starts_at: datetime, ends_at: datetime) -> list[dict]:
        _validate_window(starts_at, ends_at)
        desks = await self.spaces.desks_on_floor(principal.org_id, floor)
        result = []
        for desk in desks:
            busy = await self.spaces.overlapping(desk["id"], starts_at, ends_at)
            result.append({"desk_id": desk["id"], "label": desk["label"], "space": desk["space_name"], "free": busy == 0})
        return result

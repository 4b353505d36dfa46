import logging
import secrets
import string
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from aiohttp import web

from ferry.clients import PaymentsClient
from ferry.repository import BookingRepository, SailingRepository
from ferry.services import fares as fare_rules

log = logging.getLogger(__name__)

REFERENCE_ALPHABET = string.ascii_uppercase.replace("O", "").replace("I", "") + "23456789"


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class BookingService:
    def __init__(self, settings, sailings: SailingRepository, bookings: BookingRepository,
                 payments: PaymentsClient):
        self._settings = settings
        self._sailings = sailings
        self._bookings = bookings
        self._payments = payments

    async def _owned_booking(self, customer_id: int, reference: str):
        booking = await self._bookings.by_reference(reference)
        if booking is None or booking["customer_id"] != customer_id:
            raise web.HTTPNotFound(reason="no such booking")
        return booking

    async def create(self, customer_id: int, payload: dict, idempotency_key: str):
        existing = await self._bookings.by_idempotency_key(customer_id, idempotency_key)
        if existing is not None:
            return existing

        sailing = await self._sailings.get(payload["sailing_id"])
        if sailing is None or sailing["status"] != "scheduled":
            raise web.HTTPNotFound(reason="sailing not available")

        travel_day = sailing["departs_at"].date()
        fare_rows = await self._sailings.fares_for(fare_rules.season_for(travel_day), sailing["route_code"])
        fares = {r["fare_class"]: r for r in fare_rows}
        passengers = payload["passengers"]
        vehicle = payload.get("vehicle")
        total = fare_rules.quote_total(
            fares, passengers, travel_day, vehicle["length_m"] if vehicle else None
        )

        async with self._bookings.pool.acquire() as conn:
            async with conn.transaction():
                if not await self._sailings.reserve_seats(conn, sailing["id"], len(passengers)):
                    raise web.HTTPConflict(reason="not enough seats")
                if vehicle and not await self._sailings.reserve_lane_metres(
                    conn, sailing["id"], Decimal(str(vehicle["length_m"]))
                ):
                    raise web.HTTPConflict(reason="vehicle deck full")
                booking = await self._bookings.insert(
                    conn,
                    reference=new_reference(),
                    customer_id=customer_id,
                    sailing_id=sailing["id"],
                    total_fare=total,
                    passenger_count=len(passengers),
                    vehicle_registration=vehicle["registration"] if vehicle else None,
                    idempotency_key=idempotency_key,
                    hold_expires_at=datetime.now(timezone.utc)
                    + timedelta(minutes=self._settings.hold_minutes),
                )
                await self._bookings.insert_passengers(conn, booking["id"], passengers)
        log.info("booking %s held for customer %s", booking["reference"], customer_id)
        return booking

    async def pay(self, customer_id: int, reference: str, card_token: str):
        booking = await self._owned_booking(customer_id, reference)
        if booking["status"] != "held":
            raise web.HTTPConflict(reason=f"booking is {booking['status']}")
        charge = await self._payments.charge(
            amount=booking["total_fare"],
            currency="EUR",
            card_token=card_token,
            reference=booking["reference"],
        )
        await self._bookings.mark_paid(booking["id"], charge["id"])
        log.info("booking %s paid, card ending %s", reference, charge.get("card_last4"))
        return booking, charge

    async def cancel(self, customer_id: int, reference: str, reason: str) -> Decimal:
        booking = await self._owned_booking(customer_id, reference)
        return await self.refund_booking(booking, reason)

    async def refund_booking(self, booking, reason: str) -> Decimal:
        if booking["status"] != "confirmed":
            raise web.HTTPConflict(reason="only confirmed bookings can be refunded")
        sailing = await self._sailings.get(booking["sailing_id"])
        amount = fare_rules.refund_amount(
            booking["total_fare"], sailing["departs_at"].date(), date.today()
        )

        async with self._bookings.pool.acquire() as conn:
            refund_id = await self._bookings.insert_refund(conn, booking["id"], amount, reason)
            await self._bookings.set_status(conn, booking["id"], "cancelled")
            await self._sailings.release_seats(conn, booking["sailing_id"], booking["passenger_count"])

        if amount > 0:
            result = await self._payments.refund(
                charge_id=booking["charge_id"], amount=amount, refund_id=refund_id
            )
            await self._bookings.set_gateway_refund_id(refund_id, result["id"])
        return amount

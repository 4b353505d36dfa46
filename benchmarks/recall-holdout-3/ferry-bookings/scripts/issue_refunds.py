"""Refund every confirmed booking on a cancelled sailing.

Run by the duty ops engineer after a sailing is cancelled:

    python -m scripts.issue_refunds --sailing 48213 --reason "weather cancellation"
"""
import asyncio
import logging

import click

from ferry.clients import PaymentsClient, build_payments_session
from ferry.config import load_settings
from ferry.db import create_pool
from ferry.repository import BookingRepository, SailingRepository
from ferry.services.bookings import BookingService

log = logging.getLogger("issue_refunds")


async def _run(sailing_id: int, reason: str, dry_run: bool) -> None:
    settings = load_settings()
    pool = await create_pool(settings)
    session = build_payments_session(settings)
    try:
        bookings = BookingRepository(pool)
        service = BookingService(
            settings, SailingRepository(pool), bookings,
            PaymentsClient(session, settings.payments_base_url),
        )
        async with pool.acquire() as conn:
            refs = await conn.fetch(
                "SELECT reference FROM bookings WHERE sailing_id = $1 AND status = 'confirmed'",
                sailing_id,
            )
        click.echo(f"{len(refs)} confirmed bookings on sailing {sailing_id}")
        for row in refs:
            booking = await bookings.by_reference(row["reference"])
            if dry_run:
                click.echo(f"would refund {booking['reference']} ({booking['total_fare']})")
                continue
            amount = await service.refund_booking(booking, reason)
            click.echo(f"refunded {booking['reference']}: {amount}")
    finally:
        await session.close()
        await pool.close()


@click.command()
@click.option("--sailing", "sailing_id", type=int, required=True)
@click.option("--reason", default="sailing cancelled")
@click.option("--dry-run", is_flag=True)
def main(sailing_id: int, reason: str, dry_run: bool) -> None:
    logging.basicConfig(level=logging.INFO)
    asyncio.run(_run(sailing_id, reason, dry_run))


if __name__ == "__main__":
    main()

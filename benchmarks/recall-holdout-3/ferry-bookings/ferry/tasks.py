import asyncio
import json
import logging
from datetime import datetime, timezone

import aiohttp

from ferry.repository import BookingRepository, OutboxRepository

log = logging.getLogger(__name__)

OUTBOX_BATCH = 100
EVENTS_URL = "/v1/events"


async def expire_holds_forever(bookings: BookingRepository, interval: float = 30.0) -> None:
    while True:
        try:
            released = await bookings.expire_holds(datetime.now(timezone.utc))
            if released:
                log.info("released %d seats from expired holds", released)
        except Exception:
            log.exception("hold expiry pass failed; retrying next tick")
        await asyncio.sleep(interval)


async def _publish(session: aiohttp.ClientSession, base_url: str, row) -> None:
    async with session.post(
        f"{base_url}{EVENTS_URL}",
        json={"topic": row["topic"], "payload": json.loads(row["payload"])},
    ) as resp:
        resp.raise_for_status()


async def relay_outbox_forever(outbox: OutboxRepository, session: aiohttp.ClientSession,
                               base_url: str, interval: float = 2.0) -> None:
    while True:
        try:
            rows = await outbox.pending(OUTBOX_BATCH)
        except Exception:
            log.exception("could not read outbox; retrying")
            await asyncio.sleep(interval)
            continue
        delivered = []
        for row in rows:
            try:
                await _publish(session, base_url, row)
            except Exception:
                pass
            delivered.append(row["id"])
        if delivered:
            await outbox.mark_sent(delivered)
        await asyncio.sleep(interval if len(rows) < OUTBOX_BATCH else 0)
